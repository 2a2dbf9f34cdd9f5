package flaky_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/flaky"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// Over HTTP on both databases: a test that passed and failed in one run is
// listed by GET /api/flaky, marked on its results and its run, and hidden
// from a user outside the project; settings follow the project's rights;
// bad parameters are 400s with a JSON message.
func TestFlakyOverHTTP(t *testing.T) {
	for _, sqlite := range []bool{false, true} {
		t.Run(fmt.Sprintf("sqlite=%v", sqlite), func(t *testing.T) {
			e := backendtest.New(t, backendtest.Options{SQLite: sqlite})
			ctx := context.Background()
			name := "ours"
			p := e.CreateProject(name, e.Admin)
			pid := p.ID.String()
			run := e.Do("POST", "/api/run", map[string]any{"metadata": map[string]any{"project": name,
				"jenkins": map[string]any{"job_name": "nightly", "build_number": "7"}}}, e.AdminToken).Map()
			var ids []string
			for _, res := range []string{"failed", "passed", "passed"} {
				test := "tests/test_a.py::test_retry"
				if len(ids) == 2 {
					test = "tests/test_a.py::test_stable"
				}
				r := e.Do("POST", "/api/result", map[string]any{"test_id": test, "result": res, "run_id": run["id"],
					"metadata": map[string]any{"project": name, "component": "api"}}, e.AdminToken)
				if r.Code != 201 {
					t.Fatalf("result: %d %s", r.Code, r.Body)
				}
				ids = append(ids, r.Map()["id"].(string))
			}
			// What the summary task does after the run's results arrive.
			if err := e.App.Services.Flaky.RefreshProject(ctx, p.ID); err != nil {
				t.Fatal(err)
			}
			got := e.Do("GET", "/api/flaky?project="+pid, nil, e.AdminToken)
			if got.Code != 200 {
				t.Fatalf("list: %d %s", got.Code, got.Body)
			}
			m := got.Map()
			items := m["flaky"].([]any)
			pag := m["pagination"].(map[string]any)
			if len(items) != 1 || pag["totalItems"].(float64) != 1 || pag["pageSize"].(float64) != 25 {
				t.Fatalf("list: %s", got.Body)
			}
			item := items[0].(map[string]any)
			if item["test_id"] != "tests/test_a.py::test_retry" || item["component"] != "api" || item["job"] != "nightly" ||
				item["score"].(float64) != 1 || len(item["evidence"].([]any)) != 2 {
				t.Errorf("item: %v", item)
			}
			ev := item["evidence"].([]any)[0].(map[string]any)
			if ev["kind"] != flaky.KindRetryRun || ev["run_id"] != run["id"] || ev["build"] != "7" {
				t.Errorf("evidence: %v", ev)
			}
			if r := e.Do("GET", "/api/result/"+ids[0], nil, e.AdminToken).Map(); r["flaky"] != true {
				t.Errorf("single result: flaky = %v", r["flaky"])
			}
			// Writes ignore the key: a client sending back what it read changes nothing.
			if r := e.Do("PUT", "/api/result/"+ids[0], map[string]any{"flaky": false, "metadata": map[string]any{"classification": "flaky_test"}}, e.AdminToken); r.Code != 200 || r.Map()["flaky"] != true {
				t.Errorf("PUT with flaky=false: %d %s", r.Code, r.Body)
			}
			if r := e.Do("GET", "/api/result/"+ids[2], nil, e.AdminToken).Map(); r["flaky"] != nil {
				t.Errorf("stable result: flaky = %v", r["flaky"])
			}
			list := e.Do("GET", "/api/result?filter=project_id="+pid+"&filter=run_id="+run["id"].(string), nil, e.AdminToken).Map()["results"].([]any)
			marked := 0
			for _, r := range list {
				if r.(map[string]any)["flaky"] == true {
					marked++
				}
			}
			if marked != 2 {
				t.Errorf("%d of the run's results marked, want 2", marked)
			}
			if r := e.Do("GET", "/api/run/"+run["id"].(string), nil, e.AdminToken).Map(); fmt.Sprint(r["flaky"]) != "map[tests:1]" {
				t.Errorf("run marker: %v", r["flaky"])
			}
			runs := e.Do("GET", "/api/run?filter=project_id="+pid+"&filter=id="+run["id"].(string), nil, e.AdminToken).Map()["runs"].([]any)
			if len(runs) != 1 || fmt.Sprint(runs[0].(map[string]any)["flaky"]) != "map[tests:1]" {
				t.Errorf("run list marker: %v", runs)
			}

			// A user outside the project: 403, nothing of it.
			if r := e.Do("GET", "/api/flaky?project="+pid, nil, e.UserToken); r.Code != 403 || strings.Contains(r.Body.String(), "test_retry") {
				t.Errorf("outsider list: %d %s", r.Code, r.Body)
			}
			if r := e.Do("GET", "/api/project/"+pid+"/flaky-settings", nil, e.UserToken); r.Code != 403 {
				t.Errorf("outsider settings: %d %s", r.Code, r.Body)
			}
			if r := e.Do("PUT", "/api/project/"+pid+"/flaky-settings", map[string]any{"min_flips": 2}, e.UserToken); r.Code != 403 {
				t.Errorf("outsider writes settings: %d %s", r.Code, r.Body)
			}
			if r := e.Do("GET", "/api/project/"+pid+"/flaky-settings", nil, e.AdminToken).Map(); r["min_flips"].(float64) != 3 {
				t.Errorf("settings after a refused write: %v", r)
			}
			if r := e.Do("PUT", "/api/project/"+pid+"/flaky-settings", map[string]any{"min_flips": 2, "last_runs": 5}, e.AdminToken); r.Code != 200 ||
				r.Map()["last_runs"].(float64) != 5 || r.Map()["window_days"].(float64) != 14 {
				t.Errorf("admin writes settings: %d %s", r.Code, r.Body)
			}
			for path, want := range map[string]string{
				"/api/flaky":                                  "project is required",
				"/api/flaky?project=nope":                     "not a valid UUID",
				"/api/flaky?project=" + pid + "&window=0":     "window must be",
				"/api/flaky?project=" + pid + "&window=x":     "window must be",
				"/api/flaky?project=" + pid + "&pageSize=0":   "pageSize",
				"/api/flaky?project=" + pid + "&page=0":       "page must be",
				"/api/flaky?project=" + pid + "&pageSize=1e9": "pageSize",
			} {
				if r := e.Do("GET", path, nil, e.AdminToken); r.Code != 400 || !strings.Contains(r.Body.String(), want) {
					t.Errorf("%s: %d %s, want 400 %q", path, r.Code, r.Body, want)
				}
			}
			for body, want := range map[string]string{
				`{"min_flips": "3"}`:           "min_flips",
				`{"min_flips": 1.5}`:           "min_flips",
				`{"last_runs": 1}`:             "last_runs must be",
				`{"window_days": 99999999999}`: "window_days",
				`[]`:                           "",
			} {
				r := e.Do("PUT", "/api/project/"+pid+"/flaky-settings", body, e.AdminToken)
				if r.Code != 400 || !strings.Contains(r.Body.String(), want) {
					t.Errorf("PUT %s: %d %s, want 400 %q", body, r.Code, r.Body, want)
				}
			}
		})
	}
}
