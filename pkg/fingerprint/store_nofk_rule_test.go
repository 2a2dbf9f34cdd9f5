package fingerprint

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// ruledLeft counts the classification and audit rows, and those of them
// left without the fingerprint or result they belong to.
func ruledLeft(t *testing.T, d *db.DB) (classes, history, orphans int64) {
	t.Helper()
	classes = testdb.Count(t, d, "ibutsu_fingerprint_classifications", "1 = 1")
	history = testdb.Count(t, d, "ibutsu_classification_history", "1 = 1")
	orphans = testdb.Count(t, d, "ibutsu_fingerprint_classifications",
		"NOT EXISTS (SELECT 1 FROM ibutsu_result_fingerprints f WHERE f.result_id = ibutsu_fingerprint_classifications.result_id)") +
		testdb.Count(t, d, "ibutsu_classification_history",
			"NOT EXISTS (SELECT 1 FROM results r WHERE r.id = ibutsu_classification_history.result_id)")
	return classes, history, orphans
}

// TestRuledRowsGoWithTheirResults pins what the foreign keys of a
// classification row to its fingerprint and of an audit row to its result
// (migration 00013) guaranteed and migration 00028's triggers now do on
// PostgreSQL (SQLite keeps the keys), on every path that deletes what
// they hang on: a result edited to pass (its fingerprint deleted alone),
// one result deleted, a run's results deleted (retention), the fingerprint
// table truncated, and results truncated. The class counts the rule reads
// stay equal to the classification rows after each.
func TestRuledRowsGoWithTheirResults(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := foldFixture{ruled: uuid.New(), plain: uuid.New(), ruledRun: uuid.New(), plainRun: uuid.New(), now: time.Now().UTC().Truncate(time.Second)}
		f.seed(t, d)
		rs := f.batch()
		if err := InsertResults(ctx, d, rs, func(ctx context.Context) error { return d.Conn(ctx).Create(rs).Error }); err != nil {
			t.Fatal(err)
		}
		var ruled []*model.Result
		for _, r := range rs {
			if testdb.Count(t, d, "ibutsu_classification_history", "result_id = ? AND by_rule", r.ID) > 0 {
				ruled = append(ruled, r)
			}
		}
		if len(ruled) != 3 {
			t.Fatalf("%d failures ruled, want 3", len(ruled))
		}
		want := func(step string, classes, history int64) {
			t.Helper()
			gotClasses, gotHistory, orphans := ruledLeft(t, d)
			if gotClasses != classes || gotHistory != history || orphans != 0 {
				t.Fatalf("after %s: %d classification rows, %d audit rows, %d left behind; want %d, %d, 0",
					step, gotClasses, gotHistory, orphans, classes, history)
			}
			if d.Dialect != db.Postgres {
				return
			}
			if w, g := tableDump(t, d, rowsQuery), tableDump(t, d, countsQuery); !reflect.DeepEqual(w, g) {
				t.Fatalf("after %s the counts differ from the classification rows:\nrows:\n%v\ncounts:\n%v", step, w, g)
			}
		}
		// Seeds: 6 classified; the batch: 3 ruled, 2 classified in the body.
		want("the insert", 11, 3)
		edited := ruled[0]
		edited.Result = model.Ptr("passed")
		if err := Refresh(ctx, d, edited); err != nil {
			t.Fatal(err)
		}
		want("a ruled failure edited to pass", 10, 3) // its audit row stays with its result
		if err := d.Conn(ctx).Exec("DELETE FROM results WHERE id = ?", ruled[1].ID).Error; err != nil {
			t.Fatal(err)
		}
		want("a ruled failure deleted", 9, 2)
		if err := d.Conn(ctx).Exec("DELETE FROM results WHERE id = ?", edited.ID).Error; err != nil {
			t.Fatal(err)
		}
		want("the edited result deleted", 9, 1)
		if err := d.Conn(ctx).Exec("DELETE FROM results WHERE run_id IN ?", []uuid.UUID{f.ruledRun}).Error; err != nil {
			t.Fatal(err)
		}
		want("the ruled run's results deleted", 1, 0) // the plain project's seed is left
		if d.Dialect != db.Postgres {
			return
		}
		if err := d.Conn(ctx).Exec("TRUNCATE results CASCADE").Error; err != nil {
			t.Fatal(err)
		}
		want("TRUNCATE results CASCADE", 0, 0)
		// The same world again, in new projects, to truncate the
		// fingerprints under it.
		f = foldFixture{ruled: uuid.New(), plain: uuid.New(), ruledRun: uuid.New(), plainRun: uuid.New(), now: f.now}
		f.seed(t, d)
		rs = f.batch()
		if err := InsertResults(ctx, d, rs, func(ctx context.Context) error { return d.Conn(ctx).Create(rs).Error }); err != nil {
			t.Fatal(err)
		}
		want("the second insert", 11, 3)
		if err := d.Conn(ctx).Exec("TRUNCATE ibutsu_result_fingerprints CASCADE").Error; err != nil {
			t.Fatal(err)
		}
		want("TRUNCATE ibutsu_result_fingerprints CASCADE", 0, 3) // the audit rows stay with their results
		if err := d.Conn(ctx).Exec("TRUNCATE results CASCADE").Error; err != nil {
			t.Fatal(err)
		}
		want("TRUNCATE results CASCADE", 0, 0)
	})
}

