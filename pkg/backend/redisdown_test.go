package backend_test

import (
	"encoding/json"
	"testing"
	"time"

	loginpkg "github.com/ibutsu-go/ibutsu/pkg/login"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
	"github.com/ibutsu-go/ibutsu/pkg/run"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// TestRunAndResultWritesWhenRedisIsDown: with Redis unreachable (a closed
// port, the real client) writes do not wait on it — the breaker opens on
// the first failure and later writes skip Redis — the run's summary update
// and the account e-mail are kept in the outbox rather than dropped
// (issue 17, finding 7: each write took ~1.75 s and both were lost).
func TestRunAndResultWritesWhenRedisIsDown(t *testing.T) {
	e := backendtest.New(t, backendtest.Options{RedisDown: true})
	rq, ok := e.App.Queue.(*queue.RedisQueue)
	if !ok {
		t.Fatalf("queue is %T, want the Redis queue", e.App.Queue)
	}
	if r := e.Do("POST", "/api/project", map[string]any{"name": "p1"}, e.UserToken); r.Code != 201 {
		t.Fatalf("project: %d %s", r.Code, r.Body)
	}
	timed := func(what string, code int, f func() *backendtest.Response) *backendtest.Response {
		t.Helper()
		start := time.Now()
		r := f()
		if r.Code != code {
			t.Fatalf("%s: %d %s", what, r.Code, r.Body)
		}
		// Generous: the bound is one EnqueueTimeout for the first write
		// and nothing for the rest; before the breaker each took ~1.75 s.
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s took %s with Redis down", what, d)
		}
		return r
	}
	runID := timed("POST /api/run", 201, func() *backendtest.Response {
		return e.Do("POST", "/api/run", map[string]any{"metadata": map[string]any{"project": "p1"}}, e.UserToken)
	}).Map()["id"].(string)
	if !rq.BreakerOpen() {
		t.Fatal("the breaker is closed after an enqueue to an unreachable Redis")
	}
	for i := 0; i < 10; i++ {
		timed("POST /api/result", 201, func() *backendtest.Response {
			return e.Do("POST", "/api/result", map[string]any{"test_id": "t", "result": "passed", "run_id": runID, "metadata": map[string]any{"project": "p1"}}, e.UserToken)
		})
	}
	timed("PUT /api/run", 200, func() *backendtest.Response {
		return e.Do("PUT", "/api/run/"+runID, map[string]any{"metadata": map[string]any{"k": 1}}, e.UserToken)
	})
	// A task that is not durable (a large list query) is refused with a
	// 503, not a 500, while the breaker is open.
	timed("GET /api/result?pageSize=1000", 503, func() *backendtest.Response {
		return e.Do("GET", "/api/result?pageSize=1000", nil, e.UserToken)
	})
	timed("register", 201, func() *backendtest.Response {
		return e.Do("POST", "/api/login/register", map[string]any{"email": "down@example.com", "password": "pw"}, "")
	})

	var rows []struct {
		Type    string
		Payload []byte
	}
	if err := e.App.DB.Gorm.Raw(`SELECT type, payload FROM ibutsu_task_outbox`).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	var summary, mails int
	for _, r := range rows {
		var p map[string]any
		_ = json.Unmarshal(r.Payload, &p)
		switch {
		case r.Type == run.TypeUpdateRun && p["run_id"] == runID:
			summary++
		case r.Type == loginpkg.TypeAccountMail:
			mails++
		}
	}
	if summary == 0 || mails != 1 {
		t.Fatalf("outbox: %d summary updates for the run (want ≥1), %d account e-mails (want 1); rows %d", summary, mails, len(rows))
	}
}
