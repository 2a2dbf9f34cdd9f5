package scheduler_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"

	"github.com/ibutsu-go/ibutsu/pkg/artifact"
	"github.com/ibutsu-go/ibutsu/pkg/fingerprint"
	"github.com/ibutsu-go/ibutsu/pkg/flaky"
	"github.com/ibutsu-go/ibutsu/pkg/importer"
	"github.com/ibutsu-go/ibutsu/pkg/maintenance"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
	"github.com/ibutsu-go/ibutsu/pkg/run"
	"github.com/ibutsu-go/ibutsu/pkg/scheduler"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
	"github.com/ibutsu-go/ibutsu/pkg/webhook"
)

// TestSchedulerRegistersConfiguredEntries runs the scheduler binary's Run
// with a changed spec and a disabled entry, and reads back from Redis what
// it registered: the configured specs, no disabled entry, and each task's
// registered timeout and retries (not the queue's defaults). asynq
// publishes its entries on its 10 s heartbeat, so this waits for one.
func TestSchedulerRegistersConfiguredEntries(t *testing.T) {
	t.Setenv("SCHEDULE_PRUNE_OLD_RUNS", "15 3 * * *")
	t.Setenv("SCHEDULE_SYNC_ABORTED_RUNS_ENABLED", "no")
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Database.URL = testenv.NewPostgresDatabase(t)
	cfg.Redis.URL = testenv.RedisURL(t)
	cfg.Tasks.Queue = "sched-" + uuid.NewString()[:8]
	cfg.SchedulerHealthPort = 0
	cfg.HTTP.Host = "127.0.0.1"
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	d, err := db.Open(ctx, cfg.Database, backendtest.Quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = d.Close() }()
	if err := d.Migrate(ctx, backendtest.Quiet()); err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- scheduler.Run(runCtx, cfg, backendtest.Quiet()) }()
	defer func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("scheduler: %v", err)
		}
	}()

	opt, err := queue.RedisConnOpt(cfg.Redis.URL)
	if err != nil {
		t.Fatal(err)
	}
	insp := asynq.NewInspector(opt)
	defer func() { _ = insp.Close() }()
	mine := fmt.Sprintf("Queue(%q)", cfg.Tasks.Queue)
	got := map[string]*asynq.SchedulerEntry{}
	for len(got) == 0 {
		select {
		case <-ctx.Done():
			t.Fatal("the scheduler registered no entries in time")
		case err := <-done:
			t.Fatalf("scheduler exited: %v", err)
		case <-time.After(250 * time.Millisecond):
		}
		entries, err := insp.SchedulerEntries()
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			for _, o := range e.Opts {
				if o.String() == mine {
					got[e.Task.Type()] = e
				}
			}
		}
	}
	want := map[string]string{
		maintenance.TypePruneImports: "0 2 * * *", maintenance.TypePruneFiles: "0 4 * * 6",
		maintenance.TypePruneResults: "0 5 * * 6", maintenance.TypePruneRuns: "15 3 * * *",
		maintenance.TypeCompactCounts: "@every 10m", importer.TypeRepairStuck: "@every 15m",
		fingerprint.TypeBackfill: "@every 1h",
		webhook.TypeSweep:        "@every 1m",
		run.TypeFinishQuiet:      "@every 1m",
		flaky.TypeRefresh:        "@every 30m",
		artifact.TypeObjects:     "@every 15m",
	}
	if len(got) != len(want) {
		t.Fatalf("entries %v, want %v (sync-aborted-runs disabled)", keys(got), want)
	}
	for typ, spec := range want {
		e := got[typ]
		if e == nil || e.Spec != spec {
			t.Fatalf("%s: %+v, want spec %q", typ, e, spec)
		}
	}
	opts := fmt.Sprint(got[maintenance.TypePruneRuns].Opts)
	if !strings.Contains(opts, "Timeout(1h0m0s)") || !strings.Contains(opts, "MaxRetry(3)") {
		t.Fatalf("prune-old-runs options %s: want the registered timeout and retries", opts)
	}
}

func keys(m map[string]*asynq.SchedulerEntry) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
