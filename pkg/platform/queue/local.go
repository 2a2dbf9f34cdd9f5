package queue

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"
)

// LocalQueue runs tasks in-process on a bounded pool of goroutines. It is
// the embedded mode's stand-in for Redis and the worker: same handlers, same
// retry and delay semantics, results kept in memory for their retention.
type LocalQueue struct {
	registry *Registry
	log      *slog.Logger
	sem      chan struct{}
	lanes    map[string]chan struct{} // guarded by mu
	ctx      context.Context
	cancel   context.CancelFunc
	wg       sync.WaitGroup

	mu      sync.Mutex
	tasks   map[string]*localTask
	closed  bool
	janitor *time.Ticker
}

type localTask struct {
	typ     string
	payload []byte
	status  Status
	expires time.Time // zero while not finished
	timer   *time.Timer
}

// NewLocalQueue starts a pool that runs at most concurrency tasks at once.
func NewLocalQueue(registry *Registry, concurrency int, log *slog.Logger) *LocalQueue {
	if concurrency < 1 {
		concurrency = 1
	}
	ctx, cancel := context.WithCancel(context.Background())
	q := &LocalQueue{
		registry: registry, log: log, sem: make(chan struct{}, concurrency), lanes: map[string]chan struct{}{},
		ctx: ctx, cancel: cancel, tasks: map[string]*localTask{}, janitor: time.NewTicker(time.Minute),
	}
	go q.sweep()
	return q
}

// Enqueue implements Queue.
func (q *LocalQueue) Enqueue(_ context.Context, typ string, payload []byte, opts ...Option) (string, error) {
	if _, ok := q.registry.handler(typ); !ok {
		return "", fmt.Errorf("enqueue %s: unknown task type", typ)
	}
	o := q.registry.options(typ, opts)
	id := o.taskID
	if id == "" {
		id = uuid.NewString()
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return "", errors.New("enqueue: queue is closed")
	}
	if _, exists := q.tasks[id]; exists {
		return id, ErrDuplicate
	}
	if o.unique > 0 {
		for otherID, t := range q.tasks {
			if t.typ == typ && bytes.Equal(t.payload, payload) && t.status.State == StatePending {
				return otherID, ErrDuplicate
			}
		}
	}
	t := &localTask{typ: typ, payload: payload, status: Status{State: StatePending}}
	q.tasks[id] = t
	q.wg.Add(1)
	t.timer = time.AfterFunc(o.delay, func() { q.run(id, t, o, 0) })
	return id, nil
}

// run executes one attempt and schedules a retry on failure.
func (q *LocalQueue) run(id string, t *localTask, o options, attempt int) {
	sem := q.semOf(o.lane)
	select {
	case sem <- struct{}{}:
	case <-q.ctx.Done():
		q.finish(t, Status{State: StateFailure, Error: "queue closed before the task ran"}, o)
		return
	}
	q.setState(t, StateStarted)
	h, _ := q.registry.handler(t.typ)
	ctx, cancel := context.WithTimeout(q.ctx, o.timeout)
	res, err := safeCall(withLastAttempt(ctx, attempt >= o.maxRetry), h, t.payload)
	cancel()
	<-sem
	if err == nil {
		q.finish(t, Status{State: StateSuccess, Result: res}, o)
		return
	}
	q.log.Error("task failed", "task_type", t.typ, "task_id", id, "attempt", attempt+1, "error", err)
	if attempt >= o.maxRetry || errors.Is(err, ErrSkipRetry) || q.ctx.Err() != nil {
		q.finish(t, Status{State: StateFailure, Error: err.Error()}, o)
		return
	}
	q.mu.Lock()
	t.status = Status{State: StateRetry, Error: err.Error()}
	t.timer = time.AfterFunc(RetryDelay(attempt), func() { q.run(id, t, o, attempt+1) })
	q.mu.Unlock()
}

// semOf is the pool a task of lane runs in: the shared one, or the lane's
// own, sized by the registry.
func (q *LocalQueue) semOf(lane string) chan struct{} {
	if lane == "" {
		return q.sem
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	s, ok := q.lanes[lane]
	if !ok {
		s = make(chan struct{}, q.registry.laneSize(lane))
		q.lanes[lane] = s
	}
	return s
}

// safeCall turns a handler panic into an error so one bad task cannot take
// the whole server down.
func safeCall(ctx context.Context, h Handler, payload []byte) (res []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("task panicked: %v", r)
		}
	}()
	return h(ctx, payload)
}

func (q *LocalQueue) setState(t *localTask, s State) {
	q.mu.Lock()
	t.status.State = s
	q.mu.Unlock()
}

func (q *LocalQueue) finish(t *localTask, s Status, o options) {
	q.mu.Lock()
	t.status = s
	keep := o.retention
	if keep <= 0 {
		keep = time.Minute
	}
	t.expires = time.Now().Add(keep)
	q.mu.Unlock()
	q.wg.Done()
}

// sweep forgets finished tasks whose retention has passed.
func (q *LocalQueue) sweep() {
	for {
		select {
		case <-q.ctx.Done():
			return
		case now := <-q.janitor.C:
			q.mu.Lock()
			for id, t := range q.tasks {
				if !t.expires.IsZero() && now.After(t.expires) {
					delete(q.tasks, id)
				}
			}
			q.mu.Unlock()
		}
	}
}

// Status implements Queue.
func (q *LocalQueue) Status(_ context.Context, id string) (Status, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	t, ok := q.tasks[id]
	if !ok {
		return Status{State: StatePending}, nil
	}
	return t.status, nil
}

// Ping implements Queue; the in-process pool is always reachable.
func (q *LocalQueue) Ping(context.Context) error { return nil }

// Shutdown stops accepting tasks, lets running tasks finish until ctx expires,
// then cancels the rest. Delayed tasks that have not started are dropped.
func (q *LocalQueue) Shutdown(ctx context.Context) error {
	q.mu.Lock()
	q.closed = true
	for _, t := range q.tasks {
		if t.status.State == StatePending || t.status.State == StateRetry {
			if t.timer != nil && t.timer.Stop() {
				t.status = Status{State: StateFailure, Error: "dropped at shutdown"}
				t.expires = time.Now()
				q.wg.Done()
			}
		}
	}
	q.mu.Unlock()
	done := make(chan struct{})
	go func() { q.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
	q.cancel()
	q.janitor.Stop()
	<-done
	return nil
}

// Close implements Queue with a 10-second grace period.
func (q *LocalQueue) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return q.Shutdown(ctx)
}
