package queue

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
)

// ErrDuplicate is returned by Enqueue when a Unique or TaskID option found the
// same task already queued; callers that debounce treat it as success.
var ErrDuplicate = errors.New("task already queued")

// RedisConnOpt parses a broker URL (redis://[:password@]host:port[/db]) into
// asynq's connection options.
func RedisConnOpt(url string) (asynq.RedisConnOpt, error) {
	opt, err := asynq.ParseRedisURI(url)
	if err != nil {
		return nil, fmt.Errorf("parse Redis URL: %w", err)
	}
	return opt, nil
}

// RedisQueue enqueues tasks into Redis for the worker process and reads
// their state back through asynq's inspector.
type RedisQueue struct {
	client    *asynq.Client
	inspector *asynq.Inspector
	registry  *Registry
	queue     string
	// redis is a plain connection for what asynq has no API for (may be
	// nil for connection options that make no go-redis client).
	redis redis.UniversalClient
	// breaker makes enqueues fail at once while Redis is unreachable.
	breaker breaker
	// outbox keeps durable tasks while Redis is unreachable (nil: none).
	outbox *outbox
}

// allQueuesKey is asynq's set of queue names (its base.AllQueues). Its
// inspector refuses to look into a queue missing from the set.
const allQueuesKey = "asynq:queues"

// NewRedisQueue connects to Redis. queue is the asynq queue name tasks go to.
func NewRedisQueue(opt asynq.RedisConnOpt, registry *Registry, queue string) *RedisQueue {
	rc, _ := opt.MakeRedisClient().(redis.UniversalClient)
	return &RedisQueue{
		client:    asynq.NewClient(opt),
		inspector: asynq.NewInspector(opt),
		registry:  registry,
		queue:     queue,
		redis:     rc,
	}
}

// Client is the queue's plain Redis connection, for other state replicas
// share through the same Redis (the login throttle); nil for connection
// options that make no go-redis client. The queue owns and closes it.
func (q *RedisQueue) Client() redis.UniversalClient { return q.redis }

// Enqueue implements Queue. Each attempt is bounded by EnqueueTimeout and
// the breaker fails calls at once for BreakerCooldown after a failure, so a
// Redis outage costs requests no more than moments. A Durable task that
// cannot be queued is kept in the outbox instead (and its id returned).
func (q *RedisQueue) Enqueue(ctx context.Context, typ string, payload []byte, opts ...Option) (string, error) {
	if _, ok := q.registry.handler(typ); !ok {
		return "", fmt.Errorf("enqueue %s: unknown task type", typ)
	}
	o := q.registry.options(typ, opts)
	id, err := q.enqueue(ctx, typ, payload, o)
	if err == nil {
		q.outbox.kick()
		return id, nil
	}
	if errors.Is(err, ErrUnavailable) && o.durable && q.outbox != nil {
		return q.outbox.save(ctx, typ, payload, o.taskID, err)
	}
	return id, err
}

// enqueue sends one task to Redis through the breaker.
func (q *RedisQueue) enqueue(ctx context.Context, typ string, payload []byte, o options) (string, error) {
	aopts := []asynq.Option{asynq.Queue(LaneQueue(q.queue, o.lane)), asynq.MaxRetry(o.maxRetry), asynq.Timeout(o.timeout)}
	if o.delay > 0 {
		aopts = append(aopts, asynq.ProcessIn(o.delay))
	}
	if o.retention > 0 {
		aopts = append(aopts, asynq.Retention(o.retention))
	}
	if o.taskID != "" {
		aopts = append(aopts, asynq.TaskID(o.taskID))
	}
	if o.unique > 0 {
		aopts = append(aopts, asynq.Unique(o.unique))
	}
	if !q.breaker.allow() {
		return "", fmt.Errorf("enqueue %s: %w (Redis failed moments ago)", typ, ErrUnavailable)
	}
	actx, cancel := context.WithTimeout(ctx, EnqueueTimeout)
	info, err := q.client.EnqueueContext(actx, asynq.NewTask(typ, payload), aopts...)
	cancel()
	if errors.Is(err, asynq.ErrDuplicateTask) || errors.Is(err, asynq.ErrTaskIDConflict) {
		q.breaker.succeed()
		return o.taskID, ErrDuplicate
	}
	if err != nil {
		if ctx.Err() == nil { // the caller's own cancellation says nothing about Redis
			q.breaker.fail()
		}
		return "", fmt.Errorf("enqueue %s: %w: %w", typ, ErrUnavailable, err)
	}
	q.breaker.succeed()
	return info.ID, nil
}

