package maintenance

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

func daysAgo(days int) time.Time {
	return time.Now().UTC().AddDate(0, 0, -days).Truncate(time.Second)
}

func insert(t *testing.T, d *db.DB, rows ...any) {
	t.Helper()
	for _, r := range rows {
		if err := d.Conn(context.Background()).Create(r).Error; err != nil {
			t.Fatal(err)
		}
	}
}

func present(t *testing.T, d *db.DB, table string, id uuid.UUID) bool {
	t.Helper()
	var n int64
	if err := d.Conn(context.Background()).Table(table).Where("id = ?", id).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n == 1
}

// TestStoreOverridesListsOnlySetColumns: a NULL column is no override, 0 is
// one (keep forever), and the days come back per project.
func TestStoreOverridesListsOnlySetColumns(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		short, keep, dflt := uuid.New(), uuid.New(), uuid.New()
		for _, p := range []uuid.UUID{short, keep, dflt} {
			insert(t, d, &model.Project{ID: p, Name: model.Ptr(p.String())})
		}
		for _, r := range [][]any{{short, 3}, {keep, 0}, {dflt, nil}} {
			if err := d.Conn(ctx).Exec("INSERT INTO "+retentionTable+" (project_id, run_days) VALUES (?, ?)", r...).Error; err != nil {
				t.Fatal(err)
			}
		}
		got, err := store{db: d}.overrides(ctx, "run_days")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[short] != 3 || got[keep] != 0 {
			t.Fatalf("overrides = %v, want %s:3 and %s:0", got, short, keep)
		}
	})
}

// TestStorePruneRunsScopes: the default prune skips overridden projects and
// pinned runs; the per-project prune touches only its project; a pruned
// run takes its results and artifacts with it.
func TestStorePruneRunsScopes(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		st := store{db: d}
		over := uuid.New()
		insert(t, d, &model.Project{ID: over, Name: model.Ptr("overridden")})
		if err := d.Conn(ctx).Exec("INSERT INTO "+retentionTable+" (project_id, run_days) VALUES (?, 10)", over).Error; err != nil {
			t.Fatal(err)
		}
		orphan := &model.Run{ID: uuid.New(), StartTime: daysAgo(100), Created: daysAgo(100)}
		pinned := &model.Run{ID: uuid.New(), StartTime: daysAgo(100), Created: daysAgo(100), Data: model.JSON{"pinned": true}}
		young := &model.Run{ID: uuid.New(), StartTime: daysAgo(1), Created: daysAgo(1)}
		inOver := &model.Run{ID: uuid.New(), ProjectID: &over, StartTime: daysAgo(100), Created: daysAgo(100)}
		res := &model.Result{ID: uuid.New(), RunID: &orphan.ID, StartTime: daysAgo(1)}
		art := &model.Artifact{ID: uuid.New(), ResultID: &res.ID, Filename: model.Ptr("a"), UploadDate: daysAgo(1)}
		insert(t, d, orphan, pinned, young, inOver, res, art)

		n, err := st.pruneUnlessOverridden(ctx, st.runKind(), daysAgo(50))
		if err != nil || n != 1 {
			t.Fatalf("default prune deleted %d (%v), want 1", n, err)
		}
		for id, want := range map[uuid.UUID]bool{orphan.ID: false, pinned.ID: true, young.ID: true, inOver.ID: true} {
			if present(t, d, "runs", id) != want {
				t.Errorf("run %s present = %v, want %v", id, !want, want)
			}
		}
		if present(t, d, "results", res.ID) || present(t, d, "artifacts", art.ID) {
			t.Error("the pruned run's result or artifact is left")
		}

		other := uuid.New()
		insert(t, d, &model.Project{ID: other, Name: model.Ptr("other")})
		n, err = st.pruneProject(ctx, st.runKind(), other, daysAgo(10))
		if err != nil || n != 0 || !present(t, d, "runs", inOver.ID) {
			t.Fatalf("another project's prune deleted %d (%v)", n, err)
		}
		n, err = st.pruneProject(ctx, st.runKind(), over, daysAgo(10))
		if err != nil || n != 1 || present(t, d, "runs", inOver.ID) {
			t.Fatalf("project prune deleted %d (%v), want the project's old run", n, err)
		}
	})
}

