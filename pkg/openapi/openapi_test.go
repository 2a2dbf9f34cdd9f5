package openapi

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"sigs.k8s.io/yaml"
)

func mustLoad(t *testing.T, areas ...string) *Document {
	t.Helper()
	d, err := Load(areas...)
	if err != nil {
		t.Fatalf("Load(%v): %v", areas, err)
	}
	return d
}

func TestLoadAllValidates(t *testing.T) {
	d := mustLoad(t)
	if err := d.Spec().Validate(context.Background()); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if got, want := d.Areas(), Areas(); !slices.Equal(got, want) {
		t.Errorf("Areas() = %v, want %v", got, want)
	}
	if d.BasePath() != "/api" {
		t.Errorf("BasePath() = %q, want /api", d.BasePath())
	}
	if v := d.Spec().Info.Version; v == "" {
		t.Error("info.version is empty")
	}
	if s := d.Spec().Components.SecuritySchemes["jwt"]; s == nil || s.Value.Type != "http" || s.Value.Scheme != "bearer" {
		t.Errorf("securitySchemes.jwt = %+v, want http bearer", s)
	}
	for _, name := range []string{
		"Result", "Run", "Artifact", "Project", "User", "Token", "Group", "Dashboard", "WidgetConfig",
		"WidgetType", "Import", "Health", "HealthInfo", "Pagination", "Problem", "LoginError",
		"ResultList", "RunList", "ArtifactList", "ProjectList", "TokenList", "GroupList", "DashboardList",
		"WidgetConfigList", "WidgetTypeList", "ImportList",
	} {
		if d.Spec().Components.Schemas[name] == nil {
			t.Errorf("components.schemas.%s is missing", name)
		}
	}
	for _, name := range []string{"Page", "PageSize", "Filter", "Estimate", "ID"} {
		if d.Spec().Components.Parameters[name] == nil {
			t.Errorf("components.parameters.%s is missing", name)
		}
	}
	f := d.Spec().Components.Parameters["Filter"].Value
	if f.Style != "form" || f.Explode == nil || !*f.Explode || !f.Schema.Value.Type.Is("array") {
		t.Errorf("Filter parameter = style %q explode %v type %v, want form/explode array", f.Style, f.Explode, f.Schema.Value.Type)
	}
}

func TestEveryOperationIsComplete(t *testing.T) {
	d := mustLoad(t)
	ids := map[string]string{}
	for p, item := range d.Spec().Paths.Map() {
		for method, op := range item.Operations() {
			where := method + " " + p
			if op.OperationID == "" {
				t.Errorf("%s has no operationId", where)
			} else if other, dup := ids[op.OperationID]; dup {
				t.Errorf("%s and %s share operationId %s", where, other, op.OperationID)
			}
			ids[op.OperationID] = where
			if len(op.Tags) == 0 {
				t.Errorf("%s has no tag", where)
			}
			if op.Summary == "" {
				t.Errorf("%s has no summary", where)
			}
			if op.Responses.Len() == 0 {
				t.Errorf("%s has no response", where)
			}
			if op.Responses.Value("500") == nil {
				t.Errorf("%s does not list 500", where)
			}
			public := op.Security != nil && len(*op.Security) == 0
			if !public && op.Responses.Value("401") == nil {
				t.Errorf("%s needs a token but does not list 401", where)
			}
			if strings.Contains(p, "{") {
				params := append(openapi3.Parameters{}, item.Parameters...)
				params = append(params, op.Parameters...)
				if !slices.ContainsFunc(params, func(r *openapi3.ParameterRef) bool { return r.Value.In == "path" }) {
					t.Errorf("%s has no path parameter", where)
				}
			}
		}
	}
}

func TestEveryFragmentIsReachable(t *testing.T) {
	full := mustLoad(t)
	fullPaths := map[string]bool{}
	for _, r := range full.Paths() {
		fullPaths[r.Method+" "+r.Path] = true
	}
	union := map[string]bool{}
	for _, a := range Areas() {
		d := mustLoad(t, a)
		if len(d.Paths()) == 0 {
			t.Errorf("area %s has no operation", a)
		}
		for _, r := range d.Paths() {
			key := r.Method + " " + r.Path
			if !fullPaths[key] {
				t.Errorf("area %s: %s is missing from the full document", a, key)
			}
			if union[key] {
				t.Errorf("area %s: %s is defined by another area too", a, key)
			}
			union[key] = true
		}
		if len(d.Spec().Tags) == 0 {
			t.Errorf("area %s declares no tag", a)
		}
	}
	if len(union) != len(fullPaths) {
		t.Errorf("areas define %d operations, the full document %d", len(union), len(fullPaths))
	}
	// Two areas together hold exactly their own paths.
	d := mustLoad(t, AreaRuns, AreaResults, AreaRuns)
	if got := d.Areas(); !slices.Equal(got, []string{AreaResults, AreaRuns}) {
		t.Errorf("Areas() = %v", got)
	}
	for _, r := range d.Paths() {
		if !strings.HasPrefix(r.Path, "/api/result") && !strings.HasPrefix(r.Path, "/api/run") {
			t.Errorf("results+runs document holds %s %s", r.Method, r.Path)
		}
	}
}