// BreakerOpen reports whether enqueues are failing fast because Redis
// failed and has not answered since.
func (q *RedisQueue) BreakerOpen() bool { return q.breaker.open() }

// LaneQueue is the asynq queue of lane (see Lane) next to base; the
// base queue itself for no lane.
func LaneQueue(base, lane string) string {
	if lane == "" {
		return base
	}
	return base + ":" + lane
}

// queues are the asynq queues tasks may be in: the base queue, then each
// lane's.
func (q *RedisQueue) queues() []string {
	out := []string{q.queue}
	for _, l := range q.registry.laneNames() {
		out = append(out, LaneQueue(q.queue, l))
	}
	return out
}

// Status implements Queue. The id does not say the task's lane, so the
// lanes' queues are looked into after the base queue.
func (q *RedisQueue) Status(ctx context.Context, id string) (Status, error) {
	var info *asynq.TaskInfo
	var err error
	for _, name := range q.queues() {
		info, err = q.inspector.GetTaskInfo(name, id)
		if errors.Is(err, asynq.ErrQueueNotFound) && q.republish(ctx) {
			info, err = q.inspector.GetTaskInfo(name, id)
		}
		if !errors.Is(err, asynq.ErrTaskNotFound) && !errors.Is(err, asynq.ErrQueueNotFound) {
			break
		}
	}
	if errors.Is(err, asynq.ErrTaskNotFound) || errors.Is(err, asynq.ErrQueueNotFound) {
		return Status{State: StatePending}, nil
	}
	if err != nil {
		return Status{}, fmt.Errorf("task status: %w", err)
	}
	switch info.State {
	case asynq.TaskStateActive:
		return Status{State: StateStarted}, nil
	case asynq.TaskStateRetry:
		return Status{State: StateRetry, Error: info.LastErr}, nil
	case asynq.TaskStateCompleted:
		return Status{State: StateSuccess, Result: info.Result}, nil
	case asynq.TaskStateArchived:
		return Status{State: StateFailure, Error: info.LastErr}, nil
	default:
		return Status{State: StatePending}, nil
	}
}

// republish puts the queue back into asynq's queue set. asynq's client adds
// it only on its first enqueue, so once Redis has lost its data (a restart
// without persistence, a FLUSHALL) the tasks enqueued afterwards still ran
// but their state stayed unreadable: GET /api/task/{id} answered PENDING
// forever, until the backend restarted (found by test/resilience
// TestRedisRestart/volatile).
func (q *RedisQueue) republish(ctx context.Context) bool {
	if q.redis == nil {
		return false
	}
	qs := q.queues()
	members := make([]any, len(qs))
	for i, n := range qs {
		members[i] = n
	}
	return q.redis.SAdd(ctx, allQueuesKey, members...).Err() == nil
}

// Ping implements Queue.
func (q *RedisQueue) Ping(ctx context.Context) error {
	if err := q.client.Ping(); err != nil {
		return fmt.Errorf("ping Redis: %w", err)
	}
	return ctx.Err()
}

// Close implements Queue.
func (q *RedisQueue) Close() error {
	q.outbox.close()
	errs := []error{q.client.Close(), q.inspector.Close()}
	if q.redis != nil {
		errs = append(errs, q.redis.Close())
	}
	return errors.Join(errs...)
}

// Servers are the asynq servers of one worker process: one for the base
// queue and one per lane, each with its own concurrency, so the tasks of a
// lane can never occupy the base queue's goroutines (or the other way).
type Servers struct{ all []*asynq.Server }

