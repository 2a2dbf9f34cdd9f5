package fingerprint

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// nofkFixture is a project with two runs of classified failures written as
// the result batcher writes them (InsertResults).
type nofkFixture struct {
	project, run1, run2 uuid.UUID
	failures            map[uuid.UUID][]uuid.UUID // by run
}

func newNofkFixture(t *testing.T, d *db.DB) nofkFixture {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	f := nofkFixture{project: uuid.New(), run1: uuid.New(), run2: uuid.New(), failures: map[uuid.UUID][]uuid.UUID{}}
	testdb.Insert(t, d, &model.Project{ID: f.project, Name: model.Ptr("nofk")},
		&model.Run{ID: f.run1, ProjectID: &f.project, StartTime: now, Created: now},
		&model.Run{ID: f.run2, ProjectID: &f.project, StartTime: now, Created: now})
	for _, run := range []uuid.UUID{f.run1, f.run2} {
		var rs []*model.Result
		for i := range 4 {
			status, md := "passed", model.JSON{}
			if i > 0 {
				status = "failed"
				md = model.JSON{"short_tb": fmt.Sprintf("E   ValueError: bad %d\n\ntests/test_x.py:%d: ValueError", i, i), "classification": "product_failure"}
			}
			r := &model.Result{ID: uuid.New(), ProjectID: &f.project, RunID: &run, TestID: model.Ptr(fmt.Sprintf("test_%d", i)),
				Result: model.Ptr(status), Data: md, StartTime: now}
			rs = append(rs, r)
			if status == "failed" {
				f.failures[run] = append(f.failures[run], r.ID)
			}
		}
		if err := InsertResults(ctx, d, rs, func(ctx context.Context) error { return d.Conn(ctx).Create(rs).Error }); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// left counts the fingerprint and classification rows, and those of them
// whose result is gone.
func left(t *testing.T, d *db.DB) (fps, classes, orphans int64) {
	t.Helper()
	fps = testdb.Count(t, d, "ibutsu_result_fingerprints", "1 = 1")
	classes = testdb.Count(t, d, "ibutsu_fingerprint_classifications", "1 = 1")
	orphans = testdb.Count(t, d, "ibutsu_result_fingerprints", "NOT EXISTS (SELECT 1 FROM results r WHERE r.id = ibutsu_result_fingerprints.result_id)")
	return fps, classes, orphans
}

// TestFingerprintsGoWithTheirResults pins what the foreign key from a
// fingerprint row to its result used to guarantee and migration 00027's
// triggers now do on PostgreSQL (SQLite keeps the key): every DELETE of
// results, one row or a run's (retention's two statements,
// pkg/maintenance/store_prune.go), takes the results' fingerprint and
// classification rows with it, and TRUNCATE results CASCADE empties both.
func TestFingerprintsGoWithTheirResults(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newNofkFixture(t, d)
		want := func(step string, fps, classes int64) {
			t.Helper()
			gotFps, gotClasses, orphans := left(t, d)
			if gotFps != fps || gotClasses != classes || orphans != 0 {
				t.Fatalf("after %s: %d fingerprints, %d classifications, %d left without their result; want %d, %d, 0",
					step, gotFps, gotClasses, orphans, fps, classes)
			}
		}
		want("the insert", 6, 6)
		if err := d.Conn(ctx).Exec("DELETE FROM results WHERE id IN ?", f.failures[f.run1][:1]).Error; err != nil {
			t.Fatal(err)
		}
		want("one failure deleted", 5, 5)
		if err := d.Conn(ctx).Exec("DELETE FROM results WHERE run_id IN ?", []uuid.UUID{f.run1}).Error; err != nil {
			t.Fatal(err)
		}
		want("a run's results deleted", 3, 3)
		if d.Dialect != db.Postgres {
			return
		}
		if err := d.Conn(ctx).Exec("TRUNCATE results CASCADE").Error; err != nil {
			t.Fatal(err)
		}
		want("TRUNCATE results CASCADE", 0, 0)
	})
}

// TestBatchStatementChecksNoKeyPerFailure pins what migration 00027 saves
// (issue #21): the result batcher's statement for a batch with failures
// (foldedInsert) runs no foreign-key check per fingerprint row. The key's
// check cost a failed result 4-5 shared buffers and a WAL record
// (BenchmarkFailureRowCost) for a row the same statement had just written.
func TestBatchStatementChecksNoKeyPerFailure(t *testing.T) {
	testdb.Postgres(t, func(t *testing.T, d *db.DB) {
		project, run := uuid.New(), uuid.New()
		now := time.Now().UTC()
		testdb.Insert(t, d, &model.Project{ID: project, Name: model.Ptr("nofk")}, &model.Run{ID: run, ProjectID: &project, StartTime: now, Created: now})
		rs := []*model.Result{{ID: uuid.New(), ProjectID: &project, RunID: &run, TestID: model.Ptr("t"), Result: model.Ptr("failed"), StartTime: now,
			Data: model.JSON{"short_tb": "E   ValueError: bad\n\ntests/test_x.py:1: ValueError"}}}
		plan := explainFolded(t, d, rs)
		text := strings.Join(plan, "\n")
		if !strings.Contains(text, "Insert on ibutsu_result_fingerprints") {
			t.Fatalf("the plan writes no fingerprint row:\n%s", text)
		}
		for _, l := range plan {
			if strings.HasPrefix(l, "Trigger") && strings.Contains(l, "on ibutsu_result_fingerprints") {
				t.Errorf("a trigger runs per fingerprint row: %s", l)
			}
		}
	})
}

