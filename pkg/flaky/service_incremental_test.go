package flaky

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// examinedLog records the test ids each refresh examines.
type examinedLog struct {
	mu    sync.Mutex
	calls [][]string
}

func (l *examinedLog) hook(ids []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls = append(l.calls, slices.Sorted(slices.Values(ids)))
}

// since returns the calls made after the first n, as "a,b|c".
func (l *examinedLog) since(n int) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, c := range l.calls[n:] {
		out = append(out, strings.Join(c, ","))
	}
	return strings.Join(out, "|")
}

func (l *examinedLog) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.calls)
}

// streamingRun is a run of mine (build 8 of nightly) that gets results
// between its refreshes, as a run streaming results gets a summary every
// few seconds.
type streamingRun struct {
	f   *fixture
	id  uuid.UUID
	at  time.Time
	n   int
	log *examinedLog // a watched run's (newWatchedRun)
}

func newStreamingRun(t *testing.T, f *fixture) *streamingRun {
	t.Helper()
	r := &streamingRun{f: f, id: uuid.New(), at: f.now.Add(-time.Hour)}
	testdb.Insert(t, f.d, &model.Run{ID: r.id, ProjectID: &f.mine, StartTime: r.at, Created: r.at,
		Data: model.JSON{"jenkins": map[string]any{"job_name": "nightly", "build_number": "8"}}})
	return r
}

// newWatchedRun is a streaming run whose refreshes log the tests they
// examine.
func newWatchedRun(t *testing.T, f *fixture) *streamingRun {
	t.Helper()
	r := newStreamingRun(t, f)
	r.log = &examinedLog{}
	f.svc.examining = r.log.hook
	return r
}

func (r *streamingRun) add(t *testing.T, test, status string) uuid.UUID {
	t.Helper()
	r.n++
	id := uuid.New()
	testdb.Insert(t, r.f.d, &model.Result{ID: id, ProjectID: &r.f.mine, RunID: &r.id, TestID: &test, Result: &status,
		StartTime: r.at.Add(time.Duration(r.n) * time.Second), Data: model.JSON{}})
	return id
}

func (r *streamingRun) refresh(t *testing.T) {
	t.Helper()
	if err := r.f.svc.RefreshRun(context.Background(), r.id); err != nil {
		t.Fatal(err)
	}
}

// refreshExamines refreshes a watched run and checks the tests that
// refresh examined, as "a,b" ("" for none); what names the step.
func (r *streamingRun) refreshExamines(t *testing.T, want, what string) {
	t.Helper()
	n := r.log.len()
	r.refresh(t)
	if got := r.log.since(n); got != want {
		t.Errorf("%s: examined %q, want %q", what, got, want)
	}
}

// A run refreshed again without new results examines nothing; a new failure
// of another test in a later window is examined alone, the earlier ones are
// not read again.
func TestRefreshRunExaminesOnlyChangedTests(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, _ context.Context, d *db.DB, f *fixture) {
		r := newWatchedRun(t, f)
		r.add(t, "t_a", "failed")
		r.add(t, "t_fail", "failed")
		r.add(t, "t_ok", "passed")
		r.refreshExamines(t, "t_a,t_fail", "the first refresh")
		r.refreshExamines(t, "", "a refresh without new results")
		r.add(t, "t_b", "error")
		r.add(t, "t_ok2", "passed")
		r.refreshExamines(t, "t_b", "after a new failure of t_b")
		// Another failure of a test already examined is a change too.
		r.add(t, "t_fail", "failed")
		r.refreshExamines(t, "t_fail", "after a second failure of t_fail")
		// The periodic refresh examines everything, as before, and prunes
		// what the run's refreshes recorded a day later: the run's next
		// refresh examines its tests once more.
		if _, err := f.svc.RefreshAll(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := countExamined(t, d, r.id); got != 3 {
			t.Errorf("%d examined rows of the run after a refresh within the day, want 3", got)
		}
		f.now = f.now.Add(examinedKept + time.Minute)
		if _, err := f.svc.RefreshAll(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := countExamined(t, d, r.id); got != 0 {
			t.Errorf("%d examined rows of the run a day later, want them pruned", got)
		}
		n := r.log.len()
		r.refresh(t)
		r.refresh(t)
		if got := r.log.since(n); got != "t_a,t_b,t_fail" {
			t.Errorf("after the prune the run's refreshes examined %q, want every failed test once", got)
		}
		// The rows go with their run (retention deletes its results, then it).
		conn := d.Conn(context.Background())
		if err := conn.Exec("DELETE FROM results WHERE run_id = ?", r.id).Error; err != nil {
			t.Fatal(err)
		}
		if err := conn.Exec("DELETE FROM runs WHERE id = ?", r.id).Error; err != nil {
			t.Fatal(err)
		}
		if got := countExamined(t, d, r.id); got != 0 {
			t.Errorf("%d examined rows left after their run was deleted", got)
		}
	})
}