func TestAreaConstants(t *testing.T) {
	consts := []string{
		AreaAdmin, AreaArtifacts, AreaDashboards, AreaGroups, AreaHealth, AreaImports, AreaLogin,
		AreaProjects, AreaResults, AreaRuns, AreaTasks, AreaUser, AreaWidgetConfigs, AreaWidgets, AreaWebhooks,
	}
	sort.Strings(consts)
	if !slices.Equal(consts, Areas()) {
		t.Errorf("Area constants %v differ from the fragments %v", consts, Areas())
	}
	order := slices.Clone(readingOrder)
	sort.Strings(order)
	if !slices.Equal(order, Areas()) {
		t.Errorf("readingOrder %v does not list every area once", readingOrder)
	}
	var tags []string
	for _, tag := range mustLoad(t).Spec().Tags {
		tags = append(tags, tag.Name)
	}
	if len(tags) == 0 || tags[0] != "result" || tags[len(tags)-1] != "admin/project management" {
		t.Errorf("tags in the order %v, want result first and admin last", tags)
	}
}

func TestLoadUnknownArea(t *testing.T) {
	if _, err := Load("results", "reports"); err == nil || !strings.Contains(err.Error(), `"reports"`) {
		t.Errorf("Load(reports) error = %v, want an unknown-area error", err)
	}
}

// contractRoutes is every route of upstream's openapi.yaml
// (backend/ibutsu_server/openapi/openapi.yaml in ibutsu/ibutsu-server).
var contractRoutes = []string{
	"GET /api/health", "GET /api/health/database", "GET /api/health/info",
	"GET /api/result", "POST /api/result", "GET /api/result/:id", "PUT /api/result/:id",
	"GET /api/run", "POST /api/run", "GET /api/run/:id", "PUT /api/run/:id", "POST /api/runs/bulk-update",
	"GET /api/artifact", "POST /api/artifact", "GET /api/artifact/:id", "DELETE /api/artifact/:id",
	"GET /api/artifact/:id/view", "GET /api/artifact/:id/download",
	"GET /api/project", "POST /api/project", "GET /api/project/:id", "PUT /api/project/:id",
	"GET /api/project/filter-params/:id",
	"GET /api/group", "POST /api/group", "GET /api/group/:id", "PUT /api/group/:id",
	"GET /api/dashboard", "POST /api/dashboard", "GET /api/dashboard/:id", "PUT /api/dashboard/:id",
	"DELETE /api/dashboard/:id",
	"GET /api/widget-config", "POST /api/widget-config", "GET /api/widget-config/:id",
	"PUT /api/widget-config/:id", "DELETE /api/widget-config/:id",
	"GET /api/widget/types", "GET /api/widget/:id",
	"GET /api/import", "POST /api/import", "GET /api/import/:id",
	"GET /api/task/:id",
	"GET /api/user", "PUT /api/user", "GET /api/user/token", "POST /api/user/token",
	"GET /api/user/token/:id", "DELETE /api/user/token/:id",
	"POST /api/login", "GET /api/login/support", "GET /api/login/config/:provider",
	"GET /api/login/auth/:provider", "POST /api/login/register", "GET /api/login/activate/:activation_code",
	"POST /api/login/recover", "POST /api/login/reset-password",
	"GET /api/admin/user", "POST /api/admin/user", "GET /api/admin/user/:id", "PUT /api/admin/user/:id",
	"DELETE /api/admin/user/:id",
	"GET /api/admin/project", "POST /api/admin/project", "GET /api/admin/project/:id",
	"PUT /api/admin/project/:id", "DELETE /api/admin/project/:id",
}

