package flaky

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// addMany writes n results to the run in statements of 250, test
// t_many_<i> for the i-th, one in ten failed.
func (r *streamingRun) addMany(t *testing.T, n int) {
	t.Helper()
	var batch []model.Result
	for i := range n {
		test, status := fmt.Sprintf("t_many_%d", i), "passed"
		if i%10 == 0 {
			status = "failed"
		}
		r.n++
		batch = append(batch, model.Result{ID: uuid.New(), ProjectID: &r.f.mine, RunID: &r.id, TestID: &test,
			Result: &status, StartTime: r.at.Add(time.Duration(r.n) * time.Millisecond), Data: model.JSON{}})
		if len(batch) == 250 || i == n-1 {
			testdb.Insert(t, r.f.d, &batch)
			batch = nil
		}
	}
}

// TestRefreshRunReadsWhatWasWritten: on PostgreSQL, once a run was
// refreshed, its next refresh reads about as many rows of results as were
// written to the run since, not the run's failures (issue #21: with one
// result in ten failing, reading the failures of a 150k-result run cost
// 337-377 ms per summary window). It counts the rows of results the whole
// refresh read (pg_stat_xact_user_tables, this transaction's own counts).
func TestRefreshRunReadsWhatWasWritten(t *testing.T) {
	testdb.PostgresFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) { // SQLite reads the run's failures (changedTests)
		r := newWatchedRun(t, f)
		const many = 5000
		r.addMany(t, many)
		// As autovacuum would: without statistics the planner reads the
		// project's results by project for the history of a few tests.
		if err := d.Conn(ctx).Exec("ANALYZE results").Error; err != nil {
			t.Fatal(err)
		}
		r.refresh(t)
		n := r.log.len()
		// Five results: a retry's pass of a test that failed (stored
		// figures), a pass and a failure of new tests (no stored figures), a
		// pass of a test that passed, and a failure of the fixture's flaky
		// t_flip.
		r.add(t, "t_many_10", "passed")
		r.add(t, "t_new_pass", "passed")
		r.add(t, "t_new_fail", "failed")
		r.add(t, "t_many_11", "passed")
		r.add(t, "t_flip", "failed")
		const written = 5
		err := d.WithTx(ctx, func(ctx context.Context) error {
			before, storedBefore := rowsReadOfResults(ctx, t, d), rowsRead(ctx, t, d, runTestsTable)
			if err := f.svc.RefreshRun(ctx, r.id); err != nil {
				return err
			}
			if stored := rowsRead(ctx, t, d, runTestsTable) - storedBefore; stored > written {
				t.Errorf("the refresh read %d stored figures, want at most %d: the run's %d were read",
					stored, written, many/10)
			}
			read := rowsReadOfResults(ctx, t, d) - before
			t.Logf("the refresh read %d rows of results after %d were written to a run of %d (%d failed)",
				read, written, many+written, many/10)
			if read > 10*written {
				t.Errorf("the refresh read %d rows of results, want at most %d: the run's failures were read",
					read, 10*written)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := r.log.since(n); got != "t_flip,t_many_10,t_new_fail" {
			t.Errorf("the refresh examined %q, want t_flip,t_many_10,t_new_fail", got)
		}
		if _, ok := f.rows(t, f.mine)["t_many_10/"]; !ok {
			t.Error("t_many_10's retry across windows was not found")
		}
	})
}

// rowsRead is how many rows of a table this transaction read so far.
func rowsRead(ctx context.Context, t *testing.T, d *db.DB, table string) int64 {
	t.Helper()
	var n int64
	err := d.Conn(ctx).Raw(`SELECT COALESCE(seq_tup_read, 0) + COALESCE(idx_tup_fetch, 0)
		FROM pg_stat_xact_user_tables WHERE relid = ?::regclass`, table).Scan(&n).Error
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A refresh that fails once the run's touched rows are taken gives them
// back: the next refresh examines the tests written before the failure.
func TestRefreshRunFailingKeepsTouches(t *testing.T) {
	testdb.PostgresFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) { // the touched rows are PostgreSQL's
		r := newWatchedRun(t, f)
		r.add(t, "t_again", "failed")
		r.add(t, "t_other", "failed")
		r.refresh(t)
		r.add(t, "t_again", "passed")
		r.add(t, "t_late", "error")
		boom := errors.New("boom")
		f.svc.afterTouched = func(context.Context) error { return boom }
		if err := f.svc.RefreshRun(ctx, r.id); !errors.Is(err, boom) {
			t.Fatalf("refresh = %v, want the injected error", err)
		}
		f.svc.afterTouched = nil
		if k := keysOf(f.rows(t, f.mine)); k != "" {
			t.Fatalf("after the failed refresh: %s flaky", k)
		}
		r.refreshExamines(t, "t_again,t_late", "the refresh after the failed one")
		if _, ok := f.rows(t, f.mine)["t_again/"]; !ok {
			t.Error("t_again's retry was lost with the failed refresh")
		}
		if n := testdb.Count(t, d, touchedTable, "run_id = ?", r.id); n != 0 {
			t.Errorf("%d touched rows left after the refresh", n)
		}
	})
}

