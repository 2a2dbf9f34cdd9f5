package resilience

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/backend"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
	"github.com/ibutsu-go/ibutsu/pkg/worker"
)

// inProcess is a backend built in the test process and served over real
// TCP (httptest), for tests that need no separate process.
type inProcess struct {
	App   *backend.App
	Srv   *httptest.Server
	Token string // a superadmin's login token
}

// quiet drops log output.
func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// testConfig is the configuration every in-process backend starts from.
func testConfig(t *testing.T, dsn string) *config.Config {
	t.Helper()
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir = t.TempDir()
	cfg.Database.URL = dsn
	cfg.Redis.URL = ""
	cfg.JWT.Secret = "resilience-secret"
	cfg.BcryptRounds = 4
	cfg.Superadmin = config.Superadmin{Email: "admin@example.com", Password: "admin-password", Name: "Admin"}
	return cfg
}

// startInProcess builds the backend for cfg (with opts: a web UI, say) and
// serves it, with a login token of the superadmin.
func startInProcess(t *testing.T, cfg *config.Config, log *slog.Logger, opts ...backend.Option) *inProcess {
	t.Helper()
	if log == nil {
		log = quiet()
	}
	app, err := backend.New(context.Background(), cfg, log, log, opts...)
	if err != nil {
		t.Fatalf("build backend: %v", err)
	}
	t.Cleanup(func() { _ = app.Close() })
	srv := httptest.NewServer(app.Router)
	t.Cleanup(srv.Close)
	admin, err := app.Users.ByEmail(context.Background(), cfg.Superadmin.Email)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := app.Signer.IssueLogin(admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	return &inProcess{App: app, Srv: srv, Token: tok}
}

// startInProcessWorker runs a worker on cfg (no health port) in this
// process until the test ends; its exit error fails the test.
func startInProcessWorker(t *testing.T, cfg *config.Config) {
	t.Helper()
	wcfg := *cfg
	wcfg.WorkerHealthPort = 0
	wcfg.HTTP.Host = "127.0.0.1"
	wcfg.HTTP.ShutdownTimeout = 5 * time.Second
	ctx, stop := context.WithCancel(context.Background())
	werr := make(chan error, 1)
	go func() { werr <- worker.Run(ctx, &wcfg, quiet()) }()
	t.Cleanup(func() {
		stop()
		if err := <-werr; err != nil {
			t.Errorf("worker: %v", err)
		}
	})
}

// startOnPrivateRedis starts a Redis of the test's own (persist: with an
// append-only file), then a backend and a worker in this process on it and
// a fresh database, tasks on queue: the setup of the tests that stop and
// restart Redis under a running import or summary.
func startOnPrivateRedis(t *testing.T, persist bool, queue string) (*Redis, *inProcess) {
	t.Helper()
	rd := StartRedis(t, persist)
	cfg := testConfig(t, testenv.NewPostgresDatabase(t))
	cfg.Redis.URL = rd.URL()
	cfg.Tasks.Queue = queue
	be := startInProcess(t, cfg, nil)
	startInProcessWorker(t, cfg)
	return rd, be
}
