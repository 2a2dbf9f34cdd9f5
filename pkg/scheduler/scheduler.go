// Package scheduler is the periodic-task process (upstream's celery beat):
// it enqueues the schedule's entries into Redis when due. Any number of
// replicas may run: each firing is enqueued under an id every replica
// computes alike (queue.FiringID), so Redis keeps one task per firing and
// the job runs once (see queue.RedisScheduler).
package scheduler

import (
	"context"
	"log/slog"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
	"github.com/ibutsu-go/ibutsu/pkg/wiring"
)

// logSchedule records at start what runs when, with which options, and
// which entries the configuration switched off.
func logSchedule(log *slog.Logger, cfg config.Schedule, entries []queue.ScheduledEntry) {
	for _, e := range entries {
		log.Info("periodic task scheduled", "name", e.Name, "task_type", e.Type, "spec", e.Spec,
			"queue", e.Queue, "max_retry", e.MaxRetry, "timeout", e.Timeout.String(), "retention", e.Retention.String())
	}
	for name, e := range cfg {
		if !e.Enabled {
			log.Info("periodic task disabled by configuration", "name", name)
		}
	}
}

// Run starts the scheduler and blocks until ctx ends. The start-up it
// shares with the worker is wiring.RunProcess: the full registry, as the
// worker builds it, so each scheduled task is enqueued with its registered
// retry count and timeout.
func Run(ctx context.Context, cfg *config.Config, log *slog.Logger) error {
	return wiring.RunProcess(ctx, "scheduler", cfg, log, func(p *wiring.Process) (wiring.Serving, error) {
		entries := p.Services.Schedule()
		s, err := queue.NewRedisScheduler(p.Redis, p.Services.Registry(), cfg.Tasks.Queue, entries, log)
		if err != nil {
			return wiring.Serving{}, err
		}
		logSchedule(log, cfg.Schedule, s.Entries())
		if err := s.Start(); err != nil {
			return wiring.Serving{}, err
		}
		return wiring.Serving{
			HealthPort: cfg.SchedulerHealthPort,
			Stop:       s.Shutdown,
			Running:    "scheduler running",
			Attrs:      []any{"entries", len(entries)},
		}, nil
	})
}
