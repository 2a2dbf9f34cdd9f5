// Package worker is the task worker process: it executes the queued tasks
// from Redis (asynq) against the shared database. Scale it by replicas.
package worker

import (
	"context"
	"log/slog"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
	"github.com/ibutsu-go/ibutsu/pkg/wiring"
)

// Run starts the worker and blocks until ctx ends, then stops taking new
// tasks and lets running ones finish within the shutdown timeout. The
// start-up and shutdown it shares with the scheduler is wiring.RunProcess;
// tasks may enqueue follow-up tasks through the process's Redis queue.
func Run(ctx context.Context, cfg *config.Config, log *slog.Logger) error {
	return wiring.RunProcess(ctx, "worker", cfg, log, func(p *wiring.Process) (wiring.Serving, error) {
		if err := wiring.CheckObjectStore(ctx, p.Services); err != nil {
			return wiring.Serving{}, err
		}
		reg := p.Services.Registry()
		srv, mux := queue.NewServer(p.Redis, reg, cfg.Tasks.Queue, cfg.Tasks.Concurrency, cfg.HTTP.ShutdownTimeout, log)
		if err := srv.Start(mux); err != nil {
			return wiring.Serving{}, err
		}
		return wiring.Serving{
			HealthPort:    cfg.WorkerHealthPort,
			ProbeDatabase: true,
			OnStop:        srv.Stop,
			Stop:          srv.Shutdown,
			Running:       "worker running",
			Attrs:         []any{"queue", cfg.Tasks.Queue, "concurrency", cfg.Tasks.Concurrency, "task_types", reg.Types()},
		}, nil
	})
}
