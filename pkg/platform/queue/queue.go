// Package queue runs background tasks either through Redis (asynq: a
// separate worker process, the production shape) or in-process (a bounded
// goroutine pool, the embedded mode with no Redis). Task handlers are written
// once against this package and run unchanged in both.
package queue

import (
	"context"
	"errors"
	"time"
)

// Handler executes one task. payload is the JSON the task was enqueued with;
// a non-nil result is kept for the task's retention period so callers can
// read it back (e.g. large list queries through GET /api/task/{id}).
// Handlers must be idempotent: a task may be delivered more than once.
type Handler func(ctx context.Context, payload []byte) (result []byte, err error)

// ErrSkipRetry wrapped into a handler's error marks a failure that retrying
// cannot fix; the task fails at once.
var ErrSkipRetry = errors.New("skip retry")

// State is a task's lifecycle state in the vocabulary of upstream's Celery
// states, which GET /api/task/{id} reports.
type State string

// Task states.
const (
	StatePending State = "PENDING"
	StateStarted State = "STARTED"
	StateRetry   State = "RETRY"
	StateSuccess State = "SUCCESS"
	StateFailure State = "FAILURE"
)

// Status is what is known about one task.
type Status struct {
	State  State
	Result []byte
	Error  string
}

// Queue accepts tasks and reports on them.
type Queue interface {
	// Enqueue submits a task of a registered type and returns its id.
	Enqueue(ctx context.Context, typ string, payload []byte, opts ...Option) (string, error)
	// Status reports a task's state; an unknown id is StatePending, as Celery reports it.
	Status(ctx context.Context, id string) (Status, error)
	// Ping checks the queue's backing service.
	Ping(ctx context.Context) error
	// Close stops accepting tasks and releases resources.
	Close() error
}

// options are the per-task settings; registered defaults are overridden by
// options given to Enqueue.
type options struct {
	delay     time.Duration
	maxRetry  int
	timeout   time.Duration
	retention time.Duration
	taskID    string
	unique    time.Duration
	durable   bool
	lane      string
}

// Option adjusts how one task is run.
type Option func(*options)

// Delay runs the task no earlier than d from now.
func Delay(d time.Duration) Option { return func(o *options) { o.delay = d } }

// MaxRetry sets how often a failing task is retried.
func MaxRetry(n int) Option { return func(o *options) { o.maxRetry = n } }

// Timeout bounds one execution of the task.
func Timeout(d time.Duration) Option { return func(o *options) { o.timeout = d } }

// Retention keeps a finished task (and its result) readable for d.
func Retention(d time.Duration) Option { return func(o *options) { o.retention = d } }

// TaskID sets the task's id (a UUID string in this project).
func TaskID(id string) Option { return func(o *options) { o.taskID = id } }

// Unique drops a duplicate of the same type and payload enqueued within ttl,
// which debounces bursts such as many results arriving for one run.
func Unique(ttl time.Duration) Option { return func(o *options) { o.unique = ttl } }

// Durable marks a task type that must not be lost when Redis cannot be
// reached: its enqueue is then written to the database outbox (if the queue
// has one, see RedisQueue.UseOutbox) and queued once Redis answers again.
func Durable() Option { return func(o *options) { o.durable = true } }

// Lane runs the task type in its own lane: a pool of its own, of the size
// the registry declares for the lane (Registry.DeclareLane), in process and
// in Redis (its own asynq queue served by its own server in the worker).
// Tasks that may be slow for reasons outside the server (webhook receivers)
// go there, so they can never take every worker from the other tasks.
func Lane(name string) Option { return func(o *options) { o.lane = name } }

func defaultOptions() options { return options{maxRetry: 3, timeout: 30 * time.Minute} }

// RetryDelay is the backoff between attempts: 2^n seconds capped at an hour,
// as upstream's global retry handler does.
func RetryDelay(n int) time.Duration {
	if n < 0 {
		n = 0
	}
	if n >= 12 {
		return time.Hour
	}
	return time.Duration(1<<n) * time.Second
}
