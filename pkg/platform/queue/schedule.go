package queue

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
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

// NewRedisScheduler builds the asynq scheduler the scheduler binary runs:
// it enqueues each entry into Redis when due. Exactly one must run.
func NewRedisScheduler(opt asynq.RedisConnOpt, registry *Registry, queue string, entries []Periodic, log *slog.Logger) (*asynq.Scheduler, error) {
	s := asynq.NewScheduler(opt, &asynq.SchedulerOpts{
		Location: time.UTC,
		Logger:   slogAdapter{log},
		PostEnqueueFunc: func(info *asynq.TaskInfo, err error) {
			if errors.Is(err, asynq.ErrDuplicateTask) {
				log.Info("periodic task already enqueued for this period (another scheduler?)")
				return
			}
			if err != nil {
				log.Error("periodic task not enqueued", "error", err)
				return
			}
			log.Info("periodic task enqueued", "task_type", info.Type, "task_id", info.ID)
		},
	})
	for _, e := range entries {
		o := registry.options(e.Type, nil)
		period, err := Period(e.Spec, time.Now())
		if err != nil {
			return nil, fmt.Errorf("schedule %s (%s): %w", e.Name, e.Spec, err)
		}
		// Unique for (almost) one period: a second scheduler started by
		// mistake cannot enqueue a firing while the first copy is still
		// queued or running. asynq releases the lock once a task succeeds,
		// so it does not stop a second scheduler whose firings fall later
		// in the period (measured: two schedulers 1.5 s apart on "@every
		// 3s" with a worker ran the job twice per period). Hence exactly one.
		unique := max(period-time.Second, time.Second)
		opts := []asynq.Option{asynq.Queue(queue), asynq.MaxRetry(o.maxRetry), asynq.Timeout(o.timeout), asynq.Unique(unique)}
		// A firing keeps its result for the registered retention, as an
		// enqueued task does (the prune jobs' messages stay readable).
		if o.retention > 0 {
			opts = append(opts, asynq.Retention(o.retention))
		}
		if _, err := s.Register(e.Spec, asynq.NewTask(e.Type, e.Payload), opts...); err != nil {
			return nil, fmt.Errorf("schedule %s (%s): %w", e.Name, e.Spec, err)
		}
	}
	return s, nil
}

// Period is the time between two consecutive firings of a schedule spec
// after from (for cron specs with uneven gaps, the first gap).
func Period(spec string, from time.Time) (time.Duration, error) {
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return 0, fmt.Errorf("parse schedule: %w", err)
	}
	first := sched.Next(from)
	return sched.Next(first).Sub(first), nil
}

// LocalScheduler enqueues periodic entries into an in-process queue; the
// embedded mode's replacement for the scheduler binary.
type LocalScheduler struct {
	c *cron.Cron
}

// NewLocalScheduler registers entries; call Start to begin ticking.
func NewLocalScheduler(q Queue, entries []Periodic, log *slog.Logger) (*LocalScheduler, error) {
	c := cron.New(cron.WithLocation(time.UTC))
	for _, e := range entries {
		e := e
		if _, err := c.AddFunc(e.Spec, func() {
			if _, err := q.Enqueue(context.Background(), e.Type, e.Payload); err != nil {
				log.Error("periodic task not enqueued", "name", e.Name, "error", err)
			}
		}); err != nil {
			return nil, fmt.Errorf("schedule %s (%s): %w", e.Name, e.Spec, err)
		}
	}
	return &LocalScheduler{c: c}, nil
}

// Start begins running the schedule.
func (s *LocalScheduler) Start() { s.c.Start() }

// Stop halts the schedule and waits for a running enqueue to return.
func (s *LocalScheduler) Stop() { <-s.c.Stop().Done() }
