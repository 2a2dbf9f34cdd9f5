package backend_test

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// widgetQuery encodes stored widget params as the UI sends them to
// GET /widget/{id}: lists as repeated keys, numbers and booleans as text.
func widgetQuery(params map[string]any) string {
	q := url.Values{}
	for k, v := range params {
		if list, ok := v.([]any); ok {
			for _, x := range list {
				q.Add(k, fmt.Sprint(x))
			}
			continue
		}
		q.Set(k, fmt.Sprint(v))
	}
	return q.Encode()
}

// Every way of creating a project through the API (POST /project by any
// user, POST /admin/project by a superadmin) gives it a default dashboard
// holding project.DefaultWidgets, in order, scoped to the new project; each
// of them answers 200 with the project's data (no widget opens on an error).
func TestNewProjectDashboardIsSeeded(t *testing.T) {
	for _, sqlite := range []bool{false, true} {
		t.Run(map[bool]string{false: "postgres", true: "sqlite"}[sqlite], func(t *testing.T) {
			e := backendtest.New(t, backendtest.Options{SQLite: sqlite})
			for _, c := range []struct{ path, token, name string }{
				{"/api/project", e.UserToken, "seeded-by-user"},
				{"/api/admin/project", e.AdminToken, "seeded-by-admin"},
			} {
				r := e.Do("POST", c.path, map[string]any{"name": c.name, "title": c.name}, c.token)
				if r.Code != 201 {
					t.Fatalf("POST %s: %d %s", c.path, r.Code, r.Body)
				}
				p := r.Map()
				pid, _ := p["id"].(string)
				dash, _ := p["default_dashboard_id"].(string)
				if pid == "" || dash == "" {
					t.Fatalf("%s: no id or default dashboard: %v", c.path, p)
				}
				// Some data, so the widgets compute over rows: one run with a component and two results.
				run := e.Do("POST", "/api/run", map[string]any{"component": "api", "metadata": map[string]any{"project": pid, "component": "api"}}, c.token)
				if run.Code != 201 {
					t.Fatalf("run: %d %s", run.Code, run.Body)
				}
				for _, outcome := range []string{"passed", "failed"} {
					res := e.Do("POST", "/api/result", map[string]any{"test_id": "t-" + outcome, "result": outcome, "component": "api",
						"metadata": map[string]any{"project": pid, "run": run.Map()["id"], "component": "api"}}, c.token)
					if res.Code != 201 {
						t.Fatalf("result: %d %s", res.Code, res.Body)
					}
				}
				list := e.Do("GET", "/api/widget-config?filter=dashboard_id="+dash, nil, c.token)
				var got struct {
					Widgets []struct {
						Widget, Type, Title string
						ProjectID           string `json:"project_id"`
						Params              map[string]any
					}
				}
				list.JSON(&got)
				if list.Code != 200 || len(got.Widgets) != len(project.DefaultWidgets) {
					t.Fatalf("%s: dashboard widgets: %d %s", c.path, list.Code, list.Body)
				}
				for i, w := range got.Widgets {
					want := project.DefaultWidgets[i]
					if w.Widget != want.Widget || w.Title != want.Title || w.Type != "widget" || w.ProjectID != pid || w.Params["project"] != pid {
						t.Errorf("%s: widget %d = %+v, want %s %q in project %s", c.path, i, w, want.Widget, want.Title, pid)
					}
					d := e.Do("GET", "/api/widget/"+w.Widget+"?"+widgetQuery(w.Params), nil, c.token)
					if d.Code != 200 {
						t.Errorf("%s: GET widget %s with the seeded params: %d %s", c.path, w.Widget, d.Code, d.Body)
					}
				}
			}
		})
	}
}
