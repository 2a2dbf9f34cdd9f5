package backend_test

import (
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/result"
)

// TestResultBulkUpdateByFilter covers the filter mode of POST
// /api/results/bulk-update ("select all N matching", issue 20 point 9) on
// both databases: it changes exactly the caller's results the filter
// selects, never a foreign project's (checked in the database), refuses more
// than the cap with nothing changed, and answers bad bodies with 400.
func TestResultBulkUpdateByFilter(t *testing.T) {
	forBothDBs(t, func(t *testing.T, e *compatEnv) {
		run := e.Do("POST", "/api/run", map[string]any{"metadata": map[string]any{"project": e.p1}}, e.UserToken).Map()["id"].(string)
		newResult := func(project, token, runID, status string) string {
			t.Helper()
			md := map[string]any{"project": project}
			if runID != "" {
				md["run"] = runID
			}
			r := e.Do("POST", "/api/result", map[string]any{"test_id": "t", "result": status, "metadata": md}, token)
			if r.Code != 201 {
				t.Fatalf("create result: %d %s", r.Code, r.Body)
			}
			return r.Map()["id"].(string)
		}
		f1, f2 := newResult(e.p1, e.UserToken, run, "failed"), newResult(e.p1, e.UserToken, run, "error")
		passed := newResult(e.p1, e.UserToken, run, "passed")
		foreign := newResult(e.p2, e.AdminToken, "", "failed")
		// classification reads the database directly, not through the API.
		classification := func(id string) any {
			t.Helper()
			var r model.Result
			if err := e.App.DB.Gorm.First(&r, "id = ?", id).Error; err != nil {
				t.Fatal(err)
			}
			return r.Data["classification"]
		}
		bulk := func(body any, token string) (int, string) {
			t.Helper()
			r := e.Do("POST", "/api/results/bulk-update", body, token)
			return r.Code, r.Body.String()
		}
		md := map[string]any{"classification": "product_failure"}

		// Every failure of the run, in one call.
		code, body := bulk(map[string]any{"filter": []any{"run_id=" + run, "result*failed;error"}, "metadata": md}, e.UserToken)
		if code != 200 || !strings.Contains(body, `"updated":2`) || !strings.Contains(body, `"results":[]`) {
			t.Fatalf("by filter: %d %s", code, body)
		}
		if classification(f1) != "product_failure" || classification(f2) != "product_failure" || classification(passed) != nil {
			t.Fatalf("wrong rows changed: %v %v %v", classification(f1), classification(f2), classification(passed))
		}

		// A member's filter never reaches another project's results, whether
		// it names that project or matches across projects.
		for _, f := range [][]any{{"project_id=" + e.p2}, {"result=failed"}, {"project_id=" + e.p2, "result=failed"}} {
			code, body := bulk(map[string]any{"filter": f, "metadata": map[string]any{"classification": "test_failure"}}, e.UserToken)
			if code != 200 {
				t.Fatalf("%v: %d %s", f, code, body)
			}
		}
		if classification(foreign) != nil {
			t.Fatalf("a member's bulk update by filter changed a foreign project's result: %v", classification(foreign))
		}
		if classification(f1) != "test_failure" {
			t.Fatalf("the member's own failed result was not updated by result=failed")
		}
		// A superadmin must name a project, as for GET /result.
		if code, body := bulk(map[string]any{"filter": []any{"result=failed"}, "metadata": md}, e.AdminToken); code != 400 || !strings.Contains(body, "project_id filter is required") {
			t.Fatalf("superadmin without project: %d %s", code, body)
		}
		if code, body := bulk(map[string]any{"filter": []any{"project_id=" + e.p2}, "metadata": md}, e.AdminToken); code != 200 || classification(foreign) != "product_failure" {
			t.Fatalf("superadmin with project: %d %s", code, body)
		}

		// More than the cap: 400, nothing changed.
		rows := make([]model.Result, result.MaxBulkFilterMatches+1)
		p1 := uuid.MustParse(e.p1)
		for i := range rows {
			rows[i] = model.Result{ID: uuid.New(), ProjectID: &p1, Result: model.Ptr("skipped"), Data: model.JSON{"bulk": "many"}}
		}
		if err := e.App.DB.Gorm.CreateInBatches(rows, 500).Error; err != nil {
			t.Fatal(err)
		}
		code, body = bulk(map[string]any{"filter": []any{"project_id=" + e.p1, "result=skipped"}, "metadata": md}, e.UserToken)
		if code != 400 || !strings.Contains(body, "more than 5000 results match") {
			t.Fatalf("over the cap: %d %s", code, body)
		}
		var changed int64
		e.App.DB.Gorm.Model(&model.Result{}).Where("result = ? AND data LIKE ?", "skipped", "%classification%").Count(&changed)
		if changed != 0 {
			t.Fatalf("a refused bulk update changed %d results", changed)
		}

		for _, c := range []struct {
			name string
			body any
			want string
		}{
			{"ids and filter", map[string]any{"ids": []any{f1}, "filter": []any{"result=failed"}, "metadata": md}, "either ids or filter"},
			{"filter not an array", map[string]any{"filter": "result=failed", "metadata": md}, "array of filter strings"},
			{"filter of numbers", map[string]any{"filter": []any{1}, "metadata": md}, "array of filter strings"},
			{"empty filter", map[string]any{"filter": []any{",", ""}, "metadata": md}, "at least one filter string"},
			{"unknown field", map[string]any{"filter": []any{"resutl=failed"}, "metadata": md}, "unknown field"},
			{"bad value", map[string]any{"filter": []any{"run_id=12"}, "metadata": md}, "run_id takes a UUID"},
			{"no metadata", map[string]any{"filter": []any{"result=failed"}}, "can only update metadata"},
			{"project move", map[string]any{"filter": []any{"result=failed"}, "metadata": map[string]any{"project": e.p2}}, "cannot be changed in bulk"},
		} {
			if code, body := bulk(c.body, e.UserToken); code != 400 || !strings.Contains(body, c.want) {
				t.Errorf("%s: %d %s, want 400 with %q", c.name, code, body, c.want)
			}
		}
	})
}