// TestStoreRunsStartedAfterCountsResults: the recent runs come with their
// stored summary and their real result count.
func TestStoreRunsStartedAfterCountsResults(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		now := time.Now().UTC()
		recent := &model.Run{ID: uuid.New(), StartTime: now.Add(-time.Hour), Created: now, Summary: model.JSON{"tests": 7}}
		old := &model.Run{ID: uuid.New(), StartTime: now.Add(-5 * time.Hour), Created: now}
		gone, moved := uuid.New(), uuid.New()
		insert(t, d, recent, old,
			&model.Result{ID: uuid.New(), RunID: &recent.ID, StartTime: now},
			&model.Result{ID: uuid.New(), RunID: &recent.ID, StartTime: now},
			&model.Result{ID: gone, RunID: &recent.ID, StartTime: now},
			&model.Result{ID: moved, RunID: &old.ID, StartTime: now})
		// A deleted result and one moved into the run count as results
		// do (on PostgreSQL through the run's count deltas).
		ctx := context.Background()
		for _, q := range []struct {
			sql  string
			args []any
		}{{"DELETE FROM results WHERE id = ?", []any{gone}}, {"UPDATE results SET run_id = ? WHERE id = ?", []any{recent.ID, moved}}} {
			if err := d.Conn(ctx).Exec(q.sql, q.args...).Error; err != nil {
				t.Fatal(err)
			}
		}
		// On PostgreSQL the check reads the count deltas, no result: the
		// results rows its transaction fetched (the view also holds the
		// connection's earlier statements not yet reported, hence the
		// difference).
		reads := func(ctx context.Context) (n int64) {
			if d.Dialect == db.Postgres {
				err := d.Conn(ctx).Raw(`SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0)
					FROM pg_stat_xact_user_tables WHERE relid = 'results'::regclass`).Scan(&n).Error
				if err != nil {
					t.Fatal(err)
				}
			}
			return n
		}
		var got []recentRun
		var read int64
		err := d.WithTx(ctx, func(ctx context.Context) error {
			before := reads(ctx)
			var err error
			got, err = store{db: d}.runsStartedAfter(ctx, now.Add(-3*time.Hour))
			read = reads(ctx) - before
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if read != 0 {
			t.Errorf("the check read %d results rows", read)
		}
		if len(got) != 1 || got[0].ID != recent.ID || got[0].Results != 3 || summaryTests(got[0].Summary) != 7 {
			t.Fatalf("runsStartedAfter = %+v, want the recent run with 3 results and tests 7", got)
		}
	})
}

// TestStoreCompactCountsKeepsTotals: on PostgreSQL the deltas of one group
// fold into one row and the total stays; SQLite keeps no counts.
func TestStoreCompactCountsKeepsTotals(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		st := store{db: d}
		if d.Dialect != db.Postgres {
			before, after, err := st.compactCounts(ctx)
			if err != nil || before != 0 || after != 0 {
				t.Fatalf("sqlite compaction = %d, %d, %v", before, after, err)
			}
			return
		}
		p := uuid.New()
		insert(t, d, &model.Project{ID: p, Name: model.Ptr("p")})
		for range 3 {
			insert(t, d, &model.Result{ID: uuid.New(), ProjectID: &p, Result: model.Ptr("passed"), StartTime: time.Now().UTC()})
		}
		total := func() (n int64) {
			t.Helper()
			if err := d.Conn(ctx).Raw("SELECT COALESCE(SUM(n), 0) FROM ibutsu_result_counts WHERE project_id = ?", p).Scan(&n).Error; err != nil {
				t.Fatal(err)
			}
			return n
		}
		if total() != 3 {
			t.Fatalf("counts before compaction = %d, want 3", total())
		}
		before, after, err := st.compactCounts(ctx)
		if err != nil || before < 3 || after < 1 || after >= before {
			t.Fatalf("compaction = %d → %d, %v", before, after, err)
		}
		if total() != 3 {
			t.Fatalf("counts after compaction = %d, want 3", total())
		}
	})
}

// TestStoreCompactRunSumsKeepsTotals: on PostgreSQL the run-sum deltas of
// a run inserted then updated fold into one row per group with the same
// sums, and a group whose runs are all deleted goes.
func TestStoreCompactRunSumsKeepsTotals(t *testing.T) {
	d := testdb.Both(t)["postgres"]
	ctx := context.Background()
	st := store{db: d}
	p := uuid.New()
	insert(t, d, &model.Project{ID: p, Name: model.Ptr("p")})
	for i := range 3 {
		r := &model.Run{ID: uuid.New(), ProjectID: &p, StartTime: time.Now().UTC(), Created: time.Now().UTC(),
			Component: model.Ptr(fmt.Sprint("c", i%2)), Summary: model.JSON{"tests": 2, "failures": 1}}
		insert(t, d, r)
		if err := d.Conn(ctx).Exec(`UPDATE runs SET summary = '{"tests": 5, "failures": 1, "skips": 0.5}' WHERE id = ?`, r.ID).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Conn(ctx).Exec("DELETE FROM runs WHERE component = 'c1'").Error; err != nil {
		t.Fatal(err)
	}
	sums := func() (rows int64, tests, skips string) {
		t.Helper()
		if err := d.Conn(ctx).Raw("SELECT count(*), SUM(tests)::text, SUM(skips)::text FROM ibutsu_run_sums WHERE project_id = ?", p).Row().Scan(&rows, &tests, &skips); err != nil {
			t.Fatal(err)
		}
		return rows, tests, skips
	}
	rows, tests, skips := sums()
	if tests != "10" || skips != "1.0" || rows < 4 {
		t.Fatalf("before compaction: %d rows, tests %s, skips %s; want 10 and 1.0 in at least 4 delta rows", rows, tests, skips)
	}
	_, got, err := st.compact(ctx, true)
	if err != nil || got.before < rows || got.after >= got.before {
		t.Fatalf("compaction = %+v, %v", got, err)
	}
	rows, tests, skips = sums()
	if rows != 1 || tests != "10" || skips != "1.0" {
		t.Fatalf("after compaction: %d rows, tests %s, skips %s; want one row (c0) with 10 and 1.0", rows, tests, skips)
	}
}
