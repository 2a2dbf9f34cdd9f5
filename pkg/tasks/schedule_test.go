package tasks_test

import (
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/maintenance"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
	"github.com/ibutsu-go/ibutsu/pkg/tasks"
)

func TestScheduleFromConfig(t *testing.T) {
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	// The defaults reproduce upstream's beat table exactly.
	got := tasks.Schedule(cfg.Schedule, maintenance.Schedule())
	want := maintenance.Schedule()
	if len(got) != len(want) {
		t.Fatalf("%d entries, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].Name != want[i].Name || got[i].Spec != want[i].Spec || got[i].Type != want[i].Type || string(got[i].Payload) != string(want[i].Payload) {
			t.Errorf("entry %d: %+v, want %+v", i, got[i], want[i])
		}
	}

	t.Setenv("SCHEDULE_PRUNE_OLD_RUNS", "15 3 * * *")
	t.Setenv("SCHEDULE_SYNC_ABORTED_RUNS_ENABLED", "false")
	if cfg, err = config.Load(""); err != nil {
		t.Fatal(err)
	}
	byName := map[string]queue.Periodic{}
	for _, p := range tasks.Schedule(cfg.Schedule, maintenance.Schedule()) {
		byName[p.Name] = p
	}
	if _, on := byName["sync-aborted-runs"]; on || len(byName) != len(want)-1 {
		t.Fatalf("disabled entry still scheduled: %v", byName)
	}
	runs := byName["prune-old-runs"]
	if runs.Spec != "15 3 * * *" || runs.Type != maintenance.TypePruneRuns || string(runs.Payload) != `{"months":12}` {
		t.Fatalf("prune-old-runs: %+v", runs)
	}
	// The in-process cron accepts every configured spec.
	if _, err := queue.NewLocalScheduler(nil, tasks.Schedule(cfg.Schedule, maintenance.Schedule()), nil); err != nil {
		t.Fatal(err)
	}
	if d, err := queue.Period(runs.Spec, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil || d != 24*time.Hour {
		t.Fatalf("period %v %v", d, err)
	}

	// An entry the config does not know keeps its built-in spec.
	if got := tasks.Schedule(config.Schedule{}, maintenance.Schedule()); len(got) != len(want) || got[0].Spec != want[0].Spec {
		t.Fatalf("empty config: %+v", got)
	}
}
