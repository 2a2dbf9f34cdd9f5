package openapi

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"
)

func newEngine(t *testing.T, d *Document, onGroup bool) *gin.Engine {
	t.Helper()
	gin.SetMode(gin.TestMode)
	r := gin.New()
	r.RedirectTrailingSlash = false
	r.RedirectFixedPath = false
	if onGroup {
		d.Register(r.Group("/api"))
	} else {
		d.Register(r)
	}
	return r
}

func get(r http.Handler, path string, header http.Header) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	return w
}

func TestServeDocument(t *testing.T) {
	d := mustLoad(t)
	for _, onGroup := range []bool{false, true} {
		r := newEngine(t, d, onGroup)

		w := get(r, "/api/openapi.json", nil)
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/json" {
			t.Fatalf("openapi.json: %d %q", w.Code, w.Header().Get("Content-Type"))
		}
		spec, err := openapi3.NewLoader().LoadFromData(w.Body.Bytes())
		if err != nil {
			t.Fatalf("served JSON: %v", err)
		}
		if spec.Paths.Value("/result") == nil || spec.Servers[0].URL != "/api" {
			t.Error("served JSON lacks /result or servers /api")
		}

		w = get(r, "/api/openapi.yaml", nil)
		if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/yaml") {
			t.Fatalf("openapi.yaml: %d %q", w.Code, w.Header().Get("Content-Type"))
		}
		if _, err := openapi3.NewLoader().LoadFromData(w.Body.Bytes()); err != nil {
			t.Fatalf("served YAML: %v", err)
		}

		etag := w.Header().Get("ETag")
		w = get(r, "/api/openapi.yaml", http.Header{"If-None-Match": {etag}})
		if w.Code != http.StatusNotModified || w.Body.Len() != 0 {
			t.Errorf("revalidation: %d with %d bytes", w.Code, w.Body.Len())
		}
	}
}

func TestServeSwaggerUI(t *testing.T) {
	r := newEngine(t, mustLoad(t, AreaHealth), false)

	w := get(r, "/api/ui/", nil)
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("ui/: %d %q", w.Code, w.Header().Get("Content-Type"))
	}
	page := w.Body.String()
	for _, ref := range []string{"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-initializer.js"} {
		if !strings.Contains(page, `"`+ref+`"`) {
			t.Errorf("the page does not load %s", ref)
		}
	}

	w = get(r, "/api/ui/swagger-initializer.js", nil)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"../openapi.json"`) {
		t.Errorf("initializer: %d, does not point at ../openapi.json", w.Code)
	}

	w = get(r, "/api/ui", nil)
	if w.Code != http.StatusMovedPermanently || w.Header().Get("Location") != "ui/" {
		t.Errorf("/api/ui: %d Location %q", w.Code, w.Header().Get("Location"))
	}

	for _, tc := range []struct{ path, contentType, start string }{
		{"/api/ui/swagger-ui-bundle.js", "text/javascript", "/*! For license information"},
		{"/api/ui/swagger-ui-standalone-preset.js", "text/javascript", "/*! For license information"},
		{"/api/ui/swagger-ui.css", "text/css", ".swagger-ui"},
	} {
		plain := get(r, tc.path, nil)
		if plain.Code != http.StatusOK || !strings.HasPrefix(plain.Header().Get("Content-Type"), tc.contentType) {
			t.Fatalf("%s: %d %q", tc.path, plain.Code, plain.Header().Get("Content-Type"))
		}
		if plain.Header().Get("Content-Encoding") != "" || !strings.HasPrefix(plain.Body.String(), tc.start) {
			t.Errorf("%s without gzip: encoding %q, starts %q", tc.path, plain.Header().Get("Content-Encoding"), plain.Body.String()[:min(40, plain.Body.Len())])
		}

		zipped := get(r, tc.path, http.Header{"Accept-Encoding": {"gzip, deflate, br"}})
		if zipped.Header().Get("Content-Encoding") != "gzip" || zipped.Header().Get("Vary") != "Accept-Encoding" {
			t.Fatalf("%s with gzip: encoding %q vary %q", tc.path, zipped.Header().Get("Content-Encoding"), zipped.Header().Get("Vary"))
		}
		zr, err := gzip.NewReader(zipped.Body)
		if err != nil {
			t.Fatal(err)
		}
		unzipped, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(unzipped, plain.Body.Bytes()) {
			t.Errorf("%s: gzip and plain bodies differ", tc.path)
		}
		if plain.Body.Len() < 10000 {
			t.Errorf("%s is only %d bytes", tc.path, plain.Body.Len())
		}
	}

	w = get(r, "/api/ui/nope.js", nil)
	if w.Code != http.StatusNotFound {
		t.Errorf("unknown asset: %d", w.Code)
	}
}

func TestAcceptsGzip(t *testing.T) {
	for h, want := range map[string]bool{
		"": false, "gzip": true, "deflate, gzip;q=0.5": true, "br": false, "gzip;q=0": false,
		"gzip; q=0.000": false, "*": true, "identity": false, "GZIP": true,
	} {
		if got := acceptsGzip(h); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", h, got, want)
		}
	}
}

func TestDocRoutesAreWhatRegisterMounts(t *testing.T) {
	d := mustLoad(t, AreaHealth)
	var got []string
	for _, ri := range newEngine(t, d, true).Routes() {
		got = append(got, ri.Method+" "+ri.Path)
	}
	var want []string
	for _, r := range d.DocRoutes() {
		if !r.Public {
			t.Errorf("%s is not public", r.Path)
		}
		want = append(want, r.Method+" "+r.Path)
	}
	sort.Strings(got)
	if !slices.Equal(got, want) {
		t.Errorf("mounted %v\nDocRoutes %v", got, want)
	}
}

// TestGinAcceptsEveryPath mounts a handler for every operation next to the
// documentation routes, as the server does, and checks that gin's route
// table then equals Paths plus DocRoutes: the gin path syntax is right and
// no two paths collide.
func TestGinAcceptsEveryPath(t *testing.T) {
	d := mustLoad(t)
	r := newEngine(t, d, false)
	for _, rt := range d.Paths() {
		r.Handle(rt.Method, rt.Path, func(c *gin.Context) { c.String(http.StatusTeapot, c.FullPath()) })
	}
	var got, want []string
	for _, ri := range r.Routes() {
		got = append(got, ri.Method+" "+ri.Path)
	}
	for _, rt := range append(d.Paths(), d.DocRoutes()...) {
		want = append(want, rt.Method+" "+rt.Path)
	}
	sort.Strings(got)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("gin routes %v\nwant %v", got, want)
	}
	// Static segments win over parameters.
	if w := get(r, "/api/widget/types", nil); w.Body.String() != "/api/widget/types" {
		t.Errorf("/api/widget/types routed to %q", w.Body.String())
	}
	if w := get(r, "/api/project/filter-params/x", nil); w.Body.String() != "/api/project/filter-params/:id" {
		t.Errorf("/api/project/filter-params/x routed to %q", w.Body.String())
	}
}

func TestRegisterOnForeignGroupPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Register on /ap did not panic")
		}
	}()
	gin.SetMode(gin.TestMode)
	mustLoad(t, AreaHealth).Register(gin.New().Group("/ap"))
}

func TestVendoredVersionIsDocumented(t *testing.T) {
	readme, err := os.ReadFile("ui/README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "swagger-ui-dist "+swaggerUIVersion) {
		t.Errorf("ui/README.md does not name swagger-ui-dist %s", swaggerUIVersion)
	}
}
