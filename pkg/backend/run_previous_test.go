package backend_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// TestRunPrevious covers GET /api/run/{id}/previous ("compare with
// previous build", issue 20 point 10) on both databases: the same Jenkins
// job, else the same source/component/env (missing matches missing),
// never a later run, another series or another project, 204 for the first
// build, and the access rules of GET /run/{id}.
func TestRunPrevious(t *testing.T) {
	forBothDBs(t, func(t *testing.T, e *compatEnv) {
		p1, p2 := uuid.MustParse(e.p1), uuid.MustParse(e.p2)
		t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		mk := func(project uuid.UUID, hours int, source, component, env *string, data model.JSON) string {
			t.Helper()
			r := &model.Run{ID: uuid.New(), ProjectID: &project, Created: t0, StartTime: t0.Add(time.Duration(hours) * time.Hour),
				Source: source, Component: component, Env: env, Data: data, Summary: model.JSON{}}
			if err := e.App.DB.Gorm.Create(r).Error; err != nil {
				t.Fatal(err)
			}
			return r.ID.String()
		}
		s := model.Ptr[string]
		job := func(name, build string) model.JSON {
			return model.JSON{"jenkins": map[string]any{"job_name": name, "build_number": build}}
		}
		// Jenkins series "nightly": builds 1, 2, 3; another job in between.
		n1 := mk(p1, 0, s("ci"), s("a"), s("qa"), job("nightly", "1"))
		mk(p1, 1, s("ci"), s("a"), s("qa"), job("weekly", "7"))
		n2 := mk(p1, 2, s("other"), s("b"), nil, job("nightly", "2")) // same job, other columns: still the series
		n3 := mk(p1, 4, s("ci"), s("a"), s("qa"), job("nightly", "3"))
		mk(p1, 6, s("ci"), s("a"), s("qa"), job("nightly", "4"))  // later: never "previous"
		mk(p2, 3, s("ci"), s("a"), s("qa"), job("nightly", "99")) // another project
		// Series without Jenkins: source+component+env, NULL env matching NULL.
		c1 := mk(p1, 0, s("local"), s("ui"), nil, model.JSON{})
		mk(p1, 1, s("local"), s("ui"), s("prod"), model.JSON{})
		mk(p1, 2, s("local"), s("api"), nil, model.JSON{})
		c2 := mk(p1, 3, s("local"), s("ui"), nil, model.JSON{})

		prev := func(id, token string) (int, string) {
			t.Helper()
			r := e.Do("GET", "/api/run/"+id+"/previous", nil, token)
			e.CheckSpec("GET", "/api/run/"+id+"/previous", token, r)
			if r.Code != 200 {
				return r.Code, r.Body.String()
			}
			return r.Code, r.Map()["id"].(string)
		}
		for _, c := range []struct{ run, want string }{{n3, n2}, {n2, n1}, {c2, c1}} {
			if code, got := prev(c.run, e.UserToken); code != 200 || got != c.want {
				t.Errorf("previous of %s = %d %s, want %s", c.run, code, got, c.want)
			}
		}
		for _, first := range []string{n1, c1} {
			if code, body := prev(first, e.UserToken); code != 204 || body != "" {
				t.Errorf("first build %s: %d %s", first, code, body)
			}
		}
		// Access: the run of a project the user is not in is a 403, an unknown id 404, a bad id 400.
		foreignRun := mk(p2, 9, s("ci"), s("a"), s("qa"), job("nightly", "100"))
		if code, body := prev(foreignRun, e.UserToken); code != 403 {
			t.Errorf("foreign run: %d %s", code, body)
		}
		if code, _ := prev(uuid.NewString(), e.UserToken); code != 404 {
			t.Errorf("unknown run: %d", code)
		}
		if code, _ := prev("nope", e.UserToken); code != 400 {
			t.Errorf("bad id: %d", code)
		}
	})
}
