package openapi

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
)

// swaggerUIVersion is the swagger-ui-dist release vendored under ui/.
const swaggerUIVersion = "5.35.0"

// uiFS holds the Swagger UI page, our initializer and the vendored
// swagger-ui-dist files (stored gzip-compressed), so the UI works on machines
// without internet access.
//
//go:embed ui/index.html ui/swagger-initializer.js ui/*.gz
var uiFS embed.FS

// asset is one file Register serves, ready to write.
type asset struct {
	contentType  string
	body         []byte // as stored: gzip-compressed when gzipped is set
	gzipped      bool
	etag         string
	cacheControl string
}

// Content types of the served files.
const (
	typeJSON = "application/json"
	typeYAML = "text/yaml; charset=utf-8"
	typeHTML = "text/html; charset=utf-8"
	typeJS   = "text/javascript; charset=utf-8"
	typeCSS  = "text/css; charset=utf-8"
)

// Cache policies: the document and the page are revalidated on every load
// (they change with the binary); the pinned library files may be cached.
const (
	cacheRevalidate = "no-cache"
	cacheLibrary    = "public, max-age=86400"
)

// newAsset fingerprints body for ETag revalidation.
func newAsset(contentType string, body []byte, gzipped bool, cache string) asset {
	sum := sha256.Sum256(body)
	return asset{contentType: contentType, body: body, gzipped: gzipped, cacheControl: cache, etag: `"` + hex.EncodeToString(sum[:16]) + `"`}
}

// uiAssets loads the Swagger UI files, keyed by their path under the base path.
func uiAssets() (map[string]asset, error) {
	files := []struct {
		route, file, contentType, cache string
		gzipped                         bool
	}{
		{uiIndex, "ui/index.html", typeHTML, cacheRevalidate, false},
		{uiInitializer, "ui/swagger-initializer.js", typeJS, cacheRevalidate, false},
		{uiBundle, "ui/swagger-ui-bundle.js.gz", typeJS, cacheLibrary, true},
		{uiPreset, "ui/swagger-ui-standalone-preset.js.gz", typeJS, cacheLibrary, true},
		{uiCSS, "ui/swagger-ui.css.gz", typeCSS, cacheLibrary, true},
	}
	out := make(map[string]asset, len(files))
	for _, f := range files {
		b, err := uiFS.ReadFile(f.file)
		if err != nil {
			return nil, fmt.Errorf("openapi: read %s: %w", f.file, err)
		}
		out[f.route] = newAsset(f.contentType, b, f.gzipped, f.cache)
	}
	return out, nil
}

// Register mounts GET <base>/openapi.json, <base>/openapi.yaml and Swagger UI
// at <base>/ui/ (with its files under <base>/ui/ and a redirect from
// <base>/ui), where <base> is the document's base path (/api). All of them are
// public: mount them on a router without the auth middleware. r may be the
// engine or a group whose path is a prefix of the base path, such as the
// public /api group domain handlers use.
func (d *Document) Register(r gin.IRouter) {
	base := ""
	if g, ok := r.(interface{ BasePath() string }); ok {
		base = strings.TrimSuffix(g.BasePath(), "/")
	}
	rel := func(p string) string {
		full := d.basePath + p
		if rest, ok := strings.CutPrefix(full, base); ok && strings.HasPrefix(rest, "/") {
			return rest
		}
		panic(fmt.Sprintf("openapi: cannot mount %s on a router group at %s", full, base))
	}

	assets, err := uiAssets()
	if err != nil {
		// The files are embedded at build time; a failure here is a build defect.
		panic(err)
	}
	assets[specJSON] = newAsset(typeJSON, d.json, false, cacheRevalidate)
	assets[specYAML] = newAsset(typeYAML, d.yaml, false, cacheRevalidate)
	for p, a := range assets {
		r.GET(rel(p), a.serve)
	}
	r.GET(rel("/ui"), func(c *gin.Context) {
		// Relative (http.Redirect would make it absolute), so it stays right
		// behind a path-prefixing proxy.
		c.Header("Location", "ui/")
		c.Status(http.StatusMovedPermanently)
	})
}

// serve writes the asset, honouring If-None-Match and Accept-Encoding.
func (a asset) serve(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("ETag", a.etag)
	h.Set("Cache-Control", a.cacheControl)
	if a.gzipped {
		h.Set("Vary", "Accept-Encoding")
	}
	if match := c.GetHeader("If-None-Match"); match != "" && etagMatches(match, a.etag) {
		c.Status(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", a.contentType)
	if !a.gzipped {
		c.Data(http.StatusOK, a.contentType, a.body)
		return
	}
	if acceptsGzip(c.GetHeader("Accept-Encoding")) {
		h.Set("Content-Encoding", "gzip")
		c.Data(http.StatusOK, a.contentType, a.body)
		return
	}
	zr, err := gzip.NewReader(bytes.NewReader(a.body))
	if err != nil {
		_ = c.AbortWithError(http.StatusInternalServerError, fmt.Errorf("openapi: embedded asset: %w", err))
		return
	}
	c.Status(http.StatusOK)
	// The client may go away mid-copy; there is nobody left to tell.
	_, _ = io.Copy(c.Writer, zr)
}

// etagMatches reports whether an If-None-Match header names etag.
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "x-gzip" && coding != "*" {
			continue
		}
		name, value, _ := strings.Cut(strings.TrimSpace(params), "=")
		if strings.EqualFold(strings.TrimSpace(name), "q") {
			if q, err := strconv.ParseFloat(strings.TrimSpace(value), 64); err == nil && q == 0 {
				return false
			}
		}
		return true
	}
	return false
}
