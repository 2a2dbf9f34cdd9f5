package queue

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/hibiken/asynq"
	"github.com/robfig/cron/v3"
)

// Periodic is one entry of the periodic schedule (upstream's Celery beat
// table). Spec is a cron expression in UTC or "@every <duration>".
type Periodic struct {
	Name    string
	Spec    string
	Type    string
	Payload []byte
}

// ScheduleEnqueueTimeout bounds the enqueue of one firing. A firing that
// cannot be enqueued in time is logged and skipped, as a missed cron tick.
const ScheduleEnqueueTimeout = 5 * time.Second

// minFiringRetention is the least time a firing's task id is kept after
// the task completes, so a replica that wakes late still finds it.
const minFiringRetention = time.Minute

// NextFiring is the first firing of a schedule spec strictly after t. It
// depends on the wall clock alone, so every scheduler replica computes the
// same firings: cron specs fire on their calendar (UTC unless the spec
// names a CRON_TZ), and "@every d" fires at the multiples of d since the
// Unix epoch (robfig/cron counts it from the moment the schedule started,
// which differs between replicas).
func NextFiring(spec string, t time.Time) (time.Time, error) {
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return time.Time{}, fmt.Errorf("parse schedule: %w", err)
	}
	return nextFiring(sched, t), nil
}

func nextFiring(sched cron.Schedule, t time.Time) time.Time {
	if every, ok := sched.(cron.ConstantDelaySchedule); ok {
		d := every.Delay.Nanoseconds()
		n := t.UnixNano()
		next := n - n%d + d
		if n < 0 && n%d != 0 { // before 1970: % truncates towards zero
			next -= d
		}
		return time.Unix(0, next).UTC()
	}
	return sched.Next(t.UTC())
}

// lastFiring is the latest firing at or before t, given next, a firing at
// or before t: a scheduler that woke late (a paused process, a clock
// step) fires once, the latest firing it missed, as cron does.
func lastFiring(sched cron.Schedule, next, t time.Time) time.Time {
	for n := nextFiring(sched, next); !n.After(t); n = nextFiring(sched, n) {
		next = n
	}
	return next
}

// FiringID is the task id of one firing of a periodic entry: the entry's
// name and the firing's Unix time. Every replica that enqueues the same
// firing uses the same id, so Redis keeps one.
func FiringID(name string, firing time.Time) string {
	return name + "@" + strconv.FormatInt(firing.Unix(), 10)
}

// Period is the time between two consecutive firings of a schedule spec
// after from (for cron specs with uneven gaps, the first gap).
func Period(spec string, from time.Time) (time.Duration, error) {
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return 0, fmt.Errorf("parse schedule: %w", err)
	}
	first := nextFiring(sched, from)
	return nextFiring(sched, first).Sub(first), nil
}

// firingEntry is a parsed entry and the firing it waits for.
type firingEntry struct {
	Periodic
	sched cron.Schedule
	next  time.Time
}

// ticker runs the firing loop both schedulers share: one goroutine that
// sleeps until the earliest due firing and hands each due entry to fire.
type ticker struct {
	entries []*firingEntry
	fire    func(ctx context.Context, e *firingEntry, firing time.Time)
	// now is the wall clock (tests may shift it).
	now       func() time.Time
	startOnce sync.Once
	stopOnce  sync.Once
	stop      chan struct{}
	done      chan struct{}
}

// maxSleep bounds one sleep of the loop, so a step of the wall clock
// (which timers do not follow) delays a firing by no more than this.
const maxSleep = 30 * time.Second

func newTicker(entries []Periodic) (*ticker, error) {
	t := &ticker{now: time.Now, stop: make(chan struct{}), done: make(chan struct{})}
	for _, e := range entries {
		sched, err := cron.ParseStandard(e.Spec)
		if err != nil {
			return nil, fmt.Errorf("schedule %s (%s): %w", e.Name, e.Spec, err)
		}
		t.entries = append(t.entries, &firingEntry{Periodic: e, sched: sched})
	}
	return t, nil
}

// start begins the loop (once).
func (t *ticker) start() {
	t.startOnce.Do(func() {
		now := t.now()
		for _, e := range t.entries {
			e.next = nextFiring(e.sched, now)
		}
		go t.loop()
	})
}

// shutdown ends the loop and waits for a firing being enqueued. A ticker
// never started is marked started, with nothing to wait for.
func (t *ticker) shutdown() {
	t.stopOnce.Do(func() { close(t.stop) })
	t.startOnce.Do(func() { close(t.done) })
	<-t.done
}

func (t *ticker) loop() {
	defer close(t.done)
	// A firing being enqueued finishes (bounded by its timeout) before
	// shutdown returns.
	ctx := context.Background()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		now := t.now()
		wake := now.Add(maxSleep)
		for _, e := range t.entries {
			if !e.next.After(now) {
				select {
				case <-t.stop:
					return
				default:
				}
				firing := lastFiring(e.sched, e.next, now)
				t.fire(ctx, e, firing)
				e.next = nextFiring(e.sched, firing)
				if !e.next.After(now) { // the enqueue outlasted a period
					e.next = nextFiring(e.sched, now)
				}
			}
			if e.next.Before(wake) {
				wake = e.next
			}
		}
		// The firings carry no monotonic reading: Sub compares wall clocks.
		timer.Reset(wake.Sub(t.now()))
		select {
		case <-t.stop:
			return
		case <-timer.C:
		}
	}
}

