package backend_test

import (
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// TestListSort: GET /run and GET /result order by the sort parameter on
// both databases (columns, numeric summary keys, several keys, NULLs last),
// keep upstream's start_time DESC without it, and answer an unknown field
// with a 400 problem, on the inline and the async (pageSize > 500) paths.
func TestListSort(t *testing.T) {
	forBothDBs(t, func(t *testing.T, e *compatEnv) {
		p1 := uuid.MustParse(e.p1)
		t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		// Runs are inserted directly so no summary recomputation rewrites
		// their duration and summary during the test.
		runs := []struct {
			name      string
			duration  *float64
			component string
			summary   model.JSON
		}{
			{"r0", ptr(30.0), "b", model.JSON{"failures": 2, "pass_percent": 80}},
			{"r1", ptr(5.0), "a", model.JSON{"failures": 10, "pass_percent": 50}},
			{"r2", nil, "c", model.JSON{"failures": "n/a"}},
			{"r3", ptr(12.5), "a", model.JSON{"failures": 0, "pass_percent": 100}},
		}
		ids := map[string]string{}
		for i, r := range runs {
			id := uuid.New()
			ids[id.String()] = r.name
			comp := r.component
			row := &model.Run{ID: id, ProjectID: &p1, Component: &comp, Created: t0, StartTime: t0.Add(time.Duration(i) * time.Hour),
				Data: model.JSON{"component": comp}, Duration: r.duration, Summary: r.summary}
			if err := e.App.DB.Gorm.Create(row).Error; err != nil {
				t.Fatal(err)
			}
		}
		names := func(path, key string) []string {
			t.Helper()
			r := e.Do("GET", path, nil, e.UserToken)
			if r.Code != 200 {
				t.Fatalf("GET %s: %d %s", path, r.Code, r.Body)
			}
			var out []string
			for _, it := range r.Map()[key].([]any) {
				m := it.(map[string]any)
				if n, ok := ids[m["id"].(string)]; ok {
					out = append(out, n)
				} else {
					out = append(out, m["test_id"].(string))
				}
			}
			return out
		}
		runList := "/api/run?filter=project_id=" + e.p1 + "&sort="
		for _, c := range []struct {
			sort string
			want []string
		}{
			{"", []string{"r3", "r2", "r1", "r0"}},
			{"-start_time", []string{"r3", "r2", "r1", "r0"}},
			{"start_time", []string{"r0", "r1", "r2", "r3"}},
			{"duration", []string{"r1", "r3", "r0", "r2"}},              // NULL last
			{"-duration", []string{"r0", "r3", "r1", "r2"}},             // NULL last descending too
			{"summary.failures", []string{"r3", "r0", "r1", "r2"}},      // numeric, not text ("10" < "2"); a string is NULL
			{"-summary.pass_percent", []string{"r3", "r0", "r1", "r2"}}, // missing key is NULL
			{"component,-duration", []string{"r3", "r1", "r0", "r2"}},
			{"+component, -start_time", []string{"r3", "r1", "r0", "r2"}},
			{"nope&sort=-start_time", []string{"r3", "r2", "r1", "r0"}}, // the last of repeated parameters wins
		} {
			if got := names(runList+strings.ReplaceAll(url.QueryEscape(c.sort), "%26sort%3D", "&sort="), "runs"); !reflect.DeepEqual(got, c.want) {
				t.Errorf("runs sort=%q: got %v, want %v", c.sort, got, c.want)
			}
		}
		// Pages of a sort with ties neither overlap nor skip rows.
		var paged []string
		for page := 1; page <= 4; page++ {
			paged = append(paged, names(fmt.Sprintf("%scomponent&pageSize=1&page=%d", runList, page), "runs")...)
		}
		if len(paged) != 4 || paged[0] == paged[1] || paged[2] != "r0" || paged[3] != "r2" {
			t.Errorf("paged component sort: %v", paged)
		}

		for i, r := range []struct {
			test, result string
			duration     float64
		}{{"t_b", "passed", 3}, {"t_a", "failed", 1}, {"t_c", "error", 2}} {
			resp := e.Do("POST", "/api/result", map[string]any{"test_id": r.test, "result": r.result, "duration": r.duration,
				"start_time": t0.Add(time.Duration(i) * time.Minute).Format(time.RFC3339),
				"metadata":   map[string]any{"project": "p1", "env": []string{"qa", "prod", "dev"}[i]}}, e.UserToken)
			if resp.Code != 201 {
				t.Fatalf("create result: %d %s", resp.Code, resp.Body)
			}
		}
		resList := "/api/result?filter=project_id=" + e.p1 + "&sort="
		for _, c := range []struct {
			sort string
			want []string
		}{
			{"", []string{"t_c", "t_a", "t_b"}},
			{"duration", []string{"t_a", "t_c", "t_b"}},
			{"-duration", []string{"t_b", "t_c", "t_a"}},
			{"test_id", []string{"t_a", "t_b", "t_c"}},
			{"-result", []string{"t_b", "t_a", "t_c"}},
			{"env", []string{"t_c", "t_a", "t_b"}},
			{"start_time", []string{"t_b", "t_a", "t_c"}},
		} {
			if got := names(resList+url.QueryEscape(c.sort), "results"); !reflect.DeepEqual(got, c.want) {
				t.Errorf("results sort=%q: got %v, want %v", c.sort, got, c.want)
			}
		}

		for _, path := range []string{
			resList + "nope",
			resList + "summary.failures", // runs only
			resList + url.QueryEscape("id;DROP TABLE results"),
			resList + "duration,duration",
			runList + "test_id",
			runList + "summary.a%27b",
			runList + "metadata.env",
			resList + "-nope&pageSize=501", // the async path validates before submitting
			runList + "nope&pageSize=501",
		} {
			r := e.Do("GET", path, nil, e.UserToken)
			if r.Code != 400 || !isProblem(r) {
				t.Errorf("GET %s: want a 400 problem, got %d %s %s", path, r.Code, r.Header().Get("Content-Type"), r.Body)
			}
		}
		// The async path keeps the order.
		r := e.Do("GET", resList+"-duration&pageSize=501", nil, e.UserToken)
		if r.Code != 201 {
			t.Fatalf("async sorted query: %d %s", r.Code, r.Body)
		}
		task := r.Map()["task_id"].(string)
		deadline := time.Now().Add(10 * time.Second)
		for {
			tr := e.Do("GET", "/api/task/"+task, nil, e.UserToken)
			if tr.Code == 200 {
				var got []string
				for _, it := range tr.Map()["results"].([]any) {
					got = append(got, it.(map[string]any)["test_id"].(string))
				}
				if want := []string{"t_b", "t_c", "t_a"}; !reflect.DeepEqual(got, want) {
					t.Errorf("async sort=-duration: got %v, want %v", got, want)
				}
				break
			}
			if tr.Code != 206 || time.Now().After(deadline) {
				t.Fatalf("task: %d %s", tr.Code, tr.Body)
			}
			time.Sleep(50 * time.Millisecond)
		}
		// The documented parameter and both answers validate against the spec.
		for _, path := range []string{runList + "-summary.failures", resList + "-duration", resList + "nope"} {
			e.CheckSpec("GET", path, e.UserToken, e.Do("GET", path, nil, e.UserToken))
		}
	})
}

func ptr[T any](v T) *T { return &v }

// TestEstimatedFlag: pagination.estimated is true exactly when totalItems is
// the planner's estimate (PostgreSQL, estimate=true, at or over the
// threshold) and absent otherwise, so the UI can say "about N".
func TestEstimatedFlag(t *testing.T) {
	eachDB(t, func(t *testing.T, sqlite bool) {
		e := &compatEnv{Env: backendtest.New(t, backendtest.Options{SQLite: sqlite, Configure: func(c *config.Config) {
			c.Limits.CountEstimateThreshold = 10
		}})}
		e.p1 = e.Do("POST", "/api/project", map[string]any{"name": "p1"}, e.UserToken).Map()["id"].(string)
		for i := 0; i < 30; i++ {
			if r := e.Do("POST", "/api/result", map[string]any{"test_id": fmt.Sprint("t", i), "result": "passed", "metadata": map[string]any{"project": "p1"}}, e.UserToken); r.Code != 201 {
				t.Fatal(r.Body)
			}
		}
		if err := e.App.DB.Gorm.Exec("ANALYZE results").Error; err != nil {
			t.Fatal(err)
		}
		pag := func(q string) map[string]any {
			r := e.Do("GET", "/api/result?filter=project_id="+e.p1+q, nil, e.UserToken)
			if r.Code != 200 {
				t.Fatalf("%d %s", r.Code, r.Body)
			}
			return r.Map()["pagination"].(map[string]any)
		}
		if _, ok := pag("")["estimated"]; ok {
			t.Error("an exact count must not say estimated")
		}
		if _, ok := pag("&estimate=true&filter=test_id=t1")["estimated"]; ok {
			t.Error("a small estimate falls back to an exact count")
		}
		// test_id@y keeps the total off the result-count table, which
		// answers project-only filters exactly (TestResultTotalsFromCounts).
		est, ok := pag("&estimate=true&filter=test_id@y")["estimated"]
		if sqlite && ok {
			t.Error("SQLite always counts exactly")
		}
		if !sqlite && est != true {
			t.Errorf("PostgreSQL estimate over the threshold: estimated=%v", est)
		}
	})
}
