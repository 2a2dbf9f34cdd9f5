// Package scheduler is the periodic-task process (upstream's celery beat):
// it enqueues the schedule's entries into Redis when due. Exactly one
// replica may run, or every job would run twice.
package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strconv"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
	"github.com/ibutsu-go/ibutsu/pkg/tasks"
	"github.com/ibutsu-go/ibutsu/pkg/wiring"
)

// Run starts the scheduler and blocks until ctx ends.
func Run(ctx context.Context, cfg *config.Config, log *slog.Logger) error {
	if err := cfg.Require("scheduler"); err != nil {
		return err
	}
	log.Info("effective configuration", "config", cfg.Redacted())
	d, err := db.Open(ctx, cfg.Database, log)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.CheckSchema(ctx); err != nil {
		return err
	}
	opt, err := queue.RedisConnOpt(cfg.Redis.URL)
	if err != nil {
		return err
	}
	// The full registry, as the worker builds it: each scheduled task is
	// enqueued with its registered retry count and timeout.
	services := wiring.New(d, cfg, log)
	defer services.Close()
	reg := services.Registry()
	entries := tasks.Schedule(cfg.Schedule)
	logSchedule(log, cfg.Schedule, entries)
	s, err := queue.NewRedisScheduler(opt, reg, cfg.Tasks.Queue, entries, log)
	if err != nil {
		return err
	}
	if err := s.Start(); err != nil {
		return fmt.Errorf("start scheduler: %w", err)
	}
	defer s.Shutdown()
	rq := queue.NewRedisQueue(opt, reg, cfg.Tasks.Queue)
	defer rq.Close()
	ln, err := net.Listen("tcp", net.JoinHostPort(cfg.HTTP.Host, strconv.Itoa(cfg.SchedulerHealthPort)))
	if err != nil {
		return fmt.Errorf("listen for health checks: %w", err)
	}
	log.Info("scheduler running", "entries", len(entries), "health_addr", ln.Addr().String())
	mux := httpx.HealthMux(map[string]httpx.ProbeFunc{"redis": rq.Ping})
	return httpx.Serve(ctx, ln, mux, httpx.ServerConfig{ShutdownTimeout: cfg.HTTP.ShutdownTimeout, ReadHeaderTimeout: cfg.HTTP.ReadHeaderTimeout}, log, nil)
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