// TestBatchStatementChecksNoKeyPerRuledFailure pins what migration 00028
// saves (issue #21): the result batcher's statement for a batch whose
// failures the automatic rule classifies runs no foreign-key check per
// classification or audit row. Each key's check was a trigger event and a
// SELECT ... FOR KEY SHARE of a row the same statement had just written.
// The class-count trigger of the classification table is a statement
// trigger and still fires once.
func TestBatchStatementChecksNoKeyPerRuledFailure(t *testing.T) {
	testdb.Postgres(t, func(t *testing.T, d *db.DB) {
		f := foldFixture{ruled: uuid.New(), plain: uuid.New(), ruledRun: uuid.New(), plainRun: uuid.New(), now: time.Now().UTC().Truncate(time.Second)}
		f.seed(t, d)
		var rs []*model.Result
		for i := range 3 {
			rs = append(rs, &model.Result{ID: uuid.New(), ProjectID: &f.ruled, RunID: &f.ruledRun, TestID: model.Ptr("t"), Result: model.Ptr("failed"),
				StartTime: f.now, Data: model.JSON{"short_tb": foldTrace("y", 20+i)}})
		}
		plan := explainFolded(t, d, rs)
		text := strings.Join(plan, "\n")
		for _, table := range []string{"ibutsu_fingerprint_classifications", "ibutsu_classification_history"} {
			if !strings.Contains(text, "Insert on "+table+" (actual rows=0 loops=1)") {
				t.Fatalf("the plan writes no row of %s:\n%s", table, text)
			}
			for _, l := range plan {
				if !strings.HasPrefix(l, "Trigger") || !strings.Contains(l, " on "+table+":") {
					continue
				}
				if strings.HasPrefix(l, "Trigger for constraint") || !strings.HasSuffix(l, "calls=1") {
					t.Errorf("a key check or a trigger runs per %s row: %s", table, l)
				}
			}
		}
		// The EXPLAIN's transaction was rolled back; written for real, the
		// same batch is ruled whole, so the plan above wrote those rows.
		if err := InsertResults(context.Background(), d, rs, nil); err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if r.Data["classification"] != "product_failure" {
				t.Fatalf("the rule gave %v, want product_failure", r.Data["classification"])
			}
		}
	})
}

// TestSyncClassesSkipsAResultBeingDeleted: SyncClasses writes
// classification rows for results another transaction may have written,
// and on PostgreSQL the row has no foreign key to its fingerprint (00028),
// so it takes the key's lock itself. A result whose DELETE is in flight
// when it reads makes it wait; once the delete commits it is skipped and
// no classification row is left naming a deleted fingerprint. Without the
// lock SyncClasses wrote the row, and the delete's triggers, run before,
// could not see it.
func TestSyncClassesSkipsAResultBeingDeleted(t *testing.T) {
	testdb.Postgres(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		gone := goneFailure(t, d)
		if err := Record(ctx, d, []*model.Result{gone}); err != nil {
			t.Fatal(err)
		}
		// Classified since by a writer that keeps no classification rows
		// (an upstream server sharing the database).
		if err := d.Conn(ctx).Exec(`UPDATE results SET data = data || '{"classification": "product_failure"}' WHERE id = ?`, gone.ID).Error; err != nil {
			t.Fatal(err)
		}
		waited, err := testdb.WhileHeld(t, d, deleting(d, gone.ID), func() error { return SyncClasses(ctx, d, []uuid.UUID{gone.ID}) })
		if err != nil {
			t.Fatalf("sync: %v", err)
		}
		if !waited {
			t.Error("SyncClasses did not wait for the delete in flight")
		}
		if _, _, orphans := ruledLeft(t, d); orphans != 0 {
			t.Fatalf("%d classification rows left naming a deleted result", orphans)
		}
	})
}