// extensionRoutes are the operations we add beyond upstream's openapi.yaml.
var extensionRoutes = []string{"GET /api/health/ready", "POST /api/results/bulk-update", "GET /api/run/:id/previous", "GET /api/run/:id/clusters",
	"GET /api/project/:id/webhooks", "POST /api/project/:id/webhooks", "GET /api/project/:id/webhooks/:hook",
	"PUT /api/project/:id/webhooks/:hook", "DELETE /api/project/:id/webhooks/:hook",
	"GET /api/project/:id/webhooks/:hook/deliveries", "POST /api/project/:id/webhooks/:hook/test",
	"GET /api/project/:id/quarantine", "POST /api/project/:id/quarantine", "PUT /api/project/:id/quarantine/:entry",
	"DELETE /api/project/:id/quarantine/:entry", "GET /api/project/:id/quarantine.txt",
	"GET /api/import/formats",
	"GET /api/run/:id/events", "POST /api/run/:id/events/ticket", "POST /api/run/:id/finish",
	"GET /api/project/:id/events", "POST /api/project/:id/events/ticket",
	"GET /api/flaky", "GET /api/project/:id/flaky-settings", "PUT /api/project/:id/flaky-settings",

	"GET /api/result/:id/classification-history", "GET /api/project/:id/triage-settings", "PUT /api/project/:id/triage-settings"}

func TestPathsAreTheContractRoutes(t *testing.T) {
	var got []string
	for _, r := range mustLoad(t).Paths() {
		got = append(got, r.Method+" "+r.Path)
	}
	want := append(slices.Clone(contractRoutes), extensionRoutes...)
	sort.Strings(got)
	sort.Strings(want)
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("missing %s", w)
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) {
			t.Errorf("not in the contract: %s", g)
		}
	}
}

func TestPublicRoutes(t *testing.T) {
	var public []string
	for _, r := range mustLoad(t).Paths() {
		if r.Public {
			public = append(public, r.Method+" "+r.Path)
		}
	}
	want := []string{"GET /api/health", "GET /api/health/ready"}
	for _, r := range contractRoutes {
		if strings.Contains(r, " /api/login") {
			want = append(want, r)
		}
	}
	sort.Strings(public)
	sort.Strings(want)
	if !slices.Equal(public, want) {
		t.Errorf("public routes = %v\nwant %v", public, want)
	}
}

func statuses(t *testing.T, d *Document, method, path string) []string {
	t.Helper()
	item := d.Spec().Paths.Value(path)
	if item == nil {
		t.Fatalf("no path %s", path)
	}
	op := item.GetOperation(method)
	if op == nil {
		t.Fatalf("no %s %s", method, path)
	}
	var out []string
	for code := range op.Responses.Map() {
		out = append(out, code)
	}
	sort.Strings(out)
	return out
}

func TestContractStatuses(t *testing.T) {
	d := mustLoad(t)
	for _, tc := range []struct {
		method, path string
		has, hasNot  []string
	}{
		{"GET", "/result", []string{"200", "201", "400", "401"}, nil},
		{"GET", "/run", []string{"200", "201", "400", "401"}, nil},
		{"POST", "/result", []string{"201", "400", "403"}, []string{"200"}},
		{"GET", "/run/{id}", []string{"200", "400", "403", "404"}, nil},
		{"POST", "/runs/bulk-update", []string{"200", "401", "403", "404", "405"}, nil},
		{"GET", "/task/{id}", []string{"200", "203", "206"}, nil},
		{"POST", "/import", []string{"202", "400", "403", "415"}, []string{"201"}},
		{"GET", "/import/{id}", []string{"200", "404"}, []string{"202"}},
		{"GET", "/project/{id}", []string{"200", "400", "401", "404"}, nil},
		{"POST", "/artifact", []string{"201", "400", "403", "404"}, nil},
		{"GET", "/health/database", []string{"200", "503"}, nil},
		{"POST", "/login", []string{"200", "400", "401"}, nil},
		{"POST", "/login/register", []string{"201", "400", "401"}, nil},
		{"GET", "/login/activate/{activation_code}", []string{"302", "400"}, nil},
		{"GET", "/login/auth/{provider}", []string{"200", "302", "400", "401"}, nil},
		{"GET", "/widget/{id}", []string{"200", "400", "504"}, nil},
		{"DELETE", "/admin/user/{id}", []string{"200", "400", "403", "404"}, nil},
	} {
		got := statuses(t, d, tc.method, tc.path)
		for _, s := range tc.has {
			if !slices.Contains(got, s) {
				t.Errorf("%s %s lacks %s (has %v)", tc.method, tc.path, s, got)
			}
		}
		for _, s := range tc.hasNot {
			if slices.Contains(got, s) {
				t.Errorf("%s %s lists %s", tc.method, tc.path, s)
			}
		}
	}
	// The path ids upstream leaves unchecked are plain strings.
	put := d.Spec().Paths.Value("/admin/project/{id}").Put
	if f := put.Parameters.GetByInAndName("path", "id").Schema.Value.Format; f != "" {
		t.Errorf("PUT /admin/project/{id} id format = %q, want none", f)
	}
	w := d.Spec().Paths.Value("/widget/{id}").Parameters.GetByInAndName("path", "id").Schema.Value
	if len(w.Enum) != 16 {
		t.Errorf("/widget/{id} enum has %d ids, want 16 (upstream's 14, run-matrix and flaky-tests)", len(w.Enum))
	}
	bulk := d.Spec().Paths.Value("/runs/bulk-update").Post.Parameters.GetByInAndName("query", "pageSize")
	if def := bulk.Schema.Value.Default; fmt.Sprint(def) != "1" {
		t.Errorf("bulk-update pageSize default = %v, want 1", def)
	}
}

