package backend_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// TestStoredExtremesStayReadable: rows the API no longer accepts but the
// database may still hold — written before the bounds, by upstream's
// server sharing the database, or by hand — are served, not dropped: a
// duration of +Inf, -Inf or NaN, two durations whose sum overflows
// float64, and times beyond the years 1-9999. Before, encoding/json
// refused the answer and every read carrying such a row was a 200 with an
// empty body (PostgreSQL) or a 500 (SQLite lists).
func TestStoredExtremesStayReadable(t *testing.T) {
	eachDB(t, func(t *testing.T, sqlite bool) {
		e := backendtest.New(t, backendtest.Options{SQLite: sqlite})
		tok := e.TokenFor(e.CreateUser("extremes@example.com", "pw", false))
		pid := mustOK(t, e.Do("POST", "/api/project", map[string]any{"name": "extremes"}, tok), "project")["id"].(string)
		jenkins := map[string]any{"job_name": "J", "build_number": "1"}
		var runs, results []string
		for i := 0; i < 3; i++ {
			runs = append(runs, mustOK(t, e.Do("POST", "/api/run", map[string]any{"project_id": pid,
				"metadata": map[string]any{"env": "e", "jenkins": jenkins}}, tok), "run")["id"].(string))
			results = append(results, mustOK(t, e.Do("POST", "/api/result", map[string]any{"test_id": "t", "result": "passed",
				"run_id": runs[i], "project_id": pid, "metadata": map[string]any{"jenkins": jenkins}}, tok), "result")["id"].(string))
		}
		inf, ninf, nan, late := "'Infinity'", "'-Infinity'", "'NaN'", "'10000-01-01 04:00:00'"
		if sqlite {
			// SQLite reads 9e999 as +Inf and stores NaN as NULL.
			inf, ninf, nan, late = "9e999", "-9e999", "(9e999 - 9e999)", "'10000-01-01 04:00:00+00:00'"
		}
		for _, q := range []string{
			"UPDATE runs SET duration = " + inf + ", start_time = " + late + " WHERE id = '" + runs[0] + "'",
			"UPDATE runs SET duration = 1e308 WHERE id IN ('" + runs[1] + "', '" + runs[2] + "')",
			"UPDATE results SET duration = " + nan + ", start_time = " + late + " WHERE id = '" + results[0] + "'",
			"UPDATE results SET duration = " + ninf + " WHERE id = '" + results[1] + "'",
			"UPDATE results SET duration = 1e308 WHERE id = '" + results[2] + "'",
		} {
			if err := e.App.DB.Gorm.Exec(q).Error; err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		for _, id := range runs {
			servedJSON(t, e, "/api/run/"+id, tok)
		}
		for _, id := range results {
			servedJSON(t, e, "/api/result/"+id, tok)
		}
		for path, rows := range map[string]struct {
			key string
			ids []string
		}{
			"/api/run?filter=project_id=" + pid:    {"runs", runs},
			"/api/result?filter=project_id=" + pid: {"results", results},
		} {
			got, _ := servedJSON(t, e, path, tok)[rows.key].([]any)
			if len(got) != len(rows.ids) {
				t.Errorf("%s: %d rows, want %d", path, len(got), len(rows.ids))
			}
			for _, row := range got {
				st, _ := row.(map[string]any)["start_time"].(string)
				if strings.HasPrefix(st, "1000") {
					t.Errorf("%s: start_time %q beyond year 9999", path, st)
				}
			}
		}
		for _, path := range []string{
			"/api/widget/jenkins-job-view?project=" + pid,
			"/api/widget/jenkins-analysis-view?job_name=J&project=" + pid,
			"/api/widget/run-aggregator?group_field=env&weeks=52&project=" + pid,
			"/api/widget/result-aggregator?group_field=result&project=" + pid,
			"/api/widget/result-summary?project=" + pid,
			"/api/widget/compare-runs-view?base_run=" + runs[0] + "&target_run=" + runs[1] + "&project=" + pid,
		} {
			r := e.Do("GET", path, nil, tok)
			if r.Code != 200 || !json.Valid(r.Body.Bytes()) || r.Body.Len() == 0 {
				t.Errorf("GET %s: %d %q, want a 200 with JSON", path, r.Code, trim(r.Body.String()))
			}
		}
		// The build summing +Inf and twice 1e308 is listed.
		jobs, _ := servedJSON(t, e, "/api/widget/jenkins-job-view?project="+pid, tok)["jobs"].([]any)
		if len(jobs) != 1 {
			t.Errorf("jenkins-job-view: %d jobs, want 1", len(jobs))
		}
	})
}
