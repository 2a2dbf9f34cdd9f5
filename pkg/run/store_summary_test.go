package run

import (
	"context"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// outcomes cycles through every outcome the summary counts, a passed one
// and one without an outcome.
var outcomes = []*string{model.Ptr("passed"), model.Ptr("failed"), model.Ptr("error"), model.Ptr("skipped"),
	model.Ptr("xfailed"), model.Ptr("xpassed"), nil}

// newResults builds n results of run in project p, outcomes and durations
// (multiples of 1/8, which float8 and numeric sum alike, or none) cycling
// from seed.
func newResults(run, p uuid.UUID, n, seed int) []model.Result {
	rs := make([]model.Result, n)
	start := time.Now().UTC().Truncate(time.Second)
	for i := range rs {
		k := seed + i
		rs[i] = model.Result{ID: uuid.New(), ProjectID: &p, RunID: &run, Result: outcomes[k%len(outcomes)],
			StartTime: start.Add(time.Duration(k) * time.Millisecond), Data: model.JSON{}}
		if k%5 != 0 {
			rs[i].Duration = model.Ptr(float64(k%37) / 8)
		}
	}
	return rs
}

// foldCounts is what the summary reads: resultCounts under the run's lock.
func foldCounts(ctx context.Context, t *testing.T, d *db.DB, id uuid.UUID) Counts {
	t.Helper()
	st := store{db: d}
	c, err := db.Tx(ctx, d, func(ctx context.Context) (Counts, error) {
		if _, err := st.lockForSummary(ctx, id); err != nil {
			return Counts{}, err
		}
		return st.resultCounts(ctx, id)
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// wantExact fails unless the summary's counts of run id equal the direct
// aggregate over its results and, on PostgreSQL, the fold left at most
// one delta row for the run.
func wantExact(t *testing.T, d *db.DB, id uuid.UUID, when string) {
	t.Helper()
	ctx := context.Background()
	got := foldCounts(ctx, t, d, id)
	want, err := store{db: d}.aggregateResults(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	same := got == want || (math.IsNaN(got.Duration) && math.IsNaN(want.Duration) &&
		got.Tests == want.Tests && got.Failures == want.Failures)
	if !same {
		t.Errorf("%s: summary counts %+v, results %+v", when, got, want)
	}
	if d.Dialect == db.Postgres {
		if n := testdb.Count(t, d, "ibutsu_run_result_counts", "run_id = ?", id); n > 1 {
			t.Errorf("%s: %d delta rows left after the fold", when, n)
		}
	}
}

func execSQL(t *testing.T, d *db.DB, q string, args ...any) {
	t.Helper()
	if err := d.Conn(context.Background()).Exec(q, args...).Error; err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// TestResultCountsFollowEveryWrite: the summary's counts equal the run's
// results after single and multi-row inserts, outcome and duration
// updates, a metadata edit (which appends no delta), results moved to
// another run, deletes, a NaN duration and its repair, and a result
// without a run; a deleted run leaves no delta rows.
func TestResultCountsFollowEveryWrite(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) {
		a, b, p := f.myRun.ID, f.theirRun.ID, f.Mine
		for _, r := range newResults(a, p, 3, 1) {
			testdb.Insert(t, d, &r)
		}
		wantExact(t, d, a, "after single inserts")
		bulk := newResults(a, p, 70, 10)
		if err := d.Conn(ctx).Create(&bulk).Error; err != nil {
			t.Fatal(err)
		}
		wantExact(t, d, a, "after a multi-row insert")
		execSQL(t, d, "UPDATE results SET result = 'failed' WHERE run_id = ? AND result = 'passed'", a)
		wantExact(t, d, a, "after passed → failed")
		execSQL(t, d, "UPDATE results SET data = '{\"classification\": \"bug\"}' WHERE run_id = ?", a)
		if d.Dialect == db.Postgres {
			if n := testdb.Count(t, d, "ibutsu_run_result_counts", "run_id = ?", a); n != 1 {
				t.Errorf("a metadata edit appended deltas: %d rows", n)
			}
		}
		execSQL(t, d, "UPDATE results SET duration = coalesce(duration, 0) + 0.5 WHERE run_id = ? AND result = 'error'", a)
		wantExact(t, d, a, "after duration updates")
		execSQL(t, d, "UPDATE results SET run_id = ? WHERE run_id = ? AND result IN ('skipped', 'xpassed')", b, a)
		wantExact(t, d, a, "the run results moved from")
		wantExact(t, d, b, "the run results moved to")
		execSQL(t, d, "DELETE FROM results WHERE run_id = ? AND (result = 'xfailed' OR result IS NULL)", a)
		wantExact(t, d, a, "after deletes")
		if d.Dialect == db.Postgres {
			execSQL(t, d, "UPDATE results SET duration = 'NaN' WHERE run_id = ? AND result = 'error'", a)
			wantExact(t, d, a, "with NaN durations")
			execSQL(t, d, "UPDATE results SET duration = 2 WHERE run_id = ? AND result = 'error'", a)
			wantExact(t, d, a, "after the NaN durations were replaced")
		}
		testdb.Insert(t, d, &model.Result{ID: uuid.New(), ProjectID: &p, StartTime: time.Now().UTC(), Data: model.JSON{}})
		execSQL(t, d, "DELETE FROM results WHERE run_id = ?", b)
		execSQL(t, d, "DELETE FROM runs WHERE id = ?", b)
		if d.Dialect == db.Postgres {
			if n := testdb.Count(t, d, "ibutsu_run_result_counts", "run_id = ?", b); n != 0 {
				t.Errorf("%d delta rows outlive their run", n)
			}
		}
		wantExact(t, d, a, "at the end")
	})
}

// TestResultCountsFoldAgainstOpenWriters pins the two interleavings of a
// fold and a writer in READ COMMITTED: a writer committing after the
// fold's snapshot is counted by the next fold, and one that wrote before
// the fold but committed after it is too; neither is counted twice.
func TestResultCountsFoldAgainstOpenWriters(t *testing.T) {
	testdb.PostgresFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) { // SQLite has one writer and aggregates the results
		a, st := f.myRun.ID, store{db: d}
		// A writer open across a whole fold.
		w := d.Gorm.Begin()
		rs := newResults(a, f.Mine, 7, 3)
		if err := w.Create(&rs).Error; err != nil {
			t.Fatal(err)
		}
		if c := foldCounts(ctx, t, d, a); c.Tests != 1 {
			t.Errorf("fold saw an uncommitted writer: %+v", c)
		}
		if err := w.Commit().Error; err != nil {
			t.Fatal(err)
		}
		wantExact(t, d, a, "after a writer committed behind a fold")
		// A fold open while a writer commits.
		err := d.WithTx(ctx, func(ctx context.Context) error {
			if _, err := st.lockForSummary(ctx, a); err != nil {
				return err
			}
			c, err := st.resultCounts(ctx, a)
			if err != nil || c.Tests != 8 {
				return fmt.Errorf("fold = %+v, %w", c, err)
			}
			more := newResults(a, f.Mine, 5, 40)
			return d.Gorm.WithContext(context.Background()).Create(&more).Error // another connection, committed now
		})
		if err != nil {
			t.Fatal(err)
		}
		wantExact(t, d, a, "after a writer committed during a fold")
		if c := foldCounts(ctx, t, d, a); c.Tests != 13 {
			t.Errorf("tests = %d, want 13", c.Tests)
		}
	})
}

// TestResultCountsConcurrentWriters: eight writers insert and update a
// run's results while summaries fold its counts over and over; the final
// summary equals the results exactly (no delta lost or counted twice).
func TestResultCountsConcurrentWriters(t *testing.T) {
	testdb.PostgresFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) { // SQLite has one writer and aggregates the results
		a, sum := f.myRun.ID, NewSummarizer(d, nil, quiet)
		var writers sync.WaitGroup
		var done atomic.Bool
		errs := make(chan error, 9)
		for g := range 8 {
			writers.Go(func() {
				for i := range 15 {
					rs := newResults(a, f.Mine, 6, 100*g+i)
					if err := d.Conn(ctx).Create(&rs).Error; err != nil {
						errs <- err
						return
					}
					if err := d.Conn(ctx).Exec("UPDATE results SET result = 'failed', duration = 0.75 WHERE id = ?", rs[0].ID).Error; err != nil {
						errs <- err
						return
					}
				}
			})
		}
		folds := 0
		summaries := make(chan struct{})
		go func() {
			defer close(summaries)
			for !done.Load() {
				if err := sum.Recompute(ctx, a); err != nil {
					errs <- err
					return
				}
				folds++
			}
		}()
		writers.Wait()
		done.Store(true)
		<-summaries
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if folds < 2 {
			t.Fatalf("only %d summaries raced with the writers", folds)
		}
		wantExact(t, d, a, fmt.Sprintf("after 8 writers raced with %d summaries", folds))
		if c := foldCounts(ctx, t, d, a); c.Tests != 1+8*15*6 {
			t.Errorf("tests = %d, want %d", c.Tests, 1+8*15*6)
		}
	})
}

