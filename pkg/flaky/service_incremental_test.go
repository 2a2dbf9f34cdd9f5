package flaky

import (
	"context"
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
	f  *fixture
	id uuid.UUID
	at time.Time
	n  int
}

func newStreamingRun(t *testing.T, f *fixture) *streamingRun {
	t.Helper()
	r := &streamingRun{f: f, id: uuid.New(), at: f.now.Add(-time.Hour)}
	testdb.Insert(t, f.d, &model.Run{ID: r.id, ProjectID: &f.mine, StartTime: r.at, Created: r.at,
		Data: model.JSON{"jenkins": map[string]any{"job_name": "nightly", "build_number": "8"}}})
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

// A run refreshed again without new results examines nothing; a new failure
// of another test in a later window is examined alone, the earlier ones are
// not read again.
func TestRefreshRunExaminesOnlyChangedTests(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, _ context.Context, d *db.DB, f *fixture) {
		log := &examinedLog{}
		f.svc.examining = log.hook
		r := newStreamingRun(t, f)
		r.add(t, "t_a", "failed")
		r.add(t, "t_fail", "failed")
		r.add(t, "t_ok", "passed")
		r.refresh(t)
		if got := log.since(0); got != "t_a,t_fail" {
			t.Fatalf("first refresh examined %q, want the run's failed tests t_a,t_fail", got)
		}
		r.refresh(t)
		if got := log.since(1); got != "" {
			t.Errorf("a refresh without new results examined %q, want nothing", got)
		}
		r.add(t, "t_b", "error")
		r.add(t, "t_ok2", "passed")
		r.refresh(t)
		if got := log.since(1); got != "t_b" {
			t.Errorf("after a new failure of t_b the refresh examined %q, want only t_b", got)
		}
		// Another failure of a test already examined is a change too.
		r.add(t, "t_fail", "failed")
		r.refresh(t)
		if got := log.since(2); got != "t_fail" {
			t.Errorf("after a second failure of t_fail the refresh examined %q, want only t_fail", got)
		}
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
		n := log.len()
		r.refresh(t)
		r.refresh(t)
		if got := log.since(n); got != "t_a,t_b,t_fail" {
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
		log := &examinedLog{}
		f.svc.examining = log.hook
		r := newStreamingRun(t, f)
		failedID := r.add(t, "t_new", "failed")
		r.add(t, "t_other", "failed")
		r.refresh(t)
		if k := keysOf(f.rows(t, f.mine)); k != "" {
			t.Fatalf("after the failure alone: %s, want nothing flaky", k)
		}
		passedID := r.add(t, "t_new", "passed")
		r.refresh(t)
		if got := log.since(1); got != "t_new" {
			t.Errorf("the retry's refresh examined %q, want t_new", got)
		}
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
		r.refresh(t)
		if got := log.since(2); got != "" {
			t.Errorf("a refresh without new results examined %q", got)
		}
		r.add(t, "t_new", "passed")
		r.refresh(t)
		if got := log.since(2); got != "t_new" {
			t.Errorf("a further pass of the flaky t_new: examined %q, want t_new", got)
		}
		if row := f.rows(t, f.mine)["t_new/"]; row.Retries != 1 || len(f.evidence(t, row.ID)) != 3 {
			t.Errorf("t_new after a further pass: %+v", row)
		}
	})
}

// Refreshes of one run at the same time all succeed, and what they record
// is what the run holds: the next refresh examines nothing.
func TestConcurrentRefreshesOfOneRun(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, _ context.Context, d *db.DB, f *fixture) {
		log := &examinedLog{}
		f.svc.examining = log.hook
		r := newStreamingRun(t, f)
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
		n := log.len()
		r.refresh(t)
		if got := log.since(n); got != "" {
			t.Errorf("after concurrent refreshes the next examined %q, want nothing", got)
		}
	})
}

// TestChangedTestsReadSerially: the refresh's pass over a run's results
// runs with parallel workers off. Once a run held a tenth of the results
// table PostgreSQL scanned the whole table in parallel for it, at every
// summary window of the run (issue #21, docs/performance.md); in a
// transaction forced to plan in parallel the same pass is serial after
// changedTests.
func TestChangedTestsReadSerially(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) {
		if d.Dialect != db.Postgres {
			t.Skip("a PostgreSQL planner setting")
		}
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
