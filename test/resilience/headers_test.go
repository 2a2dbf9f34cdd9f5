package resilience

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"

	"github.com/ibutsu-go/ibutsu/pkg/backend"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

// TestSecurityHeadersOnEveryResponse checks the real router (with a web UI
// embedded) answers every kind of request — the SPA's index and its
// client-side routes, its assets, Swagger UI, the API, errors, CORS
// preflights — with nosniff, frame denial, the referrer policy and the CSP.
func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t, testenv.NewPostgresDatabase(t))
	ui := fstest.MapFS{
		"index.html":         {Data: []byte(`<!doctype html><html><body><div id="root"></div><script type="module" src="/assets/app.js"></script></body></html>`)},
		"assets/app.js":      {Data: []byte(`console.log("ui")`)},
		"assets/favicon.svg": {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)},
	}
	be := startInProcess(t, cfg, nil, backend.WithUI(ui))
	want := map[string]string{
		"X-Content-Type-Options":  "nosniff",
		"X-Frame-Options":         "DENY",
		"Referrer-Policy":         "strict-origin-when-cross-origin",
		"Content-Security-Policy": httpx.ContentSecurityPolicy,
	}
	for _, c := range []struct {
		method, path string
		auth         bool
		hdr          []string
	}{
		{"GET", "/", false, nil},
		{"GET", "/project/x/runs", false, []string{"Accept", "text/html"}},
		{"GET", "/assets/app.js", false, nil},
		{"GET", "/api/ui/", false, nil},
		{"GET", "/api/openapi.json", false, nil},
		{"GET", "/api/health", false, nil},
		{"GET", "/api/project", true, nil},
		{"GET", "/api/project", false, nil},
		{"GET", "/api/nope", true, nil},
		{"DELETE", "/api/health", false, nil},
		{"OPTIONS", "/api/project", false, []string{"Origin", "http://x", "Access-Control-Request-Method", "GET"}},
		{"GET", "/metrics", false, nil},
	} {
		req, _ := http.NewRequest(c.method, c.path, nil)
		if c.auth {
			req.Header.Set("Authorization", "Bearer "+be.Token)
		}
		for i := 0; i+1 < len(c.hdr); i += 2 {
			req.Header.Set(c.hdr[i], c.hdr[i+1])
		}
		rec := httptest.NewRecorder()
		be.App.Router.ServeHTTP(rec, req)
		for k, v := range want {
			if got := rec.Header().Get(k); got != v {
				t.Errorf("%s %s (%d): %s = %q, want %q", c.method, c.path, rec.Code, k, got, v)
			}
		}
	}
}
