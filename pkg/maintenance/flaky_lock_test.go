package maintenance_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// TestPruneWhileFlakyRefreshes: on PostgreSQL, a run prune deletes a run's
// results and then the run while flaky refreshes write evidence for those
// results: one of the run being deleted (it holds the run's row FOR KEY
// SHARE from its start) and one of a run kept in the same Jenkins build,
// whose evidence cites results of the run deleted (it deletes the flaky
// test's old evidence, which cascades from those results, before writing
// the new). Without one lock order both ways deadlocked; the refreshes may
// still fail (a result they cite was deleted under them, and they give
// their touched rows back), but neither side may be chosen as a deadlock
// victim. Odd rounds prune only the old run's results, and the periodic
// refresh (every project, and the stale touched rows of the old run) runs
// alongside. Many rounds, as a deadlock needs an unlucky interleaving.
func TestPruneWhileFlakyRefreshes(t *testing.T) {
	if testing.Short() {
		t.Skip("many rounds against PostgreSQL")
	}
	e := backendtest.New(t, backendtest.Options{})
	ctx := context.Background()
	up, fl := e.App.Services.Upkeep, e.App.Services.Flaky
	const rounds, tests = 40, 30
	var deadlocks, refusals int
	who := []string{"prune", "refresh of the old run", "refresh of the run kept", "periodic refresh"}
	for round := range rounds {
		p := &model.Project{ID: uuid.New(), Name: model.Ptr(fmt.Sprintf("p%d", round))}
		create(t, e, p)
		// Even rounds prune the old run, odd ones only its results.
		pruneRuns := round%2 == 0
		if pruneRuns {
			setRetention(t, e, p.ID, nil, nil, nil, 1)
		} else {
			setRetention(t, e, p.ID, nil, nil, 1, nil)
		}
		build := model.JSON{"jenkins": map[string]any{"job_name": "nightly", "build_number": "7"}}
		old := &model.Run{ID: uuid.New(), ProjectID: &p.ID, StartTime: ago(3), Created: ago(3), Data: build}
		kept := &model.Run{ID: uuid.New(), ProjectID: &p.ID, StartTime: ago(0), Created: ago(0), Data: build}
		create(t, e, old, kept)
		add := func(r *model.Run, status string) {
			rows := make([]model.Result, tests)
			for i := range rows {
				rows[i] = model.Result{ID: uuid.New(), ProjectID: &p.ID, RunID: &r.ID, TestID: model.Ptr(fmt.Sprintf("t%d", i)),
					Result: model.Ptr(status), StartTime: r.StartTime, Data: model.JSON{}}
			}
			create(t, e, &rows)
		}
		add(old, "failed")
		add(old, "passed")
		add(kept, "failed")
		// The kept run's tests are flaky already (evidence citing the old
		// run's results); its next refresh rewrites their evidence.
		if err := fl.RefreshRun(ctx, kept.ID); err != nil {
			t.Fatal(err)
		}
		add(kept, "passed")
		// The periodic refresh prunes the old run's touched rows as those
		// of a run not refreshed for a day.
		if err := e.App.DB.Gorm.Exec("UPDATE ibutsu_flaky_run_touched SET at = at - interval '2 days' WHERE run_id = ?", old.ID).Error; err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make([]error, len(who))
		for i, fn := range []func() error{
			func() error {
				if pruneRuns {
					_, err := up.PruneRuns(ctx, 12)
					return err
				}
				_, err := up.PruneResults(ctx, 5)
				return err
			},
			func() error { return fl.RefreshRun(ctx, old.ID) },
			func() error { return fl.RefreshRun(ctx, kept.ID) },
			func() error { _, err := fl.RefreshAll(ctx); return err },
		} {
			wg.Add(1)
			go func() { defer wg.Done(); errs[i] = fn() }()
		}
		wg.Wait()
		for i, err := range errs {
			switch {
			case err == nil:
			case strings.Contains(err.Error(), "deadlock detected"):
				deadlocks++
				t.Errorf("round %d: %s: %v", round, who[i], err)
			case i == 0:
				t.Fatalf("round %d: prune: %v", round, err)
			case strings.Contains(err.Error(), "violates foreign key constraint"):
				refusals++ // a cited result was deleted under the refresh
			default:
				t.Fatalf("round %d: %s: %v", round, who[i], err)
			}
		}
		var left int64
		if err := e.App.DB.Gorm.Raw("SELECT count(*) FROM results WHERE run_id = ?", old.ID).Scan(&left).Error; err != nil {
			t.Fatal(err)
		}
		if left != 0 || exists(t, e, "runs", old.ID) != !pruneRuns {
			t.Fatalf("round %d: %d results of the old run left, run kept %v", round, left, exists(t, e, "runs", old.ID))
		}
	}
	t.Logf("%d rounds: %d deadlocks, %d refreshes failed on a result deleted under them", rounds, deadlocks, refusals)
}