// TestSummaryReadsNoResults: on PostgreSQL a summary of a run of 3000
// results reads a handful of results rows (its first result), not the run:
// the rows the summary's transaction fetched from results, by any scan,
// are counted (pg_stat_xact_user_tables).
func TestSummaryReadsNoResults(t *testing.T) {
	testdb.PostgresFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) { // SQLite aggregates the results
		a := f.myRun.ID
		rs := newResults(a, f.Mine, 3000, 0)
		if err := d.Conn(ctx).CreateInBatches(&rs, 500).Error; err != nil {
			t.Fatal(err)
		}
		execSQL(t, d, "ANALYZE results")
		read := func(ctx context.Context) int64 {
			var n int64
			if err := d.Conn(ctx).Raw(`SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0)
				FROM pg_stat_xact_user_tables WHERE relid = 'results'::regclass`).Scan(&n).Error; err != nil {
				t.Fatal(err)
			}
			return n
		}
		var fetched int64
		err := d.WithTx(ctx, func(ctx context.Context) error {
			before := read(ctx)
			if err := NewSummarizer(d, nil, quiet).Recompute(ctx, a); err != nil {
				return err
			}
			fetched = read(ctx) - before
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := reloadRun(t, d, a); got.Summary["tests"] != float64(3001) {
			t.Fatalf("summary %v", got.Summary)
		}
		t.Logf("the summary read %d results rows", fetched)
		if fetched > 10 {
			t.Errorf("the summary read %d results rows of a run of 3001", fetched)
		}
	})
}
