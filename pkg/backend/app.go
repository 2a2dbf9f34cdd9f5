// Package backend assembles the API server: it opens the database and the
// task queue, migrates, bootstraps the superadmin, builds the router and
// serves it with graceful shutdown. cmd/backend only parses flags and calls
// Run; tests build an App and drive its router directly.
package backend

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/health"
	"github.com/ibutsu-go/ibutsu/pkg/live"
	"github.com/ibutsu-go/ibutsu/pkg/mail"
	"github.com/ibutsu-go/ibutsu/pkg/openapi"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
	"github.com/ibutsu-go/ibutsu/pkg/user"
	"github.com/ibutsu-go/ibutsu/pkg/wiring"
)

// App is a fully wired backend.
type App struct {
	Config   *config.Config
	DB       *db.DB
	Queue    queue.Queue
	Signer   *auth.Signer
	Users    *user.Store
	Services *wiring.Services
	Health   *health.Handler
	Metrics  *httpx.Metrics
	Router   *gin.Engine
	// OpenAPI is the served API description (the areas the router mounts).
	OpenAPI *openapi.Document
	// Streams counts and caps the open event streams of this process.
	Streams *live.Slots
	Log     *slog.Logger
	// Mailer sends activation and password-reset e-mail (SMTP, or the log
	// without MAIL_SERVER); tests replace it with a mail.Recorder.
	Mailer mail.Mailer
	// UI is the built web UI (nil: the binary has none and "/" answers a
	// placeholder page).
	UI fs.FS

	local     *queue.LocalQueue
	scheduler *queue.LocalScheduler
	// AdminEmail and AdminPassword are set when the embedded mode generated
	// a superadmin on this start; the password is printed once.
	AdminEmail, AdminPassword string
}

// New opens every dependency and builds the router. accessLog receives one
// line per request (stdout in the binary).
func New(ctx context.Context, cfg *config.Config, log, accessLog *slog.Logger, opts ...Option) (*App, error) {
	a := &App{Config: cfg, Log: log}
	for _, o := range opts {
		o(a)
	}
	if a.UI != nil {
		cfg.FrontendURL = embeddedFrontendURL(cfg.FrontendURL, cfg.BackendURL)
	}
	d, err := wiring.OpenDB(ctx, cfg.Database, log)
	if err != nil {
		return nil, err
	}
	a.DB = d
	if err := a.init(ctx, accessLog); err != nil {
		_ = a.Close() // the init error is the one to report
		return nil, err
	}
	return a, nil
}

func (a *App) init(ctx context.Context, accessLog *slog.Logger) error {
	cfg, log := a.Config, a.Log
	if cfg.Database.MigrateOnStart {
		if err := a.DB.Migrate(ctx, log); err != nil {
			return err
		}
	} else if err := a.DB.CheckSchema(ctx); err != nil {
		return err
	}
	secret, err := jwtSecret(cfg)
	if err != nil {
		return err
	}
	a.Signer = auth.NewSigner(secret, cfg.JWT.Issuer, cfg.JWT.Lifetime)
	a.Mailer = mail.New(cfg.Mail, log)
	var queuePinger health.Pinger
	a.Services, err = wiring.New(wiring.Deps{DB: a.DB, Config: cfg, Log: log,
		// Account e-mail goes through whatever App.Mailer holds when the task
		// runs, so tests can swap in a recorder after New.
		Mailer: appMailer{a},
		NewQueue: func(reg *queue.Registry) (queue.Queue, error) {
			if cfg.EmbeddedQueue() {
				a.local = queue.NewLocalQueue(reg, cfg.Tasks.Concurrency, log)
				return a.local, nil
			}
			opt, err := queue.RedisConnOpt(cfg.Redis.URL)
			if err != nil {
				return nil, err
			}
			rq := queue.NewRedisQueue(opt, reg, cfg.Tasks.Queue)
			rq.UseOutbox(a.DB, log)
			queuePinger = rq
			return rq, nil
		}})
	if err != nil {
		return err
	}
	if err := wiring.CheckObjectStore(ctx, a.Services); err != nil {
		return err
	}
	a.Users = a.Services.Users
	a.Queue = a.Services.Queue
	a.Services.Events.Listen()
	if a.local != nil {
		if a.scheduler, err = queue.NewLocalScheduler(a.local, a.Services.Schedule(), log); err != nil {
			return err
		}
	}

	a.AdminEmail, a.AdminPassword, err = user.Bootstrap(ctx, a.Users, cfg.Superadmin, cfg.BcryptRounds, !cfg.Database.UsesPostgres(), a.Services.Projects, log)
	if err != nil {
		return err
	}
	a.Health = health.NewHandler(a.DB, queuePinger, cfg.FrontendURL, cfg.BackendURL)
	a.Metrics = httpx.NewMetrics(a.DB.SQL)
	a.Router, err = newRouter(a, accessLog)
	return err
}