// TestPruneResultsKeepsFlakyFiguresExact: a results prune of a run that
// stays leaves negative touched rows for the run (the delete trigger of
// migration 00026); the run's next flaky refresh adds them to the figures
// it stored, which then equal a count of what the run still holds.
func TestPruneResultsKeepsFlakyFiguresExact(t *testing.T) {
	e := backendtest.New(t, backendtest.Options{})
	ctx := context.Background()
	up, fl := e.App.Services.Upkeep, e.App.Services.Flaky
	p, r := oldRunToPrune(t, e, false)
	add := func(test, status string, days int) {
		create(t, e, &model.Result{ID: uuid.New(), ProjectID: &p.ID, RunID: &r.ID, TestID: model.Ptr(test),
			Result: model.Ptr(status), StartTime: ago(days), Data: model.JSON{}})
	}
	add("t_a", "failed", 3)
	add("t_a", "passed", 0)
	add("t_b", "failed", 3)
	add("t_b", "error", 0)
	add("t_c", "error", 3)
	add("t_d", "failed", 0)
	if err := fl.RefreshRun(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := up.PruneResults(ctx, 5); err != nil {
		t.Fatal(err)
	}
	var touched int64
	if err := e.App.DB.Gorm.Raw("SELECT count(*) FROM ibutsu_flaky_run_touched WHERE run_id = ? AND results < 0", r.ID).Scan(&touched).Error; err != nil {
		t.Fatal(err)
	}
	if touched != 3 {
		t.Fatalf("%d negative touched rows after the prune, want one per result deleted (3)", touched)
	}
	if err := fl.RefreshRun(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	type fig struct {
		TestID            string
		Results, Failures int
	}
	var want, got []fig
	err := e.App.DB.Gorm.Raw(`SELECT test_id, count(*) AS results, count(*) FILTER (WHERE result IN ('failed', 'error')) AS failures
		FROM results WHERE run_id = ? AND test_id IN (SELECT test_id FROM ibutsu_flaky_run_tests WHERE run_id = ?)
		GROUP BY test_id ORDER BY test_id`, r.ID, r.ID).Scan(&want).Error
	if err != nil {
		t.Fatal(err)
	}
	err = e.App.DB.Gorm.Raw(`SELECT test_id, results, failures FROM ibutsu_flaky_run_tests
		WHERE run_id = ? AND results > 0 ORDER BY test_id`, r.ID).Scan(&got).Error
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) || len(got) != 3 {
		t.Errorf("stored figures after the prune and a refresh %v, the run holds %v", got, want)
	}
}

// TestPruneRunsWhilePeriodicRefreshPrunesTouches: the periodic flaky
// refresh drops the touched rows of a run not refreshed for a day and then
// the run's stored figures; a delete of the run removes the figures
// (cascade) and then the touched rows (a trigger), the other way round. A
// test trigger holds the refresh between its two deletes while the run
// prune runs: the refresh holds the run FOR KEY SHARE, so the prune waits
// for it instead of deadlocking with it.
func TestPruneRunsWhilePeriodicRefreshPrunesTouches(t *testing.T) {
	e := backendtest.New(t, backendtest.Options{})
	ctx := context.Background()
	up, fl := e.App.Services.Upkeep, e.App.Services.Flaky
	p, r := oldRunToPrune(t, e, true)
	add := func(status string) {
		create(t, e, &model.Result{ID: uuid.New(), ProjectID: &p.ID, RunID: &r.ID, TestID: model.Ptr("t_a"),
			Result: model.Ptr(status), StartTime: ago(3), Data: model.JSON{}})
	}
	add("failed")
	if err := fl.RefreshRun(ctx, r.ID); err != nil { // stores the run's figures
		t.Fatal(err)
	}
	add("failed") // not flaky: no evidence for the refresh to write about the results pruned
	exec := func(q string, args ...any) {
		t.Helper()
		if err := e.App.DB.Gorm.Exec(q, args...).Error; err != nil {
			t.Fatal(err)
		}
	}
	exec("UPDATE ibutsu_flaky_run_touched SET at = at - interval '2 days' WHERE run_id = ?", r.ID)
	// The first transaction to delete touched rows sleeps after it did.
	exec(`CREATE FUNCTION test_touched_pause() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN IF pg_try_advisory_xact_lock(424242) THEN PERFORM pg_sleep(1.5); END IF; RETURN NULL; END $$`)
	exec(`CREATE TRIGGER test_touched_pause AFTER DELETE ON ibutsu_flaky_run_touched
		FOR EACH STATEMENT EXECUTE FUNCTION test_touched_pause()`)
	refreshed := make(chan error, 1)
	go func() { _, err := fl.RefreshAll(ctx); refreshed <- err }()
	var paused bool
	for range 100 {
		if err := e.App.DB.Gorm.Raw(`SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = 424242 AND granted)`).
			Scan(&paused).Error; err != nil {
			t.Fatal(err)
		}
		if paused {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !paused {
		t.Fatal("the periodic refresh never deleted the run's touched rows")
	}
	if _, err := up.PruneRuns(ctx, 12); err != nil {
		t.Errorf("prune: %v", err)
	}
	if err := <-refreshed; err != nil {
		t.Errorf("periodic refresh: %v", err)
	}
	if exists(t, e, "runs", r.ID) {
		t.Error("the run was not pruned")
	}
}

// oldRunToPrune creates a project that keeps its runs (pruneRuns) or else
// its results one day, and a run of it started three days ago: what the
// next prune deletes (the run, or the results written into it).
func oldRunToPrune(t *testing.T, e *backendtest.Env, pruneRuns bool) (*model.Project, *model.Run) {
	t.Helper()
	p := &model.Project{ID: uuid.New(), Name: model.Ptr("p")}
	create(t, e, p)
	if pruneRuns {
		setRetention(t, e, p.ID, nil, nil, nil, 1)
	} else {
		setRetention(t, e, p.ID, nil, nil, 1, nil)
	}
	r := &model.Run{ID: uuid.New(), ProjectID: &p.ID, StartTime: ago(3), Created: ago(3)}
	create(t, e, r)
	return p, r
}