// explainFolded runs foldedInsert for rs under EXPLAIN (ANALYZE) in a
// transaction it rolls back, and returns the plan's lines, with the
// triggers each table's writes fired and how often.
func explainFolded(t *testing.T, d *db.DB, rs []*model.Result) []string {
	t.Helper()
	ctx := context.Background()
	args, ok, err := foldArgs(rs, nil)
	if err != nil || !ok {
		t.Fatalf("foldArgs: ok %v, %v", ok, err)
	}
	tx, err := d.SQL.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	rows, err := tx.QueryContext(ctx, "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) "+foldedInsert, args...)
	if err != nil {
		t.Fatal(err)
	}
	var plan []string
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, l)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return plan
}

// goneFailure writes a failure as an upstream server writes it (no
// fingerprint), in a project and run of its own: the result a test then
// deletes while another writer works on it.
func goneFailure(t *testing.T, d *db.DB) *model.Result {
	t.Helper()
	project, run := uuid.New(), uuid.New()
	now := time.Now().UTC()
	gone := &model.Result{ID: uuid.New(), ProjectID: &project, RunID: &run, TestID: model.Ptr("gone"), Result: model.Ptr("failed"), StartTime: now,
		Data: model.JSON{"short_tb": "E   ValueError: bad\n\ntests/test_x.py:1: ValueError"}}
	testdb.Insert(t, d, &model.Project{ID: project, Name: model.Ptr("nofk")}, &model.Run{ID: run, ProjectID: &project, StartTime: now, Created: now}, gone)
	return gone
}

// deleting is testdb.WhileHeld's held work: the DELETE of result id.
func deleting(d *db.DB, id uuid.UUID) func(ctx context.Context) error {
	return func(ctx context.Context) error { return d.Conn(ctx).Exec("DELETE FROM results WHERE id = ?", id).Error }
}

// TestBackfillSkipsAResultBeingDeleted: the backfill is the one writer of
// fingerprints for results another transaction wrote, so without the
// foreign key it takes the key's lock itself (lockUnfingerprinted). A
// failure whose DELETE is in flight when the backfill reads makes it wait;
// once the delete commits the backfill skips it, and no fingerprint is
// left naming a deleted result. Without the lock the backfill wrote the
// row, and the delete's trigger, run before, could not see it.
func TestBackfillSkipsAResultBeingDeleted(t *testing.T) {
	testdb.Postgres(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		gone := goneFailure(t, d)
		// The backfill waits for the delete's row lock; the old one did not.
		waited, err := testdb.WhileHeld(t, d, deleting(d, gone.ID), func() error {
			_, err := Backfill(ctx, d, 1)
			return err
		})
		if err != nil {
			t.Fatalf("backfill: %v", err)
		}
		if !waited {
			t.Error("the backfill did not wait for the delete in flight")
		}
		if _, _, orphans := left(t, d); orphans != 0 {
			t.Fatalf("%d fingerprints left naming a deleted result", orphans)
		}
	})
}

// TestUnclassifiedBatchLeavesClassCountsAlone pins the other cut of
// migration 00027: the batcher's statement for a batch whose failures get
// no classification (most of them: no classification in the body, no
// automatic rule) still fires the class-count trigger of
// ibutsu_fingerprint_classifications, a statement trigger, and the trigger
// now returns before its INSERT into ibutsu_fingerprint_class_counts and
// its due-for-a-fold query. That INSERT, of no rows, took the table's
// RowExclusiveLock, which is what this test looks for in the statement's
// transaction; a classified failure in the same kind of batch still takes
// it and writes its count.
func TestUnclassifiedBatchLeavesClassCountsAlone(t *testing.T) {
	testdb.Postgres(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		project, run := uuid.New(), uuid.New()
		now := time.Now().UTC()
		testdb.Insert(t, d, &model.Project{ID: project, Name: model.Ptr("counts")}, &model.Run{ID: run, ProjectID: &project, StartTime: now, Created: now})
		countsLocked := func(md model.JSON) bool {
			t.Helper()
			rs := []*model.Result{{ID: uuid.New(), ProjectID: &project, RunID: &run, TestID: model.Ptr("t"), Result: model.Ptr("failed"), StartTime: now, Data: md}}
			args, ok, err := foldArgs(rs, nil)
			if err != nil || !ok {
				t.Fatalf("foldArgs: ok %v, %v", ok, err)
			}
			tx, err := d.SQL.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = tx.Rollback() }()
			if _, err := tx.ExecContext(ctx, foldedInsert, args...); err != nil {
				t.Fatal(err)
			}
			var n int
			err = tx.QueryRowContext(ctx, `SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid()
				AND relation = 'ibutsu_fingerprint_class_counts'::regclass AND mode = 'RowExclusiveLock'`).Scan(&n)
			if err != nil {
				t.Fatal(err)
			}
			return n > 0
		}
		tb := "E   ValueError: bad\n\ntests/test_x.py:1: ValueError"
		if countsLocked(model.JSON{"short_tb": tb}) {
			t.Error("an unclassified failure's batch wrote to ibutsu_fingerprint_class_counts")
		}
		if !countsLocked(model.JSON{"short_tb": tb, "classification": "product_failure"}) {
			t.Error("a classified failure's batch did not write its count")
		}
	})
}
