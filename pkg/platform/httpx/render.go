package httpx

import (
	"encoding/json"
	"net/http"
)

// jsonRender encodes like upstream: compact, no HTML escaping, trailing newline.
type jsonRender struct {
	v           any
	contentType string
}

func (r jsonRender) Render(w http.ResponseWriter) error {
	r.WriteContentType(w)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(r.v)
}

func (r jsonRender) WriteContentType(w http.ResponseWriter) {
	ct := r.contentType
	if ct == "" {
		ct = "application/json"
	}
	w.Header().Set("Content-Type", ct)
}
