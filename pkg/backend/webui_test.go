package backend_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/ibutsu-go/ibutsu/pkg/backend"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// With a UI, browser paths get the SPA while /api keeps answering JSON
// problems, and the API is untouched.
func TestRouterServesTheUIBesideTheAPI(t *testing.T) {
	ui := fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>Ibutsu UI</title>")}}
	env := backendtest.New(t, backendtest.Options{SQLite: true, App: []backend.Option{backend.WithUI(ui)}})
	do := func(method, path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		env.App.Router.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
		return rec
	}
	for _, p := range []string{"/", "/project/abc/runs", "/login"} {
		if rec := do(http.MethodGet, p); rec.Code != 200 || !strings.Contains(rec.Body.String(), "Ibutsu UI") {
			t.Errorf("GET %s: %d %q", p, rec.Code, rec.Body.String())
		}
	}
	rec := do(http.MethodGet, "/api/no-such-thing")
	if rec.Code != http.StatusNotFound || !strings.Contains(rec.Header().Get("Content-Type"), "json") {
		t.Fatalf("unknown API path: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	var v any
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("API 404 is not JSON: %v", err)
	}
	if rec := do(http.MethodPost, "/project/abc"); rec.Code != http.StatusNotFound {
		t.Errorf("POST to a UI path: %d", rec.Code)
	}
	if rec := do(http.MethodGet, "/api/health"); rec.Code != http.StatusOK {
		t.Errorf("health: %d", rec.Code)
	}
}