func countExamined(t *testing.T, d *db.DB, runID uuid.UUID) int {
	t.Helper()
	return len(testdb.Rows[runTestRow](t, d, "", "run_id = ?", runID))
}

// A test that failed in one window and passed (a retry) in a later window of
// the same run is a retry flake found by the later refresh; the pass only
// changes the test's figures in the run.
func TestRefreshRunFindsRetryAcrossWindows(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, _ context.Context, d *db.DB, f *fixture) {
		r := newWatchedRun(t, f)
		failedID := r.add(t, "t_new", "failed")
		r.add(t, "t_other", "failed")
		r.refresh(t)
		if k := keysOf(f.rows(t, f.mine)); k != "" {
			t.Fatalf("after the failure alone: %s, want nothing flaky", k)
		}
		passedID := r.add(t, "t_new", "passed")
		r.refreshExamines(t, "t_new", "the retry's refresh")
		row, ok := f.rows(t, f.mine)["t_new/"]
		if !ok || row.Retries != 1 || row.Runs != 1 {
			t.Fatalf("t_new after its retry passed: %+v (found %v), want a retry flake", row, ok)
		}
		ev := f.evidence(t, row.ID)
		if len(ev) != 2 || ev[0].ResultID != failedID || ev[1].ResultID != passedID || ev[0].Kind != KindRetryRun {
			t.Errorf("evidence %+v", ev)
		}
		// Already flaky, t_new stays a test of the run worth re-examining,
		// but only when its results in the run change.
		r.refreshExamines(t, "", "a refresh without new results")
		r.add(t, "t_new", "passed")
		r.refreshExamines(t, "t_new", "a further pass of the flaky t_new")
		if row := f.rows(t, f.mine)["t_new/"]; row.Retries != 1 || len(f.evidence(t, row.ID)) != 3 {
			t.Errorf("t_new after a further pass: %+v", row)
		}
	})
}

// Refreshes of one run at the same time all succeed, and what they record
// is what the run holds: the next refresh examines nothing.
func TestConcurrentRefreshesOfOneRun(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, _ context.Context, d *db.DB, f *fixture) {
		r := newWatchedRun(t, f)
		for _, id := range []string{"t_a", "t_b", "t_c"} {
			r.add(t, id, "failed")
		}
		r.add(t, "t_a", "passed")
		errs := make(chan error, 4)
		for range 4 {
			go func() { errs <- f.svc.RefreshRun(context.Background(), r.id) }()
		}
		for range 4 {
			if err := <-errs; err != nil {
				t.Error(err)
			}
		}
		if k := keysOf(f.rows(t, f.mine)); k != "t_a/" {
			t.Errorf("after concurrent refreshes: %s, want t_a", k)
		}
		r.refreshExamines(t, "", "the next refresh after concurrent ones")
	})
}

