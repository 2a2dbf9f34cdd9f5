package backend_test

import (
	"reflect"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// TestAdminProjectRetention: the admin project routes show and set the
// per-project retention overrides, validate them (400), and every response
// matches the OpenAPI document; the non-admin routes do not show them.
func TestAdminProjectRetention(t *testing.T) {
	forBothDBs(t, func(t *testing.T, e *compatEnv) {
		adm := e.AdminToken
		do := e.DoSpec
		retention := func(r *backendtest.Response) map[string]any {
			t.Helper()
			m, ok := r.Map()["retention"].(map[string]any)
			if !ok {
				t.Fatalf("no retention in %s", r.Body)
			}
			return m
		}
		expect := func(got map[string]any, imp, art, res, run any) {
			t.Helper()
			want := map[string]any{"import_days": imp, "artifact_days": art, "result_days": res, "run_days": run}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("retention %v, want %v", got, want)
			}
		}
		path := "/api/admin/project/" + e.p1

		expect(retention(do("GET", path, nil, adm, 200)), nil, nil, nil, nil)
		r := do("PUT", path, map[string]any{"title": "T", "retention": map[string]any{"run_days": 400, "import_days": 0}}, adm, 200)
		expect(retention(r), 0.0, nil, nil, 400.0)
		if r.Map()["title"] != "T" {
			t.Fatalf("title not updated: %s", r.Body)
		}
		// A missing key keeps its value; null resets one.
		expect(retention(do("PUT", path, map[string]any{"retention": map[string]any{"result_days": 30, "import_days": nil}}, adm, 200)), nil, nil, 30.0, 400.0)
		expect(retention(do("GET", path, nil, adm, 200)), nil, nil, 30.0, 400.0)
		// Other keys leave it alone.
		expect(retention(do("PUT", path, map[string]any{"title": "U"}, adm, 200)), nil, nil, 30.0, 400.0)

		for _, bad := range []any{
			map[string]any{"run_days": -1}, map[string]any{"run_days": 1.5}, map[string]any{"run_days": "7"},
			map[string]any{"artifact_days": true}, map[string]any{"import_days": []any{1}}, "x", []any{}, 3,
		} {
			r := do("PUT", path, map[string]any{"title": "bad", "retention": bad}, adm, 400)
			if !isProblem(r) {
				t.Errorf("%v: not a problem: %s", bad, r.Body)
			}
		}
		g := do("GET", path, nil, adm, 200)
		expect(retention(g), nil, nil, 30.0, 400.0)
		if g.Map()["title"] != "U" {
			t.Fatalf("a rejected update changed the project: %s", g.Body)
		}

		// The list shows it too; the non-admin routes do not.
		list := do("GET", "/api/admin/project", nil, adm, 200).Map()["projects"].([]any)
		found := false
		for _, p := range list {
			pm := p.(map[string]any)
			if _, ok := pm["retention"].(map[string]any); !ok {
				t.Fatalf("list entry without retention: %v", pm)
			}
			if pm["id"] == e.p1 {
				found = true
				expect(pm["retention"].(map[string]any), nil, nil, 30.0, 400.0)
			}
		}
		if !found {
			t.Fatal("p1 not listed")
		}
		if _, ok := do("GET", "/api/project/"+e.p1, nil, e.UserToken, 200).Map()["retention"]; ok {
			t.Fatal("retention shown on a non-admin route")
		}

		// null clears every override (and the row).
		expect(retention(do("PUT", path, map[string]any{"retention": nil}, adm, 200)), nil, nil, nil, nil)
		var n int64
		e.App.DB.Gorm.Table("ibutsu_project_retention").Count(&n)
		if n != 0 {
			t.Fatalf("%d retention rows left", n)
		}

		// Create with retention; delete the project with its row.
		c := do("POST", "/api/admin/project", map[string]any{"name": "ret", "retention": map[string]any{"artifact_days": 10}}, adm, 201)
		expect(retention(c), nil, 10.0, nil, nil)
		do("POST", "/api/admin/project", map[string]any{"name": "ret2", "retention": map[string]any{"artifact_days": -3}}, adm, 400)
		do("DELETE", "/api/admin/project/"+c.Map()["id"].(string), nil, adm, 200)
		e.App.DB.Gorm.Table("ibutsu_project_retention").Count(&n)
		if n != 0 {
			t.Fatalf("%d retention rows left after delete", n)
		}
		if r := e.Do("GET", "/api/admin/project?filter=name=ret2", nil, adm); len(r.Map()["projects"].([]any)) != 0 {
			t.Fatal("a project was created despite a bad retention")
		}
		do("PUT", path, map[string]any{"retention": map[string]any{"run_days": 1}}, e.UserToken, 403)
	})
}
