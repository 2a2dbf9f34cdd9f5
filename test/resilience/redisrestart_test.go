package resilience

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
	"github.com/ibutsu-go/ibutsu/pkg/tasks"
)

// TestRedisRestart restarts a private Redis under a running worker (the
// real worker.Run, in-process) and checks that the worker and the backend's
// queue client reconnect by themselves within recoveryBound, and what
// becomes of tasks queued at the time of the restart:
//
//   - appendonly: with an append-only file (fsync always) the queued tasks
//     survive the restart and all finish;
//   - volatile: without persistence (the CI Redis, `--save "" --appendonly
//     no`) every queued task is lost with the restart — not a bug of ours,
//     but why production Redis must keep an append-only file on its volume
//     (docs/security.md, "Failure behaviour"). The backend must still read
//     the state of tasks enqueued afterwards (RedisQueue.republish).
func TestRedisRestart(t *testing.T) {
	for _, persist := range []bool{true, false} {
		name := map[bool]string{true: "appendonly", false: "volatile"}[persist]
		t.Run(name, func(t *testing.T) { redisRestart(t, persist) })
	}
}

// redisRestartQueue is the task queue of redisRestart's backend and worker.
const redisRestartQueue = "resilience"

func redisRestart(t *testing.T, persist bool) {
	rd, be := startOnPrivateRedis(t, persist, redisRestartQueue)

	opt, err := queue.RedisConnOpt(rd.URL())
	if err != nil {
		t.Fatal(err)
	}
	insp := asynq.NewInspector(opt)
	t.Cleanup(func() { _ = insp.Close() })
	enqueue := func(n int, opts ...queue.Option) []string {
		t.Helper()
		ids := make([]string, 0, n)
		for i := 0; i < n; i++ {
			p, _ := json.Marshal(tasks.PingPayload{Message: "resilience"})
			id, err := be.App.Queue.Enqueue(context.Background(), tasks.TypePing, p, opts...)
			if err != nil {
				t.Fatalf("enqueue: %v", err)
			}
			ids = append(ids, id)
		}
		return ids
	}
	// state is "done" (as GET /api/task/{id} reads it: the queue's Status),
	// "lost" (Redis no longer knows the task) or "waiting".
	state := func(id string) string {
		st, err := be.App.Queue.Status(context.Background(), id)
		if err == nil && st.State == queue.StateSuccess {
			return "done"
		}
		if _, err := insp.GetTaskInfo(redisRestartQueue, id); errors.Is(err, asynq.ErrTaskNotFound) {
			return "lost"
		}
		return "waiting"
	}
	waitAll := func(ids []string, want string, within time.Duration) int {
		t.Helper()
		deadline := time.Now().Add(within)
		for {
			n := 0
			for _, id := range ids {
				if state(id) == want {
					n++
				}
			}
			if n == len(ids) || time.Now().After(deadline) {
				return n
			}
			time.Sleep(50 * time.Millisecond)
		}
	}

	if n := waitAll(enqueue(10), "done", 60*time.Second); n != 10 {
		t.Fatalf("warm-up: %d of 10 tasks done", n)
	}
	// Queued at the restart: due only after Redis is back.
	queued := enqueue(50, queue.Delay(3*time.Second))
	rd.Stop()
	time.Sleep(time.Second)
	if err := rd.Start(); err != nil {
		t.Fatal(err)
	}
	backAt := time.Now()

	// Reconnection: a task enqueued after the restart (retrying the enqueue
	// while the client reconnects) is executed.
	var probe string
	for probe == "" {
		p, _ := json.Marshal(tasks.PingPayload{Message: "probe"})
		id, err := be.App.Queue.Enqueue(context.Background(), tasks.TypePing, p)
		if err == nil {
			probe = id
			break
		}
		if time.Since(backAt) > time.Minute {
			t.Fatalf("cannot enqueue after the restart: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	enqueuedAfter := time.Since(backAt)
	if waitAll([]string{probe}, "done", time.Minute) != 1 {
		t.Fatal("a task enqueued after the restart never ran: the worker did not reconnect")
	}
	recovered := time.Since(backAt)
	t.Logf("Redis back: enqueue works after %s, a new task done after %s", enqueuedAfter.Round(time.Millisecond), recovered.Round(time.Millisecond))
	if recovered > recoveryBound {
		t.Errorf("worker recovered %s after Redis was back, want ≤ %s", recovered, recoveryBound)
	}

	if persist {
		n := waitAll(queued, "done", time.Minute)
		t.Logf("tasks queued across the restart: %d of %d done", n, len(queued))
		if n != len(queued) {
			t.Errorf("%d of %d queued tasks finished after the restart", n, len(queued))
		}
		return
	}
	n := waitAll(queued, "lost", 10*time.Second)
	t.Logf("Redis without persistence: %d of %d tasks queued across the restart lost (expected: all)", n, len(queued))
	if n != len(queued) {
		t.Errorf("%d of %d lost: a volatile Redis was expected to lose every queued task", n, len(queued))
	}
}
