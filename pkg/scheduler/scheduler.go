// Package scheduler is the periodic-task process (upstream's celery beat):
// it enqueues the schedule's entries into Redis when due. Exactly one
// replica may run, or every job would run twice.
package scheduler

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
	"github.com/ibutsu-go/ibutsu/pkg/wiring"
)

// Run starts the scheduler and blocks until ctx ends. The start-up it
// shares with the worker is wiring.StartProcess: the full registry, as the
// worker builds it, so each scheduled task is enqueued with its registered
// retry count and timeout.
func Run(ctx context.Context, cfg *config.Config, log *slog.Logger) error {
	p, err := wiring.StartProcess(ctx, "scheduler", cfg, log)
	if err != nil {
		return err
	}
	defer p.Close()
	entries := p.Services.Schedule()
	logSchedule(log, cfg.Schedule, entries)
	s, err := queue.NewRedisScheduler(p.Redis, p.Services.Registry(), cfg.Tasks.Queue, entries, log)
	if err != nil {
		return err
	}
	if err := s.Start(); err != nil {
		return fmt.Errorf("start scheduler: %w", err)
	}
	defer s.Shutdown()
	return p.ServeHealth(ctx, cfg.SchedulerHealthPort, map[string]httpx.ProbeFunc{"redis": p.Queue.Ping}, nil,
		"scheduler running", "entries", len(entries))
}

// logSchedule records at start what runs when, and which entries the
// configuration switched off.
func logSchedule(log *slog.Logger, cfg config.Schedule, entries []queue.Periodic) {
	for _, e := range entries {
		log.Info("periodic task scheduled", "name", e.Name, "task_type", e.Type, "spec", e.Spec)
	}
	for name, e := range cfg {
		if !e.Enabled {
			log.Info("periodic task disabled by configuration", "name", name)
		}
	}
}
