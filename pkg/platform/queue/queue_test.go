package queue

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// waitState polls until the task reaches want or the deadline passes.
func waitState(t *testing.T, q Queue, id string, want State) Status {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		st, err := q.Status(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if st.State == want {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("task %s stuck in %s (error %q), want %s", id, st.State, st.Error, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func echoRegistry(fails *atomic.Int32) *Registry {
	r := NewRegistry()
	r.Register("test.echo", func(_ context.Context, p []byte) ([]byte, error) {
		if fails != nil && fails.Add(-1) >= 0 {
			return nil, errors.New("transient")
		}
		return append([]byte("echo:"), p...), nil
	}, Retention(time.Hour))
	r.Register("test.fatal", func(context.Context, []byte) ([]byte, error) {
		return nil, errors.Join(errors.New("bad input"), ErrSkipRetry)
	}, Retention(time.Hour))
	return r
}

func TestLocalQueueRunsTasksAndKeepsResults(t *testing.T) {
	q := NewLocalQueue(echoRegistry(nil), 2, discard())
	defer func() { _ = q.Close() }()
	id, err := q.Enqueue(context.Background(), "test.echo", []byte("hi"))
	if err != nil {
		t.Fatal(err)
	}
	st := waitState(t, q, id, StateSuccess)
	if string(st.Result) != "echo:hi" {
		t.Fatalf("result %q", st.Result)
	}
	if st, _ := q.Status(context.Background(), uuid.NewString()); st.State != StatePending {
		t.Fatalf("unknown id must be PENDING, got %s", st.State)
	}
	if _, err := q.Enqueue(context.Background(), "test.nope", nil); err == nil {
		t.Fatal("unknown task type must be refused")
	}
}

func TestLocalQueueRetriesThenSucceeds(t *testing.T) {
	var fails atomic.Int32
	fails.Store(1) // first attempt fails, the retry (after 1 s) succeeds
	q := NewLocalQueue(echoRegistry(&fails), 1, discard())
	defer func() { _ = q.Close() }()
	id, err := q.Enqueue(context.Background(), "test.echo", []byte("x"))
	if err != nil {
		t.Fatal(err)
	}
	waitState(t, q, id, StateSuccess)
}

func TestLocalQueueSkipRetryFailsAtOnce(t *testing.T) {
	q := NewLocalQueue(echoRegistry(nil), 1, discard())
	defer func() { _ = q.Close() }()
	id, _ := q.Enqueue(context.Background(), "test.fatal", nil)
	st := waitState(t, q, id, StateFailure)
	if !strings.Contains(st.Error, "bad input") {
		t.Fatalf("error %q", st.Error)
	}
}

func TestLocalQueueDelayAndUnique(t *testing.T) {
	q := NewLocalQueue(echoRegistry(nil), 1, discard())
	defer func() { _ = q.Close() }()
	id, err := q.Enqueue(context.Background(), "test.echo", []byte("r1"), Delay(300*time.Millisecond), Unique(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := q.Status(context.Background(), id); st.State != StatePending {
		t.Fatalf("delayed task ran early: %s", st.State)
	}
	if _, err := q.Enqueue(context.Background(), "test.echo", []byte("r1"), Unique(time.Minute)); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("duplicate within unique window: %v", err)
	}
	waitState(t, q, id, StateSuccess)
}

func TestLocalQueueShutdownDropsDelayedAndRefusesNew(t *testing.T) {
	q := NewLocalQueue(echoRegistry(nil), 1, discard())
	id, _ := q.Enqueue(context.Background(), "test.echo", nil, Delay(time.Hour))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := q.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if st, _ := q.Status(context.Background(), id); st.State != StateFailure {
		t.Fatalf("delayed task after shutdown: %s", st.State)
	}
	if _, err := q.Enqueue(context.Background(), "test.echo", nil); err == nil {
		t.Fatal("closed queue accepted a task")
	}
}

func TestRedisQueueEnqueueWorkerDone(t *testing.T) {
	opt, err := RedisConnOpt(testenv.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	queueName := "test-" + uuid.NewString()[:8]
	reg := echoRegistry(nil)
	q := NewRedisQueue(opt, reg, queueName)
	defer func() { _ = q.Close() }()
	if err := q.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv, mux := NewServer(opt, reg, queueName, 2, 5*time.Second, discard())
	if err := srv.Start(mux); err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()

	id := uuid.NewString()
	got, err := q.Enqueue(context.Background(), "test.echo", []byte("redis"), TaskID(id))
	if err != nil || got != id {
		t.Fatalf("enqueue: id=%s err=%v", got, err)
	}
	st := waitState(t, q, id, StateSuccess)
	if string(st.Result) != "echo:redis" {
		t.Fatalf("result %q", st.Result)
	}
	if _, err := q.Enqueue(context.Background(), "test.echo", nil, TaskID(id)); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("reused task id: %v", err)
	}
	fid, _ := q.Enqueue(context.Background(), "test.fatal", nil)
	waitState(t, q, fid, StateFailure)
	if st, _ := q.Status(context.Background(), uuid.NewString()); st.State != StatePending {
		t.Fatalf("unknown id: %s", st.State)
	}
}

func TestRetryDelay(t *testing.T) {
	for n, want := range map[int]time.Duration{0: time.Second, 1: 2 * time.Second, 5: 32 * time.Second, 12: time.Hour, 40: time.Hour} {
		if got := RetryDelay(n); got != want {
			t.Errorf("RetryDelay(%d)=%v want %v", n, got, want)
		}
	}
}

func TestPeriod(t *testing.T) {
	from := time.Date(2026, 11, 29, 3, 0, 0, 0, time.UTC)
	for spec, want := range map[string]time.Duration{"0 2 * * *": 24 * time.Hour, "0 4 * * 6": 7 * 24 * time.Hour, "@every 30m": 30 * time.Minute} {
		got, err := Period(spec, from)
		if err != nil || got != want {
			t.Errorf("Period(%q)=%v,%v want %v", spec, got, err, want)
		}
	}
	if _, err := Period("not a spec", from); err == nil {
		t.Error("bad spec accepted")
	}
}
