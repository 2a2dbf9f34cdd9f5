package scheduler_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
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
	"github.com/ibutsu-go/ibutsu/pkg/testkit/logbuf"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
	"github.com/ibutsu-go/ibutsu/pkg/webhook"
)

// TestSchedulerRegistersConfiguredEntries runs the scheduler binary's Run
// with a changed spec and a disabled entry: the entries it logs at start
// are the configured specs without the disabled one, and a firing of the
// changed entry ("@every 1s") reaches Redis under its firing id with the
// task's registered timeout, retries and retention (not the queue's
// defaults).
func TestSchedulerRegistersConfiguredEntries(t *testing.T) {
	t.Setenv("SCHEDULE_PRUNE_OLD_RUNS", "@every 1s")
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
	var logs logbuf.Buffer
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- scheduler.Run(runCtx, cfg, logs.JSONLogger()) }()
	defer func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("scheduler: %v", err)
		}
	}()

	var fired []map[string]any
	for len(fired) == 0 {
		select {
		case <-ctx.Done():
			t.Fatal("the scheduler enqueued nothing in time")
		case err := <-done:
			t.Fatalf("scheduler exited: %v", err)
		case <-time.After(100 * time.Millisecond):
		}
		fired = logs.Find(t, "periodic task enqueued")
	}
	got := map[string]map[string]any{}
	for _, e := range logs.Find(t, "periodic task scheduled") {
		got[fmt.Sprint(e["task_type"])] = e
	}
	want := map[string]string{
		maintenance.TypePruneImports: "0 2 * * *", maintenance.TypePruneFiles: "0 4 * * 6",
		maintenance.TypePruneResults: "0 5 * * 6", maintenance.TypePruneRuns: "@every 1s",
		maintenance.TypeCompactCounts: "@every 10m", importer.TypeRepairStuck: "@every 15m",
		fingerprint.TypeBackfill: "@every 1h",
		webhook.TypeSweep:        "@every 1m",
		webhook.TypePrune:        "@every 1h",
		run.TypeFinishQuiet:      "@every 1m",
		flaky.TypeRefresh:        "@every 30m",
		artifact.TypeObjects:     "@every 15m",
	}
	if len(got) != len(want) {
		t.Fatalf("entries %v, want %v (sync-aborted-runs disabled)", slices.Sorted(maps.Keys(got)), want)
	}
	for typ, spec := range want {
		e := got[typ]
		if e == nil || e["spec"] != spec || e["queue"] != cfg.Tasks.Queue {
			t.Fatalf("%s: %v, want spec %q in queue %s", typ, e, spec, cfg.Tasks.Queue)
		}
	}
	if e := got[maintenance.TypePruneRuns]; e["timeout"] != "1h0m0s" || e["max_retry"] != float64(3) || e["retention"] != "24h0m0s" {
		t.Fatalf("prune-old-runs logged %v: want the registered timeout, retries and retention", e)
	}

	id := fmt.Sprint(fired[0]["task_id"])
	if fired[0]["task_type"] != maintenance.TypePruneRuns || !strings.HasPrefix(id, "prune-old-runs@") {
		t.Fatalf("first firing %v: want prune-old-runs@<unix time>", fired[0])
	}
	opt, err := queue.RedisConnOpt(cfg.Redis.URL)
	if err != nil {
		t.Fatal(err)
	}
	insp := asynq.NewInspector(opt)
	defer func() { _ = insp.Close() }()
	info, err := insp.GetTaskInfo(cfg.Tasks.Queue, id)
	if err != nil {
		t.Fatal(err)
	}
	if info.Timeout != time.Hour || info.MaxRetry != 3 || info.Retention != 24*time.Hour || string(info.Payload) != `{"months":12}` {
		t.Fatalf("firing %s in Redis: timeout %s, max retry %d, retention %s, payload %s", id, info.Timeout, info.MaxRetry, info.Retention, info.Payload)
	}
}
