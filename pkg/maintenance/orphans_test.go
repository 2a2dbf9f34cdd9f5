package maintenance_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/fingerprint"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// classifiedFailures writes n classified failures into run (of project,
// which may be nil) started at start, as the result batcher writes them
// (fingerprint, classification row), and an audit row each: every triage
// row a result can have. It returns their ids.
func classifiedFailures(t *testing.T, e *backendtest.Env, project, run *uuid.UUID, start time.Time, n int) []uuid.UUID {
	t.Helper()
	ctx := context.Background()
	d := e.App.DB
	var rs []*model.Result
	var hs []fingerprint.HistoryRow
	for i := range n {
		r := &model.Result{ID: uuid.New(), ProjectID: project, RunID: run, TestID: model.Ptr(fmt.Sprintf("test_%d", i)), Result: model.Ptr("failed"), StartTime: start,
			Data: model.JSON{"short_tb": fmt.Sprintf("E   ValueError: bad %d\n\ntests/test_x.py:%d: ValueError", i, i), "classification": "product_failure"}}
		rs = append(rs, r)
		h, _ := fingerprint.Change(r.ID, "", "product_failure", e.Admin, start)
		hs = append(hs, h)
	}
	if err := fingerprint.InsertResults(ctx, d, rs, func(ctx context.Context) error { return d.Conn(ctx).Create(rs).Error }); err != nil {
		t.Fatal(err)
	}
	if err := fingerprint.RecordChanges(ctx, d, hs); err != nil {
		t.Fatal(err)
	}
	ids := make([]uuid.UUID, n)
	for i, r := range rs {
		ids[i] = r.ID
	}
	return ids
}

// triageRows counts the fingerprint, classification and audit rows of ids.
func triageRows(t *testing.T, e *backendtest.Env, ids []uuid.UUID) [3]int64 {
	t.Helper()
	d := e.App.DB
	return [3]int64{
		testdb.Count(t, d, "ibutsu_result_fingerprints", "result_id IN ?", ids),
		testdb.Count(t, d, "ibutsu_fingerprint_classifications", "result_id IN ?", ids),
		testdb.Count(t, d, "ibutsu_classification_history", "result_id IN ?", ids),
	}
}

// TestEveryDeleteLeavesNoTriageOrphans runs every path that deletes
// results, or the project they are in, on PostgreSQL, where the triage
// tables have no foreign keys (migrations 00027, 00028) and statement
// triggers on results and fingerprints delete their rows: retention's
// result prune and run prune (pkg/maintenance/store_prune.go), a DELETE of
// one result and of a run's results as another writer sharing the
// database issues it (upstream's server), the admin's project delete
// (results stay, without a project, and keep their rows) and TRUNCATE
// results CASCADE. After each, no fingerprint, classification or audit row
// names a result or fingerprint that is gone, and the deleted results' rows
// are gone with them.
func TestEveryDeleteLeavesNoTriageOrphans(t *testing.T) {
	e := backendtest.New(t, backendtest.Options{})
	ctx := context.Background()
	d := e.App.DB
	up := e.App.Services.Upkeep
	project := &model.Project{ID: uuid.New(), Name: model.Ptr("orphans")}
	doomed := &model.Project{ID: uuid.New(), Name: model.Ptr("orphans-doomed")}
	oldRun := &model.Run{ID: uuid.New(), ProjectID: &project.ID, StartTime: ago(370), Created: ago(370)}
	youngRun := &model.Run{ID: uuid.New(), ProjectID: &project.ID, StartTime: ago(10), Created: ago(10)}
	otherRun := &model.Run{ID: uuid.New(), ProjectID: &project.ID, StartTime: ago(10), Created: ago(10)}
	doomedRun := &model.Run{ID: uuid.New(), ProjectID: &doomed.ID, StartTime: ago(10), Created: ago(10)}
	create(t, e, project, doomed, oldRun, youngRun, otherRun, doomedRun)

	oldResults := classifiedFailures(t, e, &project.ID, &youngRun.ID, ago(160), 3)
	oldRunResults := classifiedFailures(t, e, &project.ID, &oldRun.ID, ago(10), 3)
	one := classifiedFailures(t, e, &project.ID, &youngRun.ID, ago(10), 3)
	otherRunResults := classifiedFailures(t, e, &project.ID, &otherRun.ID, ago(10), 3)
	doomedResults := classifiedFailures(t, e, &doomed.ID, &doomedRun.ID, ago(10), 3)
	kept := classifiedFailures(t, e, &project.ID, &youngRun.ID, ago(10), 2)

	exec := func(q string, args ...any) func() error {
		return func() error { return d.Conn(ctx).Exec(q, args...).Error }
	}
	steps := []struct {
		name    string
		del     func() error
		gone    []uuid.UUID
		keepAll bool // the results stay (a project delete keeps them)
	}{
		{"retention's result prune", func() error { _, err := up.PruneResults(ctx, 5); return err }, oldResults, false},
		{"retention's run prune", func() error { _, err := up.PruneRuns(ctx, 12); return err }, oldRunResults, false},
		{"a DELETE of one result", exec("DELETE FROM results WHERE id = ?", one[0]), one[:1], false},
		{"a DELETE of several results", exec("DELETE FROM results WHERE id IN ?", one[1:]), one[1:], false},
		{"a DELETE of a run's results and the run", func() error {
			if err := exec("DELETE FROM results WHERE run_id = ?", otherRun.ID)(); err != nil {
				return err
			}
			return exec("DELETE FROM runs WHERE id = ?", otherRun.ID)()
		}, otherRunResults, false},
		{"the admin's project delete", func() error {
			if r := e.Do("DELETE", "/api/admin/project/"+doomed.ID.String(), nil, e.AdminToken); r.Code != 200 {
				return fmt.Errorf("DELETE /admin/project: %d %s", r.Code, r.Body)
			}
			return nil
		}, doomedResults, true},
	}
	for _, s := range steps {
		if got := triageRows(t, e, s.gone); got != [3]int64{int64(len(s.gone)), int64(len(s.gone)), int64(len(s.gone))} {
			t.Fatalf("before %s: %v triage rows of its results, want %d of each", s.name, got, len(s.gone))
		}
		if err := s.del(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if n := testdb.TriageOrphans(t, d); n != 0 {
			t.Fatalf("after %s: %d triage rows name a result or fingerprint that is gone", s.name, n)
		}
		want := [3]int64{}
		if s.keepAll {
			want = [3]int64{int64(len(s.gone)), int64(len(s.gone)), int64(len(s.gone))}
		}
		if got := triageRows(t, e, s.gone); got != want {
			t.Fatalf("after %s: %v triage rows of its results, want %v", s.name, got, want)
		}
		if got := triageRows(t, e, kept); got != [3]int64{2, 2, 2} {
			t.Fatalf("after %s: the results it does not touch have %v triage rows, want 2 of each", s.name, got)
		}
	}
	if err := exec("TRUNCATE results CASCADE")(); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"ibutsu_result_fingerprints", "ibutsu_fingerprint_classifications", "ibutsu_classification_history"} {
		if n := testdb.Count(t, d, table, "1 = 1"); n != 0 {
			t.Fatalf("after TRUNCATE results CASCADE: %d rows left in %s", n, table)
		}
	}
}