// TestChangedTestsReadSerially: the refresh's pass over a run's results
// runs with parallel workers off. Once a run held a tenth of the results
// table PostgreSQL scanned the whole table in parallel for it, at every
// summary window of the run (issue #21, docs/performance.md); in a
// transaction forced to plan in parallel the same pass is serial after
// changedTests.
func TestChangedTestsReadSerially(t *testing.T) {
	testdb.PostgresFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) { // a PostgreSQL planner setting
		const pass = "SELECT test_id, count(*) FROM results WHERE run_id = ? AND test_id IS NOT NULL GROUP BY test_id"
		err := d.WithTx(ctx, func(ctx context.Context) error {
			testdb.ForceParallel(ctx, t, d)
			if !testdb.PlansParallel(ctx, t, d, pass, f.runs[0]) {
				t.Fatal("the forced plan has no Gather: the test shows nothing")
			}
			p, changed, err := f.svc.store.changedTests(ctx, f.runs[0])
			if err != nil || p == nil || *p != f.mine || len(changed) == 0 {
				t.Fatalf("changedTests = %v, %v, %v", p, changed, err)
			}
			if testdb.PlansParallel(ctx, t, d, pass, f.runs[0]) {
				t.Error("the refresh's pass over the run still plans in parallel")
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// TestRefreshRunReadsOnlyWhatCanBeFlaky: a run's refresh reads the run's
// failures and the results of its candidate tests, not every result of the
// run (issue #21: a pass over a 100k-result run cost 400-600 ms at every
// summary window). On PostgreSQL it counts the rows of results the refresh
// read (pg_stat_xact_user_tables, this transaction's own counts); on
// SQLite every read of results in the plan is a probe of a test or a read
// of the failures' index.
func TestRefreshRunReadsOnlyWhatCanBeFlaky(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) {
		if err := f.svc.RefreshProject(ctx, f.mine); err != nil {
			t.Fatal(err)
		}
		if _, ok := f.rows(t, f.mine)["t_flip/"]; !ok {
			t.Fatal("the fixture's t_flip is not flaky: the test shows nothing")
		}
		r := newStreamingRun(t, f)
		const passes = 2000
		var batch []model.Result
		for i := range passes {
			test, status := fmt.Sprintf("t_pass_%d", i%500), "passed"
			batch = append(batch, model.Result{ID: uuid.New(), ProjectID: &f.mine, RunID: &r.id, TestID: &test,
				Result: &status, StartTime: r.at.Add(time.Duration(i) * time.Millisecond), Data: model.JSON{}})
			if len(batch) == 250 {
				testdb.Insert(t, d, &batch)
				batch = nil
			}
		}
		for _, id := range []string{"t_f1", "t_f2", "t_f3", "t_f4"} {
			r.add(t, id, "failed")
		}
		r.add(t, "t_f5", "error")
		r.add(t, "t_f1", "passed") // a retry's pass
		r.add(t, "t_flip", "passed")
		const candidateResults = 7 // t_f1 twice, t_f2..t_f5, t_flip
		err := d.WithTx(ctx, func(ctx context.Context) error {
			var before int64
			if d.Dialect == db.Postgres {
				before = rowsReadOfResults(ctx, t, d)
			}
			_, changed, err := f.svc.store.changedTests(ctx, r.id)
			if err != nil {
				return err
			}
			var got []string
			for _, c := range changed {
				got = append(got, fmt.Sprintf("%s:%d/%d", c.TestID, c.Results, c.Failures))
			}
			if s := strings.Join(got, ","); s != "t_f1:2/1,t_f2:1/1,t_f3:1/1,t_f4:1/1,t_f5:1/1,t_flip:1/0" {
				t.Errorf("changed tests %s", s)
			}
			if d.Dialect != db.Postgres {
				checkProbesOnly(ctx, t, d, r.id)
				return nil
			}
			checkProbesOnlyPostgres(ctx, t, d, f.mine, r.id)
			read := rowsReadOfResults(ctx, t, d) - before
			t.Logf("the refresh read %d rows of results for a run of %d (%d of its candidate tests)",
				read, passes+candidateResults, candidateResults)
			if read > 3*candidateResults {
				t.Errorf("the refresh read %d rows of results, want at most %d: the run's %d passes were read",
					read, 3*candidateResults, passes)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// rowsReadOfResults is how many rows of results this transaction read so
// far, by sequential and index scans.
func rowsReadOfResults(ctx context.Context, t *testing.T, d *db.DB) int64 {
	t.Helper()
	return rowsRead(ctx, t, d, "results")
}

// checkProbesOnlyPostgres fails when PostgreSQL's plan of the refresh's
// statement reads results other than by a test's probe or the failures'
// partial index. The rows counted above miss one such read: without the
// partial index PostgreSQL read the run's failures from upstream's
// ix_results_result_satver_project_id_run_id_snapver, whose leading column
// is the result, so it walked the entries of every failure in the table
// and fetched only the run's.
func checkProbesOnlyPostgres(ctx context.Context, t *testing.T, d *db.DB, projectID, runID uuid.UUID) {
	t.Helper()
	var out string
	err := d.Conn(ctx).Raw("EXPLAIN (FORMAT JSON) "+changedTestsSQL, runID, projectID, runID, runID).Row().Scan(&out)
	if err != nil {
		t.Fatal(err)
	}
	var plans []struct{ Plan map[string]any }
	if err := json.Unmarshal([]byte(out), &plans); err != nil || len(plans) != 1 {
		t.Fatalf("plan %s: %v", out, err)
	}
	var walk func(n map[string]any)
	walk = func(n map[string]any) {
		if n["Relation Name"] == "results" {
			ix, _ := n["Index Name"].(string)
			cond, _ := n["Index Cond"].(string)
			if ix != "ix_ibutsu_results_run_failed" && !strings.Contains(cond, "(test_id = ") {
				t.Errorf("the refresh reads results by a %v of %q (%s), not a test's probe or the failures' index",
					n["Node Type"], ix, cond)
			}
		}
		kids, _ := n["Plans"].([]any)
		for _, k := range kids {
			if m, ok := k.(map[string]any); ok {
				walk(m)
			}
		}
	}
	walk(plans[0].Plan)
}

// checkProbesOnly fails when SQLite's plan of the refresh's statement reads
// results other than by a test's probe or the failures' partial index.
func checkProbesOnly(ctx context.Context, t *testing.T, d *db.DB, runID uuid.UUID) {
	t.Helper()
	var plan []struct{ Detail string }
	err := d.Conn(ctx).Raw("EXPLAIN QUERY PLAN "+changedTestsSQL, runID, uuid.New(), runID, runID).Scan(&plan).Error
	if err != nil || len(plan) == 0 {
		t.Fatalf("plan %v, %v", plan, err)
	}
	for _, p := range plan {
		onResults := strings.Contains(p.Detail, " results ") || strings.HasPrefix(p.Detail, "SEARCH r ") || strings.HasPrefix(p.Detail, "SCAN r ")
		if onResults && !strings.Contains(p.Detail, "ix_ibutsu_results_run_failed") && !strings.Contains(p.Detail, "test_id=?") {
			t.Errorf("the refresh reads results by %q, not a test's probe or the failures' index", p.Detail)
		}
	}
}

// TestRefreshRunSeesFailuresWhoeverWroteThem: the run's failed tests are
// read from results themselves (migration 00025's index), so a failure
// without a fingerprint row, as an upstream server on the same database or
// an import with fingerprinting off writes it, and a result whose outcome
// is changed in place from passed to failed (PUT /api/result's UPDATE, an
// upstream server's) are candidates at the run's next refresh; a failure
// changed back to passed stops being one.
func TestRefreshRunSeesFailuresWhoeverWroteThem(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) {
		r := newWatchedRun(t, f)
		raw := r.add(t, "t_raw", "failed")
		put := r.add(t, "t_put", "passed")
		r.refreshExamines(t, "t_raw", "the first refresh")
		if n := testdb.Count(t, d, "ibutsu_result_fingerprints", "result_id IN ?", []uuid.UUID{raw, put}); n != 0 {
			t.Fatalf("%d fingerprint rows: the test shows nothing", n)
		}
		setResult := func(id uuid.UUID, status string) {
			t.Helper()
			if err := d.Conn(ctx).Exec("UPDATE results SET result = ? WHERE id = ?", status, id).Error; err != nil {
				t.Fatal(err)
			}
		}
		setResult(put, "failed")
		r.refreshExamines(t, "t_put", "after t_put's result was changed to failed")
		setResult(put, "passed")
		r.refreshExamines(t, "", "after t_put's result was changed back to passed")
	})
}
