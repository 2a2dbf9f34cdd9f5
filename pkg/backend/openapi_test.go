package backend_test

import (
	"context"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// param normalises path parameter names: /a/:code and /a/:activation_code
// are the same route on the wire.
var param = regexp.MustCompile(`:[A-Za-z_]+`)

// TestRouterMatchesOpenAPI checks that every /api route the router serves is
// in the served OpenAPI document and every documented operation is served.
func TestRouterMatchesOpenAPI(t *testing.T) {
	e := backendtest.New(t, backendtest.Options{SQLite: true})
	doc := e.App.OpenAPI
	documented := map[string]bool{}
	for _, r := range doc.Paths() {
		documented[r.Method+" "+param.ReplaceAllString(r.Path, ":p")] = true
	}
	docRoutes := map[string]bool{}
	for _, r := range doc.DocRoutes() {
		docRoutes[r.Method+" "+r.Path] = true
	}
	served := map[string]bool{}
	for _, r := range e.App.Router.Routes() {
		key := r.Method + " " + param.ReplaceAllString(r.Path, ":p")
		if !strings.HasPrefix(r.Path, "/api/") || docRoutes[r.Method+" "+r.Path] || r.Method == http.MethodHead {
			continue
		}
		served[key] = true
	}
	var missing, extra []string
	for k := range served {
		if !documented[k] {
			missing = append(missing, k)
		}
	}
	for k := range documented {
		if !served[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 || len(extra) > 0 {
		t.Fatalf("served but not documented: %v\ndocumented but not served: %v", missing, extra)
	}
	for _, path := range []string{"/api/openapi.json", "/api/openapi.yaml", "/api/ui/"} {
		if r := e.Do("GET", path, nil, ""); r.Code != 200 {
			t.Fatalf("%s: %d", path, r.Code)
		}
	}
}

// TestResponsesValidateAgainstSpec replays a slice of the compatibility
// flow and validates every response against the document's schemas.
func TestResponsesValidateAgainstSpec(t *testing.T) {
	forBothDBs(t, func(t *testing.T, e *compatEnv) {
		doc := e.App.OpenAPI
		check := func(method, path string, body any, token string) map[string]any {
			t.Helper()
			r := e.Do(method, path, body, token)
			req, _ := http.NewRequest(method, "http://localhost"+path, nil)
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			if err := doc.ValidateResponse(context.Background(), req, r.Code, r.Header(), r.Body.Bytes()); err != nil {
				t.Errorf("%s %s -> %d %s: %v", method, path, r.Code, r.Body, err)
			}
			if strings.HasPrefix(r.Header().Get("Content-Type"), "application/json") && strings.HasPrefix(strings.TrimSpace(r.Body.String()), "{") {
				return r.Map()
			}
			return nil
		}
		run := check("POST", "/api/run", map[string]any{"metadata": map[string]any{"project": "p1", "env": "qa"}}, e.UserToken)
		runID := run["id"].(string)
		res := check("POST", "/api/result", map[string]any{"test_id": "t1", "result": "failed", "duration": 1.5, "metadata": map[string]any{"project": "p1", "run": runID}}, e.UserToken)
		resID := res["id"].(string)
		check("GET", "/api/run/"+runID, nil, e.UserToken)
		check("PUT", "/api/run/"+runID, map[string]any{"metadata": map[string]any{"x": 1}}, e.UserToken)
		check("GET", "/api/result/"+resID, nil, e.UserToken)
		check("PUT", "/api/result/"+resID, map[string]any{"metadata": map[string]any{"classification": "needs_triage"}}, e.UserToken)
		check("GET", "/api/result?filter=project_id="+e.p1, nil, e.UserToken)
		check("GET", "/api/run?filter=project_id="+e.p1+"&estimate=true", nil, e.UserToken)
		check("GET", "/api/project", nil, e.UserToken)
		check("GET", "/api/project/"+e.p1, nil, e.UserToken)
		check("GET", "/api/project/filter-params/"+e.p1, nil, e.UserToken)
		check("GET", "/api/group", nil, e.UserToken)
		check("GET", "/api/artifact?resultId="+resID, nil, e.UserToken)
		check("GET", "/api/health", nil, "")
		check("GET", "/api/health/info", nil, e.UserToken)
		check("GET", "/api/health/database", nil, e.UserToken)
		check("GET", "/api/health/ready", nil, "")
		check("GET", "/api/run/00000000-0000-0000-0000-000000000000", nil, e.UserToken)
		check("GET", "/api/result/nope", nil, e.UserToken)
		check("GET", "/api/result", nil, e.AdminToken)
		check("POST", "/api/runs/bulk-update?filter=project_id="+e.p1, map[string]any{"metadata": map[string]any{"y": 2}}, e.UserToken)
		check("GET", "/api/task/"+runID, nil, e.UserToken)
		check("GET", "/api/import", nil, e.UserToken)
		check("GET", "/api/result?filter=project_id="+e.p1+"&pageSize=501", nil, e.UserToken)
	})
}
