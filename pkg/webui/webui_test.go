package webui_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/ibutsu-go/ibutsu/pkg/webui"
)

const index = `<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>`

func testFS() fstest.MapFS {
	return fstest.MapFS{
		"index.html":             {Data: []byte(index)},
		"assets/index-abc123.js": {Data: []byte(strings.Repeat("console.log('ibutsu');\n", 200))},
		"favicon.svg":            {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)},
		".hidden":                {Data: []byte("x")},
	}
}

func get(t *testing.T, h http.Handler, path string, hdr map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestClientRoutesGetIndexRevalidated(t *testing.T) {
	h, err := webui.New(testFS())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/", "/project/1b4e28ba/runs/42", "/login?next=%2Fruns", "/admin/users"} {
		rec := get(t, h, p, nil)
		if rec.Code != http.StatusOK || rec.Body.String() != index {
			t.Fatalf("%s: %d %q", p, rec.Code, rec.Body.String())
		}
		if got := rec.Header().Get("Cache-Control"); got != "no-cache" {
			t.Errorf("%s: Cache-Control %q, want no-cache", p, got)
		}
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("%s: Content-Type %q", p, ct)
		}
	}
}

func TestHashedAssetsAreImmutableAndCompressed(t *testing.T) {
	h, err := webui.New(testFS())
	if err != nil {
		t.Fatal(err)
	}
	rec := get(t, h, "/assets/index-abc123.js", map[string]string{"Accept-Encoding": "br, gzip"})
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	if got := rec.Header().Get("Cache-Control"); !strings.Contains(got, "immutable") {
		t.Errorf("Cache-Control %q", got)
	}
	if rec.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("not gzip-encoded: %v", rec.Header())
	}
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(zr)
	if !bytes.Equal(body, testFS()["assets/index-abc123.js"].Data) {
		t.Error("gzip body differs from the file")
	}
	plain := get(t, h, "/assets/index-abc123.js", nil)
	if plain.Header().Get("Content-Encoding") != "" || plain.Body.Len() != len(testFS()["assets/index-abc123.js"].Data) {
		t.Error("a client without gzip must get the plain file")
	}
	etag := plain.Header().Get("ETag")
	if rec304 := get(t, h, "/assets/index-abc123.js", map[string]string{"If-None-Match": etag}); rec304.Code != http.StatusNotModified {
		t.Errorf("If-None-Match: %d, want 304", rec304.Code)
	}
}

func TestMissingAssetIsA404NotTheIndex(t *testing.T) {
	h, err := webui.New(testFS())
	if err != nil {
		t.Fatal(err)
	}
	if rec := get(t, h, "/assets/gone-123.js", nil); rec.Code != http.StatusNotFound {
		t.Errorf("missing asset: %d", rec.Code)
	}
	if rec := get(t, h, "/.hidden", nil); rec.Body.String() != index {
		t.Error("dot files must not be served")
	}
	if rec := get(t, h, "/../../etc/passwd", nil); rec.Body.String() != index {
		t.Error("path traversal must fall back to the index")
	}
}

func TestServesOnlyBrowserReadsOutsideTheAPI(t *testing.T) {
	cases := map[string]bool{
		"GET /":               true,
		"HEAD /runs":          true,
		"GET /api":            false,
		"GET /api/nope":       false,
		"GET /metrics":        false,
		"POST /project/x/run": false,
		"GET /apiary":         true,
	}
	for c, want := range cases {
		m, p, _ := strings.Cut(c, " ")
		if got := webui.Serves(httptest.NewRequest(m, p, nil)); got != want {
			t.Errorf("%s: %v, want %v", c, got, want)
		}
	}
}

func TestNeedsAnIndex(t *testing.T) {
	if _, err := webui.New(fstest.MapFS{"a.js": {Data: []byte("x")}}); err == nil {
		t.Fatal("a UI without index.html must be refused")
	}
}