// upstreamFrontendDefault is FRONTEND_URL's default: upstream's separate
// React server. A binary that carries the UI serves it itself.
const upstreamFrontendDefault = "http://127.0.0.1:3000"

// embeddedFrontendURL points links in e-mail and login redirects at this
// server when the UI is embedded and FRONTEND_URL was left at upstream's
// default: the backend's own URL without its /api suffix.
func embeddedFrontendURL(frontend, backendURL string) string {
	if frontend != upstreamFrontendDefault || backendURL == "" {
		return frontend
	}
	return strings.TrimSuffix(strings.TrimRight(backendURL, "/"), "/api")
}

// Option adjusts an App before it is wired.
type Option func(*App)

// WithUI serves the built web UI from ui at "/" (nil keeps the placeholder).
func WithUI(ui fs.FS) Option { return func(a *App) { a.UI = ui } }

// Serve runs the HTTP server on ln until ctx ends, then shuts down
// gracefully: readiness flips to 503, in-flight requests finish within the
// configured timeout, background work stops.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	if a.scheduler != nil {
		a.scheduler.Start()
	}
	h := a.Config.HTTP
	return httpx.Serve(ctx, ln, a.Router, httpx.ServerConfig{
		ReadHeaderTimeout: h.ReadHeaderTimeout, ReadTimeout: h.ReadTimeout,
		WriteTimeout: h.WriteTimeout, IdleTimeout: h.IdleTimeout, ShutdownTimeout: h.ShutdownTimeout,
	}, a.Log, func() {
		a.Health.Ready.Store(false)
		// Open event streams end, so in-flight requests can finish.
		a.Services.Events.CloseSubscribers()
	})
}

// Close releases everything New opened.
func (a *App) Close() error {
	var errs []error
	if a.scheduler != nil {
		a.scheduler.Stop()
	}
	if a.local != nil {
		ctx, cancel := context.WithTimeout(context.Background(), a.Config.HTTP.ShutdownTimeout)
		errs = append(errs, a.local.Shutdown(ctx))
		cancel()
	} else if a.Queue != nil {
		errs = append(errs, a.Queue.Close())
	}
	if a.Services != nil {
		a.Services.Close()
	}
	if a.DB != nil {
		errs = append(errs, a.DB.Close())
	}
	return errors.Join(errs...)
}

// Run is the whole backend process: build, print how to log in, serve.
func Run(ctx context.Context, cfg *config.Config, log, accessLog *slog.Logger, opts ...Option) error {
	start := time.Now()
	if err := cfg.Require("backend"); err != nil {
		return err
	}
	log.Info("effective configuration", "config", cfg.Redacted())
	a, err := New(ctx, cfg, log, accessLog, opts...)
	if err != nil {
		return err
	}
	defer closeLogged(log, "backend", a.Close)
	ln, err := net.Listen("tcp", cfg.HTTP.Addr())
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.HTTP.Addr(), err)
	}
	mode := "production (PostgreSQL"
	if !cfg.Database.UsesPostgres() {
		mode = "embedded (SQLite " + cfg.Database.SQLitePath
	}
	if cfg.EmbeddedQueue() {
		mode += ", tasks in-process)"
	} else {
		mode += ", tasks via Redis)"
	}
	log.Info("backend listening", "addr", ln.Addr().String(), "mode", mode, "startup_ms", time.Since(start).Milliseconds())
	if a.AdminPassword != "" {
		fmt.Printf("\nIbutsu is running at http://127.0.0.1:%d\n  Log in as %s with password %s\n  (generated once and shown only now; to change it later: backend reset-password --email %s)\n\n",
			cfg.HTTP.Port, a.AdminEmail, a.AdminPassword, a.AdminEmail)
	} else if a.AdminEmail != "" {
		log.Info("superadmin exists; lost its password? run: backend reset-password --email "+a.AdminEmail, "email", a.AdminEmail)
	}
	return a.Serve(ctx, ln)
}

// Migrate applies pending migrations and exits: `backend migrate`, run as
// an init step before new replicas start.
func Migrate(ctx context.Context, cfg *config.Config, log *slog.Logger) error {
	d, err := db.Open(ctx, cfg.Database, log)
	if err != nil {
		return err
	}
	defer closeLogged(log, "database", d.Close)
	if err := d.Migrate(ctx, log); err != nil {
		return err
	}
	current, latest, err := d.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	log.Info("database schema is current", "version", current, "latest", latest)
	return nil
}

// closeLogged runs a deferred close at process end and logs its error: the
// process is exiting, so the error can only be reported, not acted on.
func closeLogged(log *slog.Logger, what string, closeFn func() error) {
	if err := closeFn(); err != nil {
		log.Warn("close "+what, "error", err)
	}
}
