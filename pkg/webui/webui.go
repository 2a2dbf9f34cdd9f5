// Package webui serves the single-page web UI from a file system (the Vite
// build embedded in the backend binary): real files as they are, every other
// browser path as index.html so client-side routes (/project/:id/runs/...)
// survive a reload or a bookmark. Hashed assets are cached for a year, the
// index is revalidated on every load so a new release is picked up at once,
// and text files are gzip-compressed once at start rather than per request.
package webui

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

// Cache-Control values: Vite puts a content hash in every name under
// assets/, so those never change; everything else must be revalidated.
const (
	cacheImmutable  = "public, max-age=31536000, immutable"
	cacheRevalidate = "no-cache"
	indexFile       = "index.html"
)

// file is one servable file, held in memory with its gzip form when that is
// smaller.
type file struct {
	body, gz    []byte
	contentType string
	etag        string
	cache       string
}

// Handler answers browser requests for the UI.
type Handler struct {
	files   map[string]*file
	modTime time.Time
}

// New reads every file of ui (typically a few MB) into memory, so serving
// is a map lookup; it fails when ui has no index.html.
func New(ui fs.FS) (*Handler, error) {
	h := &Handler{files: map[string]*file{}, modTime: time.Now()}
	err := fs.WalkDir(ui, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(path.Base(p), ".") {
			return err
		}
		body, err := fs.ReadFile(ui, p)
		if err != nil {
			return fmt.Errorf("read ui file %s: %w", p, err)
		}
		h.files[p] = newFile(p, body)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if _, ok := h.files[indexFile]; !ok {
		return nil, fmt.Errorf("web ui has no %s", indexFile)
	}
	return h, nil
}

func newFile(name string, body []byte) *file {
	sum := sha256.Sum256(body)
	f := &file{body: body, etag: `"` + hex.EncodeToString(sum[:8]) + `"`, cache: cacheRevalidate}
	f.contentType = mime.TypeByExtension(path.Ext(name))
	if f.contentType == "" {
		f.contentType = http.DetectContentType(body)
	}
	if strings.HasPrefix(name, "assets/") {
		f.cache = cacheImmutable
	}
	if compressible(f.contentType) && len(body) > 1024 {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(body)
		_ = zw.Close()
		if buf.Len() < len(body) {
			f.gz = buf.Bytes()
		}
	}
	return f
}

func compressible(contentType string) bool {
	for _, p := range []string{"text/", "application/javascript", "application/json", "image/svg+xml", "application/manifest+json"} {
		if strings.HasPrefix(contentType, p) {
			return true
		}
	}
	return false
}

// Serves reports whether the request is one the UI answers: GET or HEAD
// outside the API and the metrics endpoint.
func Serves(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	p := r.URL.Path
	return p != "/api" && !strings.HasPrefix(p, "/api/") && p != "/metrics"
}

// ServeHTTP answers with the named file, or index.html for any path that is
// not a file (a client-side route). A missing file under assets/ is a real
// 404: answering index.html there would hide a broken deployment behind a
// JavaScript syntax error.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	f, ok := h.files[name]
	if !ok {
		if strings.HasPrefix(name, "assets/") {
			http.NotFound(w, r)
			return
		}
		f = h.files[indexFile]
	}
	hdr := w.Header()
	hdr.Set("Content-Type", f.contentType)
	hdr.Set("Cache-Control", f.cache)
	hdr.Set("ETag", f.etag)
	hdr.Add("Vary", "Accept-Encoding")
	body := f.body
	if f.gz != nil && acceptsGzip(r) {
		hdr.Set("Content-Encoding", "gzip")
		hdr.Set("ETag", strings.TrimSuffix(f.etag, `"`)+`-gz"`)
		body = f.gz
	}
	http.ServeContent(w, r, "", h.modTime, bytes.NewReader(body))
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && strings.TrimSpace(q) != "q=0" {
			return true
		}
	}
	return false
}
