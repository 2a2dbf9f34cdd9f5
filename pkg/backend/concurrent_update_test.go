package backend_test

import (
	"fmt"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// concurrentWriters is how many clients write at once in the tests below.
const concurrentWriters = 32

// concurrently runs concurrentWriters requests at once, writer i sending body(i),
// and fails on any answer but 200.
func concurrently(t *testing.T, e *compatEnv, method, path string, body func(i int) any) {
	t.Helper()
	testdb.Together(concurrentWriters, func(i int) error {
		if r := e.Do(method, path, body(i), e.UserToken); r.Code != 200 {
			t.Errorf("%s %s writer %d: %d %s", method, path, i, r.Code, r.Body)
		}
		return nil
	})
}

// missingKeys lists the keys k0..k{n-1} (with value i) metadata lacks.
func missingKeys(md map[string]any, prefix string) []string {
	var out []string
	for i := 0; i < concurrentWriters; i++ {
		k := fmt.Sprintf("%s%d", prefix, i)
		if md[k] != float64(i) {
			out = append(out, k)
		}
	}
	return out
}

// TestResultConcurrentUpdatesKeepEveryKey: concurrent PUT /result/{id} and
// POST /results/bulk-update, each adding its own metadata key, all survive
// (issue 17, finding 2: 14 of 30 did before the row lock).
func TestResultConcurrentUpdatesKeepEveryKey(t *testing.T) {
	forBothDBs(t, func(t *testing.T, e *compatEnv) {
		id := e.Do("POST", "/api/result", map[string]any{"test_id": "t", "metadata": map[string]any{"project": "p1"}}, e.UserToken).Map()["id"].(string)
		concurrently(t, e, "PUT", "/api/result/"+id, func(i int) any {
			return map[string]any{"metadata": map[string]any{fmt.Sprintf("put%d", i): i}}
		})
		concurrently(t, e, "POST", "/api/results/bulk-update", func(i int) any {
			return map[string]any{"ids": []string{id}, "metadata": map[string]any{fmt.Sprintf("bulk%d", i): i}}
		})
		md := e.Do("GET", "/api/result/"+id, nil, e.UserToken).Map()["metadata"].(map[string]any)
		if m := append(missingKeys(md, "put"), missingKeys(md, "bulk")...); len(m) > 0 {
			t.Fatalf("%d acknowledged updates lost: %v", len(m), m)
		}
	})
}

// TestRunConcurrentUpdatesKeepEveryKey: the same for PUT /run/{id} and
// POST /runs/bulk-update (19 of 30 survived before).
func TestRunConcurrentUpdatesKeepEveryKey(t *testing.T) {
	forBothDBs(t, func(t *testing.T, e *compatEnv) {
		id := e.Do("POST", "/api/run", map[string]any{"metadata": map[string]any{"project": "p1"}}, e.UserToken).Map()["id"].(string)
		concurrently(t, e, "PUT", "/api/run/"+id, func(i int) any {
			return map[string]any{"metadata": map[string]any{fmt.Sprintf("put%d", i): i}}
		})
		concurrently(t, e, "POST", "/api/runs/bulk-update?filter=project_id="+e.p1, func(i int) any {
			return map[string]any{"metadata": map[string]any{fmt.Sprintf("bulk%d", i): i}}
		})
		md := e.Do("GET", "/api/run/"+id, nil, e.UserToken).Map()["metadata"].(map[string]any)
		if m := append(missingKeys(md, "put"), missingKeys(md, "bulk")...); len(m) > 0 {
			t.Fatalf("%d acknowledged updates lost: %v", len(m), m)
		}
	})
}
