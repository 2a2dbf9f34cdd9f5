// Package worker is the task worker process: it executes the queued tasks
// from Redis (asynq) against the shared database. Scale it by replicas.
package worker

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
	"github.com/ibutsu-go/ibutsu/pkg/wiring"
)

// Run starts the worker and blocks until ctx ends, then stops taking new
// tasks and lets running ones finish within the shutdown timeout. The
// start-up it shares with the scheduler is wiring.StartProcess; tasks may
// enqueue follow-up tasks through the process's Redis queue.
func Run(ctx context.Context, cfg *config.Config, log *slog.Logger) error {
	p, err := wiring.StartProcess(ctx, "worker", cfg, log)
	if err != nil {
		return err
	}
	defer p.Close()
	reg := p.Services.Registry()
	srv, mux := queue.NewServer(p.Redis, reg, cfg.Tasks.Queue, cfg.Tasks.Concurrency, cfg.HTTP.ShutdownTimeout, log)
	if err := srv.Start(mux); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	defer srv.Shutdown()
	return p.ServeHealth(ctx, cfg.WorkerHealthPort, map[string]httpx.ProbeFunc{"database": p.DB.Ping, "redis": p.Queue.Ping}, srv.Stop,
		"worker running", "queue", cfg.Tasks.Queue, "concurrency", cfg.Tasks.Concurrency, "task_types", reg.Types())
}
