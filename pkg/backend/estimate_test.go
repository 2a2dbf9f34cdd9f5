package backend_test

import (
	"fmt"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// newEstimateEnv is a backend whose planner estimates count from 10 rows,
// with one project p1 of the user's.
func newEstimateEnv(t *testing.T) *compatEnv {
	e := &compatEnv{Env: backendtest.New(t, backendtest.Options{Configure: func(c *config.Config) {
		c.Limits.CountEstimateThreshold = 10
	}})}
	e.p1 = e.Do("POST", "/api/project", map[string]any{"name": "p1"}, e.UserToken).Map()["id"].(string)
	return e
}

// staleStatistics analyses results, then deletes those whose test_id sorts
// from fromTestID on: the planner's statistics are stale, so an estimate
// is distinguishable from an exact count.
func staleStatistics(t *testing.T, e *compatEnv, fromTestID string) {
	t.Helper()
	db := e.App.DB.Gorm
	if err := db.Exec("ANALYZE results").Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("DELETE FROM results WHERE test_id >= ?", fromTestID).Error; err != nil {
		t.Fatal(err)
	}
}

// TestEstimatedCounts: with estimate=true the total comes from the planner
// when it is at or above the threshold (PostgreSQL), and is exact below it.
// Deleting rows without ANALYZE leaves the planner's statistics stale, which
// makes the two paths distinguishable.
func TestEstimatedCounts(t *testing.T) {
	e := newEstimateEnv(t)
	for i := 0; i < 100; i++ {
		if r := e.Do("POST", "/api/result", map[string]any{"test_id": fmt.Sprint("t", i), "result": "passed", "metadata": map[string]any{"project": "p1"}}, e.UserToken); r.Code != 201 {
			t.Fatal(r.Body)
		}
	}
	staleStatistics(t, e, "t4") // leaves t0-t3 and t10-t39: 34 rows
	// test_id@y (always true here) keeps the count off the result-count
	// table, which answers project/result/component/env filters exactly
	// (TestResultTotalsFromCounts).
	total := func(estimate bool) float64 {
		r := e.Do("GET", fmt.Sprintf("/api/result?filter=project_id=%s&filter=test_id@y&estimate=%v", e.p1, estimate), nil, e.UserToken)
		if r.Code != 200 {
			t.Fatalf("%d %s", r.Code, r.Body)
		}
		return r.Map()["pagination"].(map[string]any)["totalItems"].(float64)
	}
	if exact := total(false); exact != 34 {
		t.Fatalf("exact count %v, want 34", exact)
	}
	if est := total(true); est <= 34 {
		t.Fatalf("estimate=true should use the (stale) planner estimate, got %v", est)
	}
	// Below the threshold the exact count is used even with estimate=true.
	if r := e.Do("GET", "/api/result?filter=project_id="+e.p1+"&filter=test_id=t1&estimate=true", nil, e.UserToken); r.Map()["pagination"].(map[string]any)["totalItems"] != float64(1) {
		t.Fatalf("small estimate must fall back to exact: %s", r.Body)
	}
}

// TestResultTotalsFromCounts: on PostgreSQL a results list filtered only by
// project, result, component or env takes its total from the
// trigger-maintained count table — exact, even with estimate=true — and
// any other filter counts the rows.
func TestResultTotalsFromCounts(t *testing.T) {
	e := newEstimateEnv(t)
	for i := 0; i < 60; i++ {
		outcome, component := "passed", "api"
		if i%3 == 0 {
			outcome = "failed"
		}
		if i%2 == 0 {
			component = "ui"
		}
		body := map[string]any{"test_id": fmt.Sprint("t", i), "result": outcome, "metadata": map[string]any{"project": "p1", "component": component}}
		if r := e.Do("POST", "/api/result", body, e.UserToken); r.Code != 201 {
			t.Fatal(r.Body)
		}
	}
	staleStatistics(t, e, "t3") // leaves t0-t2 and t10-t29: 23 rows
	page := func(query string) map[string]any {
		t.Helper()
		r := e.Do("GET", "/api/result?filter=project_id="+e.p1+query, nil, e.UserToken)
		if r.Code != 200 {
			t.Fatalf("%s: %d %s", query, r.Code, r.Body)
		}
		return r.Map()["pagination"].(map[string]any)
	}
	// t0-t2, t10-t29: failed are i%3==0 -> 0, 12, 15, 18, 21, 24, 27 (7); ui are even -> 0, 2, 10..28 even (12).
	for query, want := range map[string]float64{
		"":                                    23,
		"&estimate=true":                      23,
		"&filter=result=failed&estimate=true": 7,
		"&filter=component=ui":                12,
		"&filter=component=ui,result=failed":  4, // 0, 12, 18, 24
	} {
		p := page(query)
		if p["totalItems"] != want || p["estimated"] == true {
			t.Errorf("%q: pagination %v, want exact %v", query, p, want)
		}
	}
	// The totals really come from the count table: a planted count row
	// shows up, and a filter on another column ignores it.
	if err := e.App.DB.Gorm.Exec("INSERT INTO ibutsu_result_counts (project_id, day, result, component, env, n) VALUES (?, current_date, 'failed', 'ui', NULL, 100)", e.p1).Error; err != nil {
		t.Fatal(err)
	}
	if got := page("&filter=result=failed")["totalItems"]; got != float64(107) {
		t.Fatalf("planted count row not read: total %v", got)
	}
	if got := page("&filter=result=failed&filter=test_id@y")["totalItems"]; got != float64(7) {
		t.Fatalf("a test_id filter must count the rows: total %v", got)
	}
}