// The touched rows record every write that changes a test's figures in a
// run (insert, delete, an update of the outcome, the run or the test id)
// and none for a result without a run or a test id or an update that
// changes neither figure; the figures stored after a refresh are the
// run's, whatever refreshes ran meanwhile.
func TestTouchedFiguresAddUp(t *testing.T) {
	testdb.PostgresFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) { // the touched rows are PostgreSQL's
		a, b := newStreamingRun(t, f), newStreamingRun(t, f)
		conn := func() *db.DB { return d }
		exec := func(q string, args ...any) {
			t.Helper()
			if err := conn().Conn(ctx).Exec(q, args...).Error; err != nil {
				t.Fatal(err)
			}
		}
		x := a.add(t, "t_x", "failed")
		y := a.add(t, "t_y", "passed")
		a.add(t, "t_z", "failed")
		a.refresh(t)
		touches := func() int64 { return testdb.Count(t, d, touchedTable, "run_id IN ?", []uuid.UUID{a.id, b.id}) }
		exec("UPDATE results SET data = '{\"k\": 1}'::jsonb WHERE run_id = ?", a.id)
		exec("UPDATE results SET result = 'error' WHERE id = ?", x) // failed to error: a failure still
		testdb.Insert(t, d, &model.Result{ID: uuid.New(), ProjectID: &f.mine, RunID: &a.id, Result: model.Ptr("failed"),
			StartTime: a.at, Data: model.JSON{}}, &model.Result{ID: uuid.New(), ProjectID: &f.mine, TestID: model.Ptr("t_x"),
			Result: model.Ptr("failed"), StartTime: a.at, Data: model.JSON{}})
		if n := touches(); n != 0 {
			t.Fatalf("%d touched rows for writes that change no figure of a run", n)
		}
		exec("UPDATE results SET result = 'passed' WHERE id = ?", x)
		exec("UPDATE results SET test_id = 't_w' WHERE id = ?", y)
		exec("UPDATE results SET run_id = ? WHERE test_id = 't_z'", b.id)
		rng := rand.New(rand.NewPCG(1, 2)) //nolint:gosec // a fixed sequence of writes
		var wg sync.WaitGroup
		stop := make(chan struct{})
		errs := make(chan error, 2)
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					if err := f.svc.RefreshRun(ctx, a.id); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		// Writes while the run is refreshed; deletes come after (a result
		// deleted while a refresh writes evidence for it fails the refresh,
		// which then gives back its touched rows).
		for i := range 300 {
			test := fmt.Sprintf("t_r%d", rng.IntN(20))
			if rng.IntN(3) == 0 {
				exec("UPDATE results SET result = CASE result WHEN 'passed' THEN 'failed' ELSE 'passed' END WHERE run_id = ? AND test_id = ?", a.id, test)
				continue
			}
			a.add(t, test, []string{"passed", "failed", "error", "skipped"}[i%4])
		}
		close(stop)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		a.refresh(t)
		for range 20 {
			exec("DELETE FROM results WHERE id IN (SELECT id FROM results WHERE run_id = ? AND test_id = ? LIMIT 1)",
				a.id, fmt.Sprintf("t_r%d", rng.IntN(20)))
			if rng.IntN(2) == 0 {
				a.refresh(t)
			}
		}
		a.refresh(t)
		b.refresh(t)
		type fig struct {
			TestID            string
			Results, Failures int
		}
		for _, run := range []uuid.UUID{a.id, b.id} {
			var want, got []fig
			err := d.Conn(ctx).Raw(`SELECT test_id, COUNT(*) AS results,
				COUNT(*) FILTER (WHERE result IN ('failed', 'error')) AS failures FROM results
				WHERE run_id = ? AND test_id IS NOT NULL GROUP BY test_id
				HAVING COUNT(*) FILTER (WHERE result IN ('failed', 'error')) > 0 ORDER BY test_id`, run).Scan(&want).Error
			if err != nil {
				t.Fatal(err)
			}
			err = d.Conn(ctx).Raw(`SELECT test_id, results, failures FROM `+runTestsTable+`
				WHERE run_id = ? AND failures > 0 ORDER BY test_id`, run).Scan(&got).Error
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("run %s: stored figures of its failed tests %v, the run holds %v", run, got, want)
			}
		}
		if n := touches(); n != 0 {
			t.Errorf("%d touched rows left after the last refreshes", n)
		}
	})
}

