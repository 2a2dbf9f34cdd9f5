package httpx

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
)

// TestSecurityHeaders checks every kind of response — JSON, HTML, the
// NoRoute fallback (which serves the web UI), an aborted request and a
// panic — carries the hardening headers.
func TestSecurityHeaders(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(Recovery(discard()), SecurityHeaders())
	r.GET("/api/x", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"ok": true}) })
	r.GET("/page", func(c *gin.Context) { c.Data(http.StatusOK, "text/html; charset=utf-8", []byte("<html></html>")) })
	r.GET("/denied", func(c *gin.Context) { c.AbortWithStatus(http.StatusForbidden) })
	r.GET("/boom", func(c *gin.Context) { panic("boom") })
	r.NoRoute(func(c *gin.Context) { c.Data(http.StatusOK, "text/html", []byte("<!doctype html>")) })
	want := map[string]string{
		"X-Content-Type-Options":  "nosniff",
		"X-Frame-Options":         "DENY",
		"Referrer-Policy":         "strict-origin-when-cross-origin",
		"Content-Security-Policy": ContentSecurityPolicy,
	}
	for _, path := range []string{"/api/x", "/page", "/denied", "/boom", "/runs/123"} {
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		for k, v := range want {
			if got := rec.Header().Get(k); got != v {
				t.Errorf("%s (%d): %s = %q, want %q", path, rec.Code, k, got, v)
			}
		}
	}
}

// TestContentSecurityPolicyDirectives pins the directives the web UI
// depends on (and the ones that make it safe).
func TestContentSecurityPolicyDirectives(t *testing.T) {
	for _, d := range []string{"default-src 'self'", "img-src 'self' data: blob:", "style-src 'self' 'unsafe-inline'",
		"connect-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
		if !containsDirective(ContentSecurityPolicy, d) {
			t.Errorf("CSP lacks %q: %s", d, ContentSecurityPolicy)
		}
	}
	if containsDirective(ContentSecurityPolicy, "script-src 'self' 'unsafe-inline'") || containsDirective(ContentSecurityPolicy, "'unsafe-eval'") {
		t.Errorf("CSP allows inline or eval'd scripts: %s", ContentSecurityPolicy)
	}
}
