package openapi

import (
	"net/http"
	"regexp"
	"sort"
	"strings"
)

// Route is one operation as a router sees it, so the document's operations
// can be compared with gin's Routes() and with the auth middleware's list of
// public routes.
type Route struct {
	// Method is the HTTP method in upper case.
	Method string
	// Path is the full path in gin syntax, e.g. /api/result/:id.
	Path string
	// OperationID is the operation's operationId (empty for Register's
	// documentation routes).
	OperationID string
	// Public reports whether the operation needs no Authorization header.
	Public bool
}

// pathParam matches an OpenAPI path template variable.
var pathParam = regexp.MustCompile(`\{([^{}/]+)\}`)

// Paths lists every operation of the document, sorted by path then method,
// with paths prefixed by the base path and written in gin syntax.
func (d *Document) Paths() []Route {
	var out []Route
	globalPublic := d.spec.Security != nil && len(d.spec.Security) == 0
	for p, item := range d.spec.Paths.Map() {
		ginPath := d.basePath + pathParam.ReplaceAllString(p, ":$1")
		for method, op := range item.Operations() {
			public := globalPublic
			if op.Security != nil {
				public = len(*op.Security) == 0
			}
			out = append(out, Route{Method: strings.ToUpper(method), Path: ginPath, OperationID: op.OperationID, Public: public})
		}
	}
	sortRoutes(out)
	return out
}

// Asset paths of Swagger UI under <base>/ui/.
const (
	uiIndex       = "/ui/"
	uiInitializer = "/ui/swagger-initializer.js"
	uiBundle      = "/ui/swagger-ui-bundle.js"
	uiPreset      = "/ui/swagger-ui-standalone-preset.js"
	uiCSS         = "/ui/swagger-ui.css"
	specJSON      = "/openapi.json"
	specYAML      = "/openapi.yaml"
)

// docPaths are the routes Register mounts, relative to the base path.
var docPaths = []string{specJSON, specYAML, "/ui", uiIndex, uiInitializer, uiBundle, uiPreset, uiCSS}

// DocRoutes lists the public routes Register mounts (the document itself and
// Swagger UI), in the same form as Paths, so a route-equality test can
// account for them.
func (d *Document) DocRoutes() []Route {
	out := make([]Route, 0, len(docPaths))
	for _, p := range docPaths {
		out = append(out, Route{Method: http.MethodGet, Path: d.basePath + p, Public: true})
	}
	sortRoutes(out)
	return out
}

func sortRoutes(rs []Route) {
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].Path != rs[j].Path {
			return rs[i].Path < rs[j].Path
		}
		return rs[i].Method < rs[j].Method
	})
}
