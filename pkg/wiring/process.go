package wiring

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strconv"

	"github.com/hibiken/asynq"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
)

// Process is the start-up the worker and the scheduler share: checked
// configuration, a database on the current schema, and the services on a
// Redis queue with the full task registry (the worker runs its handlers, the
// scheduler enqueues with their registered retries and timeouts).
type Process struct {
	Config   *config.Config
	Log      *slog.Logger
	DB       *db.DB
	Services *Services
	// Redis is the connection option for asynq servers and schedulers.
	Redis asynq.RedisConnOpt
	// Queue is the Redis queue the services enqueue into.
	Queue *queue.RedisQueue
}

// StartProcess prepares the named process (its name selects the settings
// cfg.Require checks); each of adjust may add to the Deps the services are
// built from before they are. Close releases what it opened.
func StartProcess(ctx context.Context, name string, cfg *config.Config, log *slog.Logger, adjust ...func(*Deps)) (*Process, error) {
	if err := cfg.Require(name); err != nil {
		return nil, err
	}
	log.Info("effective configuration", "config", cfg.Redacted())
	d, err := OpenDB(ctx, cfg.Database, log)
	if err != nil {
		return nil, err
	}
	p := &Process{Config: cfg, Log: log, DB: d}
	if err := d.CheckSchema(ctx); err != nil {
		p.Close()
		return nil, err
	}
	if p.Redis, err = queue.RedisConnOpt(cfg.Redis.URL); err != nil {
		p.Close()
		return nil, err
	}
	deps := Deps{DB: d, Config: cfg, Log: log, NewQueue: func(reg *queue.Registry) (queue.Queue, error) {
		p.Queue = queue.NewRedisQueue(p.Redis, reg, cfg.Tasks.Queue)
		return p.Queue, nil
	}}
	for _, a := range adjust {
		a(&deps)
	}
	p.Services, err = New(deps)
	if err != nil {
		p.Close()
		return nil, err
	}
	return p, nil
}

// Serving is what a process run by RunProcess serves once its own server
// has started: the health port (probing Redis, and the database too when
// ProbeDatabase is set: the worker needs it for every task, the scheduler
// only at start), the line logged (with Attrs and the listening address)
// once the port is open, OnStop to call when shutdown begins and Stop once
// the health server has stopped (both may be nil).
type Serving struct {
	HealthPort    int
	ProbeDatabase bool
	OnStop, Stop  func()
	Running       string
	Attrs         []any
}

// RunProcess is the whole life the worker and the scheduler share:
// StartProcess, then start (which starts the process's own server on p and
// says what to serve), the health probes until ctx ends, then Stop and
// Close, in that order.
func RunProcess(ctx context.Context, name string, cfg *config.Config, log *slog.Logger, start func(p *Process) (Serving, error)) error {
	p, err := StartProcess(ctx, name, cfg, log)
	if err != nil {
		return err
	}
	defer p.Close()
	s, err := start(p)
	if err != nil {
		return fmt.Errorf("start %s: %w", name, err)
	}
	if s.Stop != nil {
		defer s.Stop()
	}
	probes := map[string]httpx.ProbeFunc{"redis": p.Queue.Ping}
	if s.ProbeDatabase {
		probes["database"] = p.DB.Ping
	}
	return p.serveHealth(ctx, s.HealthPort, probes, s.OnStop, s.Running, s.Attrs...)
}

// serveHealth answers the health probes on port until ctx ends; onStop (may
// be nil) runs when shutdown begins. running is logged, with attrs and the
// listening address, once the port is open.
func (p *Process) serveHealth(ctx context.Context, port int, probes map[string]httpx.ProbeFunc, onStop func(), running string, attrs ...any) error {
	cfg := p.Config
	ln, err := net.Listen("tcp", net.JoinHostPort(cfg.HTTP.Host, strconv.Itoa(port)))
	if err != nil {
		return fmt.Errorf("listen for health checks: %w", err)
	}
	p.Log.Info(running, append(attrs, "health_addr", ln.Addr().String())...)
	return httpx.Serve(ctx, ln, httpx.HealthMux(probes), httpx.ServerConfig{ShutdownTimeout: cfg.HTTP.ShutdownTimeout, ReadHeaderTimeout: cfg.HTTP.ReadHeaderTimeout}, p.Log, onStop)
}

// Close stops the services (writing what they have queued), then closes the
// queue and the database.
func (p *Process) Close() {
	if p.Services != nil {
		p.Services.Close()
	}
	if p.Queue != nil {
		if err := p.Queue.Close(); err != nil {
			p.Log.Warn("close queue", "error", err)
		}
	}
	if err := p.DB.Close(); err != nil {
		p.Log.Warn("close database", "error", err)
	}
}