func TestJSONAndYAMLAgree(t *testing.T) {
	d := mustLoad(t)
	fromYAML, err := yaml.YAMLToJSON(d.YAML())
	if err != nil {
		t.Fatal(err)
	}
	a, err := openapi3.NewLoader().LoadFromData(d.JSON())
	if err != nil {
		t.Fatal(err)
	}
	b, err := openapi3.NewLoader().LoadFromData(fromYAML)
	if err != nil {
		t.Fatal(err)
	}
	if a.Paths.Len() != b.Paths.Len() || len(a.Components.Schemas) != len(b.Components.Schemas) {
		t.Errorf("JSON has %d paths/%d schemas, YAML %d/%d", a.Paths.Len(), len(a.Components.Schemas), b.Paths.Len(), len(b.Components.Schemas))
	}
	// The accessors hand out copies.
	d.JSON()[0] = 'x'
	if d.JSON()[0] != '{' {
		t.Error("JSON() exposes the served bytes")
	}
}

func TestMergeFragment(t *testing.T) {
	base := func() map[string]any {
		return map[string]any{
			"paths":      map[string]any{"/a": map[string]any{}},
			"components": map[string]any{"schemas": map[string]any{"S": map[string]any{"type": "string"}}},
			"tags":       []any{map[string]any{"name": "a"}},
		}
	}
	frag := func(path string, schema map[string]any) map[string]any {
		return map[string]any{
			"paths":      map[string]any{path: map[string]any{}},
			"components": map[string]any{"schemas": map[string]any{"S": schema}},
			"tags":       []any{map[string]any{"name": "a"}, map[string]any{"name": "b"}},
		}
	}
	doc := base()
	if err := mergeFragment(doc, frag("/b", map[string]any{"type": "string"})); err != nil {
		t.Fatalf("identical component: %v", err)
	}
	if n := len(doc["tags"].([]any)); n != 2 {
		t.Errorf("tags = %v, want a and b once each", doc["tags"])
	}
	if err := mergeFragment(base(), frag("/a", map[string]any{"type": "string"})); !errors.Is(err, errConflict) {
		t.Errorf("duplicate path: %v, want a conflict", err)
	}
	if err := mergeFragment(base(), frag("/b", map[string]any{"type": "integer"})); !errors.Is(err, errConflict) {
		t.Errorf("different component: %v, want a conflict", err)
	}
	if err := mergeFragment(base(), map[string]any{"paths": map[string]any{"/c": map[string]any{}}, "info": map[string]any{}}); err == nil {
		t.Error("a fragment with info merged")
	}
	if err := mergeFragment(base(), map[string]any{"tags": []any{}}); err == nil {
		t.Error("a fragment without paths merged")
	}
}

// A process builds each area set's document once: servers built one after
// another (tests build hundreds) share it instead of parsing it again.
func TestLoadBuildsADocumentOncePerAreaSet(t *testing.T) {
	a, b := mustLoad(t, AreaRuns, AreaResults), mustLoad(t, AreaRuns, AreaResults)
	if a != b {
		t.Error("the same areas were loaded twice into two documents")
	}
	if c := mustLoad(t, AreaRuns); c == a {
		t.Error("another area set got the first set's document")
	}
}