// Start starts every server on mux.
func (s *Servers) Start(mux *asynq.ServeMux) error {
	for i, srv := range s.all {
		if err := srv.Start(mux); err != nil {
			for _, started := range s.all[:i] {
				started.Shutdown()
			}
			return fmt.Errorf("start task server: %w", err)
		}
	}
	return nil
}

// Stop makes every server stop taking new tasks.
func (s *Servers) Stop() {
	for _, srv := range s.all {
		srv.Stop()
	}
}

// Shutdown stops every server, letting running tasks finish within the
// shutdown timeout.
func (s *Servers) Shutdown() {
	for _, srv := range s.all {
		srv.Shutdown()
	}
}

// NewServer builds the asynq servers the worker binary runs: they execute
// the registry's handlers with the configured concurrency (a lane's with
// its declared one) and upstream's retry backoff, and store handler
// results for the task's retention period.
func NewServer(opt asynq.RedisConnOpt, registry *Registry, queue string, concurrency int, shutdown time.Duration, log *slog.Logger) (*Servers, *asynq.ServeMux) {
	s := &Servers{all: []*asynq.Server{newServer(opt, queue, concurrency, shutdown, log)}}
	for _, l := range registry.laneNames() {
		s.all = append(s.all, newServer(opt, LaneQueue(queue, l), registry.laneSize(l), shutdown, log))
	}
	return s, newMux(registry)
}

// newServer is one asynq server on one queue.
func newServer(opt asynq.RedisConnOpt, queue string, concurrency int, shutdown time.Duration, log *slog.Logger) *asynq.Server {
	return asynq.NewServer(opt, asynq.Config{
		Concurrency:     concurrency,
		Queues:          map[string]int{queue: 1},
		RetryDelayFunc:  func(n int, _ error, _ *asynq.Task) time.Duration { return RetryDelay(n) },
		ShutdownTimeout: shutdown,
		// An idle worker polls for new tasks this often (asynq's default
		// is 1 s, which showed up as ~0.5 s of queueing on every import).
		TaskCheckInterval: 100 * time.Millisecond,
		Logger:            slogAdapter{log},
		ErrorHandler: asynq.ErrorHandlerFunc(func(ctx context.Context, t *asynq.Task, err error) {
			id, _ := asynq.GetTaskID(ctx)
			log.Error("task failed", "task_type", t.Type(), "task_id", id, "error", err)
		}),
	})
}

// newMux routes every registered task type to its handler.
func newMux(registry *Registry) *asynq.ServeMux {
	mux := asynq.NewServeMux()
	for _, typ := range registry.Types() {
		h, _ := registry.handler(typ)
		mux.HandleFunc(typ, func(ctx context.Context, t *asynq.Task) error {
			retried, _ := asynq.GetRetryCount(ctx)
			maxRetry, _ := asynq.GetMaxRetry(ctx)
			res, err := h(withLastAttempt(ctx, retried >= maxRetry), t.Payload())
			if err != nil {
				if errors.Is(err, ErrSkipRetry) {
					return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
				}
				return err
			}
			if res != nil {
				if _, werr := t.ResultWriter().Write(res); werr != nil {
					return fmt.Errorf("store task result: %w", werr)
				}
			}
			return nil
		})
	}
	return mux
}

// slogAdapter lets asynq log through slog.
type slogAdapter struct{ log *slog.Logger }

func (a slogAdapter) Debug(args ...any) { a.log.Debug(fmt.Sprint(args...)) }
func (a slogAdapter) Info(args ...any)  { a.log.Info(fmt.Sprint(args...)) }
func (a slogAdapter) Warn(args ...any)  { a.log.Warn(fmt.Sprint(args...)) }
func (a slogAdapter) Error(args ...any) { a.log.Error(fmt.Sprint(args...)) }
func (a slogAdapter) Fatal(args ...any) { a.log.Error(fmt.Sprint(args...)) }

// AsynqLogger adapts slog for asynq components built outside this package
// (the scheduler).
func AsynqLogger(log *slog.Logger) asynq.Logger { return slogAdapter{log} }
