package backend_test

import (
	"fmt"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/backend/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
)

// TestEstimatedCounts: with estimate=true the total comes from the planner
// when it is at or above the threshold (PostgreSQL), and is exact below it.
// Deleting rows without ANALYZE leaves the planner's statistics stale, which
// makes the two paths distinguishable.
func TestEstimatedCounts(t *testing.T) {
	e := &compatEnv{Env: backendtest.New(t, backendtest.Options{Configure: func(c *config.Config) {
		c.Limits.CountEstimateThreshold = 10
	}})}
	e.p1 = e.Do("POST", "/api/project", map[string]any{"name": "p1"}, e.UserToken).Map()["id"].(string)
	for i := 0; i < 100; i++ {
		if r := e.Do("POST", "/api/result", map[string]any{"test_id": fmt.Sprint("t", i), "result": "passed", "metadata": map[string]any{"project": "p1"}}, e.UserToken); r.Code != 201 {
			t.Fatal(r.Body)
		}
	}
	db := e.App.DB.Gorm
	if err := db.Exec("ANALYZE results").Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("DELETE FROM results WHERE test_id >= 't4'").Error; err != nil { // leaves t0-t3 and t10-t39: 34 rows
		t.Fatal(err)
	}
	total := func(estimate bool) float64 {
		r := e.Do("GET", fmt.Sprintf("/api/result?filter=project_id=%s&estimate=%v", e.p1, estimate), nil, e.UserToken)
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
