package httpx

import (
	"net/http"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// jsonRender encodes like upstream: compact, no HTML escaping, trailing
// newline. It encodes into memory before writing anything (model.MarshalJSON,
// which serves rows holding NaN, infinite durations or times beyond year
// 9999): an encoder writing straight to the response failed halfway through
// with the status already chosen, and the client got a 200 with an empty
// body. A value that still cannot be encoded is an error gin records; the
// Recovery middleware turns it into a logged 500.
type jsonRender struct {
	v           any
	contentType string
}

func (r jsonRender) Render(w http.ResponseWriter) error {
	b, err := model.MarshalJSON(r.v)
	if err != nil {
		return &encodeError{err: err}
	}
	r.WriteContentType(w)
	_, err = w.Write(append(b, '\n'))
	return err //nolint:wrapcheck // a client gone away; nothing more to say to it
}

func (r jsonRender) WriteContentType(w http.ResponseWriter) {
	ct := r.contentType
	if ct == "" {
		ct = "application/json"
	}
	w.Header().Set("Content-Type", ct)
}

// encodeError is an answer JSON could not carry; Recovery logs it and
// answers 500 in its place.
type encodeError struct{ err error }

func (e *encodeError) Error() string { return "encode JSON answer: " + e.err.Error() }
func (e *encodeError) Unwrap() error { return e.err }