// RedisScheduler enqueues the periodic entries into Redis when due. Any
// number of replicas may run against one Redis: each firing is enqueued
// with the id FiringID(entry, firing time), which every replica computes
// alike, and its task is kept (queued, running, retried, or completed for
// at least one period) under that id, so a second replica's enqueue of the
// same firing is refused and the job runs once per firing.
type RedisScheduler struct {
	client *asynq.Client
	tick   *ticker
	log    *slog.Logger
	opts   map[string][]asynq.Option
	infos  []ScheduledEntry
}

// ScheduledEntry is what a scheduler registered for one entry: its spec and
// the options each firing is enqueued with.
type ScheduledEntry struct {
	Name, Spec, Type, Queue string
	MaxRetry                int
	Timeout, Retention      time.Duration
}

// NewRedisScheduler builds the scheduler the scheduler binary runs. Each
// firing is enqueued into queue with the retries and timeout registered for
// its task type, kept for the registered retention or one period and a
// minute, whichever is longer.
func NewRedisScheduler(opt asynq.RedisConnOpt, registry *Registry, queue string, entries []Periodic, log *slog.Logger) (*RedisScheduler, error) {
	tick, err := newTicker(entries)
	if err != nil {
		return nil, err
	}
	s := &RedisScheduler{tick: tick, log: log, opts: map[string][]asynq.Option{}}
	for _, e := range tick.entries {
		if _, dup := s.opts[e.Name]; dup {
			return nil, fmt.Errorf("schedule %s: entry named twice", e.Name)
		}
		o := registry.options(e.Type, nil)
		first := nextFiring(e.sched, time.Now())
		period := nextFiring(e.sched, first).Sub(first)
		// Kept after completion for at least a period (and a minute): a
		// replica firing the same moment, however late, finds the id.
		retention := max(o.retention, period+minFiringRetention)
		s.opts[e.Name] = []asynq.Option{asynq.Queue(queue), asynq.MaxRetry(o.maxRetry), asynq.Timeout(o.timeout), asynq.Retention(retention)}
		s.infos = append(s.infos, ScheduledEntry{Name: e.Name, Spec: e.Spec, Type: e.Type, Queue: queue,
			MaxRetry: o.maxRetry, Timeout: o.timeout, Retention: retention})
	}
	tick.fire = s.fire
	s.client = asynq.NewClient(opt)
	return s, nil
}

// Entries lists what the scheduler registered, in the order given.
func (s *RedisScheduler) Entries() []ScheduledEntry { return append([]ScheduledEntry(nil), s.infos...) }

// Start checks that Redis answers and begins enqueueing.
func (s *RedisScheduler) Start() error {
	if err := s.client.Ping(); err != nil {
		return fmt.Errorf("scheduler: %w", err)
	}
	s.tick.start()
	return nil
}

// Shutdown stops the schedule, waits for a firing being enqueued and
// closes the connection.
func (s *RedisScheduler) Shutdown() {
	s.tick.shutdown()
	if err := s.client.Close(); err != nil {
		s.log.Warn("scheduler: close Redis client", "error", err)
	}
}

// fire enqueues one firing (called by the loop only).
func (s *RedisScheduler) fire(ctx context.Context, e *firingEntry, firing time.Time) {
	id := FiringID(e.Name, firing)
	ctx, cancel := context.WithTimeout(ctx, ScheduleEnqueueTimeout)
	defer cancel()
	opts := append(slices.Clip(s.opts[e.Name]), asynq.TaskID(id))
	_, err := s.client.EnqueueContext(ctx, asynq.NewTask(e.Type, e.Payload), opts...)
	attrs := []any{"name", e.Name, "task_type", e.Type, "task_id", id, "firing", firing.Format(time.RFC3339)}
	switch {
	case errors.Is(err, asynq.ErrTaskIDConflict):
		s.log.Info("periodic task already enqueued for this firing (another scheduler)", attrs...)
	case err != nil:
		s.log.Error("periodic task not enqueued", append(attrs, "error", err)...)
	default:
		s.log.Info("periodic task enqueued", attrs...)
	}
}

// LocalScheduler enqueues periodic entries into an in-process queue; the
// embedded mode's replacement for the scheduler binary. It fires at the
// same moments as the scheduler binary, but its queue is its process's
// own: two embedded backends would each run every job (replicas need
// Redis and the scheduler binary).
type LocalScheduler struct {
	tick *ticker
}

// NewLocalScheduler registers entries; call Start to begin ticking.
func NewLocalScheduler(q Queue, entries []Periodic, log *slog.Logger) (*LocalScheduler, error) {
	tick, err := newTicker(entries)
	if err != nil {
		return nil, err
	}
	tick.fire = func(ctx context.Context, e *firingEntry, _ time.Time) {
		if _, err := q.Enqueue(ctx, e.Type, e.Payload); err != nil {
			log.Error("periodic task not enqueued", "name", e.Name, "error", err)
		}
	}
	return &LocalScheduler{tick: tick}, nil
}

// Start begins running the schedule.
func (s *LocalScheduler) Start() { s.tick.start() }

// Stop halts the schedule and waits for a running enqueue to return.
func (s *LocalScheduler) Stop() { s.tick.shutdown() }
