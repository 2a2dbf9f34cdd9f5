package worker_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
	"github.com/ibutsu-go/ibutsu/pkg/scheduler"
	"github.com/ibutsu-go/ibutsu/pkg/tasks"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
	"github.com/ibutsu-go/ibutsu/pkg/worker"
)

func workerConfig(t *testing.T, dsn string) *config.Config {
	t.Helper()
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Database.URL = dsn
	cfg.Redis.URL = testenv.RedisURL(t)
	cfg.Tasks.Queue = "test-" + uuid.NewString()[:8]
	cfg.WorkerHealthPort, cfg.SchedulerHealthPort = 0, 0
	cfg.HTTP.Host = "127.0.0.1"
	cfg.HTTP.ShutdownTimeout = 5 * time.Second
	return cfg
}

// migratedConfig is workerConfig on a fresh PostgreSQL database that is
// migrated, as the worker and the scheduler expect to find it.
func migratedConfig(t *testing.T) *config.Config {
	t.Helper()
	cfg := workerConfig(t, testenv.NewPostgresDatabase(t))
	d, err := db.Open(context.Background(), cfg.Database, backendtest.Quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = d.Close() }()
	if err := d.Migrate(context.Background(), backendtest.Quiet()); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// start runs a binary's Run (worker or scheduler) in the background: cancel
// stops it, done receives what Run returned.
func start(cfg *config.Config, run func(context.Context, *config.Config, *slog.Logger) error) (context.CancelFunc, <-chan error) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, cfg, backendtest.Quiet()) }()
	return cancel, done
}

// TestWorkerRunsQueuedTasks starts the worker binary's Run against real
// PostgreSQL and Redis, enqueues a ping the way the backend does and waits
// for it to complete, then stops the worker gracefully.
func TestWorkerRunsQueuedTasks(t *testing.T) {
	cfg := migratedConfig(t)
	cancel, done := start(cfg, worker.Run)

	opt, _ := queue.RedisConnOpt(cfg.Redis.URL)
	reg := tasks.NewRegistry(tasks.Deps{Log: backendtest.Quiet()})
	q := queue.NewRedisQueue(opt, reg, cfg.Tasks.Queue)
	defer func() { _ = q.Close() }()
	payload, _ := json.Marshal(tasks.PingPayload{Message: "hello"})
	id, err := q.Enqueue(context.Background(), tasks.TypePing, payload)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		st, err := q.Status(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if st.State == queue.StateSuccess {
			var res tasks.PingResult
			if err := json.Unmarshal(st.Result, &res); err != nil || res.Message != "hello" {
				t.Fatalf("ping result %s: %v", st.Result, err)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("ping stuck in %s", st.State)
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("worker shutdown: %v", err)
	}
}

// TestWorkerAndSchedulerRefuseOlderSchema: both binaries check the schema
// version before doing anything.
func TestWorkerAndSchedulerRefuseOlderSchema(t *testing.T) {
	cfg := workerConfig(t, testenv.NewPostgresDatabase(t)) // never migrated
	for name, run := range map[string]func(context.Context, *config.Config) error{
		"worker":    func(ctx context.Context, c *config.Config) error { return worker.Run(ctx, c, backendtest.Quiet()) },
		"scheduler": func(ctx context.Context, c *config.Config) error { return scheduler.Run(ctx, c, backendtest.Quiet()) },
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := run(ctx, cfg)
		cancel()
		if !errors.Is(err, db.ErrSchemaBehind) {
			t.Fatalf("%s on an unmigrated database: %v", name, err)
		}
	}
}

// TestSchedulerStartsAndStops runs the scheduler against a migrated database.
func TestSchedulerStartsAndStops(t *testing.T) {
	cancel, done := start(migratedConfig(t), scheduler.Run)
	time.Sleep(500 * time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("scheduler exited early: %v", err)
	default:
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("scheduler shutdown: %v", err)
	}
}