// The periodic refresh drops the touched rows of a run not refreshed for a
// day, and the run's stored figures with them: the run's next refresh
// reads its failures again.
func TestRefreshAllPrunesStaleTouches(t *testing.T) {
	testdb.PostgresFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) { // the touched rows are PostgreSQL's
		r := newWatchedRun(t, f)
		r.add(t, "t_a", "failed")
		r.refresh(t)
		fresh := newStreamingRun(t, f)
		fresh.add(t, "t_b", "failed")
		fresh.refresh(t)
		r.add(t, "t_c", "passed")
		fresh.add(t, "t_b", "passed")
		f.now = time.Now().UTC()
		err := d.Conn(ctx).Exec("UPDATE "+touchedTable+" SET at = ? WHERE run_id = ?",
			f.now.Add(-examinedKept-time.Minute), r.id).Error
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.RefreshAll(ctx); err != nil {
			t.Fatal(err)
		}
		if n := testdb.Count(t, d, touchedTable, "run_id = ?", r.id); n != 0 {
			t.Errorf("%d touched rows of a run not refreshed for a day", n)
		}
		if n := countExamined(t, d, r.id); n != 0 {
			t.Errorf("%d stored figures of the run whose touches were pruned", n)
		}
		if n := testdb.Count(t, d, touchedTable, "run_id = ?", fresh.id); n != 1 {
			t.Errorf("%d touched rows of a run written to just now, want 1", n)
		}
		r.refreshExamines(t, "t_a", "the pruned run's refresh")
	})
}

// A run's touched rows go with the run (a statement trigger on runs, not
// a foreign key: migration 00026), and only its own.
func TestRunDeleteTakesItsTouches(t *testing.T) {
	testdb.PostgresFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) { // the touched rows are PostgreSQL's
		gone, kept := newStreamingRun(t, f), newStreamingRun(t, f)
		gone.add(t, "t_a", "failed")
		gone.add(t, "t_b", "passed")
		kept.add(t, "t_a", "failed")
		for _, q := range []string{"DELETE FROM results WHERE run_id = ?", "DELETE FROM runs WHERE id = ?"} {
			if err := d.Conn(ctx).Exec(q, gone.id).Error; err != nil {
				t.Fatal(err)
			}
		}
		if n := testdb.Count(t, d, touchedTable, "run_id = ?", gone.id); n != 0 {
			t.Errorf("%d touched rows of a deleted run", n)
		}
		if n := testdb.Count(t, d, touchedTable, "run_id = ?", kept.id); n != 1 {
			t.Errorf("%d touched rows of the run kept, want 1", n)
		}
	})
}
