// Package worker is the task worker process: it executes the queued tasks
// from Redis (asynq) against the shared database. Scale it by replicas.
package worker

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
	"github.com/ibutsu-go/ibutsu/pkg/wiring"
)

// Run starts the worker and blocks until ctx ends, then stops taking new
// tasks and lets running ones finish within the shutdown timeout.
func Run(ctx context.Context, cfg *config.Config, log *slog.Logger) error {
	if err := cfg.Require("worker"); err != nil {
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
	services := wiring.New(d, cfg, log)
	defer services.Close()
	reg := services.Registry()
	srv, mux := queue.NewServer(opt, reg, cfg.Tasks.Queue, cfg.Tasks.Concurrency, cfg.HTTP.ShutdownTimeout, log)
	if err := srv.Start(mux); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	defer srv.Shutdown()
	rq := queue.NewRedisQueue(opt, reg, cfg.Tasks.Queue)
	defer rq.Close()
	services.SetQueue(rq) // tasks may enqueue follow-up tasks

	ln, err := net.Listen("tcp", net.JoinHostPort(cfg.HTTP.Host, strconv.Itoa(cfg.WorkerHealthPort)))
	if err != nil {
		return fmt.Errorf("listen for health checks: %w", err)
	}
	log.Info("worker running", "queue", cfg.Tasks.Queue, "concurrency", cfg.Tasks.Concurrency, "task_types", reg.Types(), "health_addr", ln.Addr().String())
	mux2 := httpx.HealthMux(map[string]httpx.ProbeFunc{"database": d.Ping, "redis": rq.Ping})
	return httpx.Serve(ctx, ln, mux2, httpx.ServerConfig{ShutdownTimeout: cfg.HTTP.ShutdownTimeout, ReadHeaderTimeout: cfg.HTTP.ReadHeaderTimeout}, log, srv.Stop)
}
