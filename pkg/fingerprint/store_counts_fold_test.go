package fingerprint

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// TestClassCountsFoldOnlyWhenDue: the class-count triggers call the fold
// function only for a statement that takes a group past 32 delta rows
// (migration 00022), not for every statement that appends one — that call
// planned the fold's query afresh each time and was most of what the
// automatic rule added to an ingest batch in PostgreSQL (issue #21). The
// fold itself must still happen at the same row as before: the statement
// that makes a group's 33rd delta row folds it into one. Counted with
// PostgreSQL's function statistics of the transaction
// (pg_stat_xact_user_functions), for the insert trigger (33 batches of one
// classified failure each, as the result batcher writes them) and the
// delete trigger (32 of those results deleted one at a time).
func TestClassCountsFoldOnlyWhenDue(t *testing.T) {
	ctx := context.Background()
	d := testdb.Both(t)["postgres"]
	project, run := uuid.New(), uuid.New()
	now := time.Now().UTC().Truncate(time.Second)
	testdb.Insert(t, d, &model.Project{ID: project, Name: model.Ptr("counted")},
		&model.Run{ID: run, ProjectID: &project, StartTime: now, Created: now})

	err := d.WithTx(ctx, func(ctx context.Context) error {
		conn := d.Conn(ctx)
		if err := conn.Exec("SET LOCAL track_functions = 'pl'").Error; err != nil {
			return err
		}
		calls := func(fn string) int64 {
			var n int64
			if err := conn.Raw(`SELECT COALESCE(SUM(calls), 0) FROM pg_stat_xact_user_functions WHERE funcname = ?`, fn).Scan(&n).Error; err != nil {
				t.Fatal(err)
			}
			return n
		}
		deltas := func() (rows, sum int64) {
			if err := conn.Raw(`SELECT count(*), COALESCE(SUM(n), 0) FROM ibutsu_fingerprint_class_counts WHERE project_id = ?`, project).
				Row().Scan(&rows, &sum); err != nil {
				t.Fatal(err)
			}
			return rows, sum
		}
		want := func(step string, trigger string, triggerCalls, folds, rows, sum int64) {
			t.Helper()
			if n := calls(trigger); n != triggerCalls {
				t.Fatalf("%s: %s ran %d times, want %d", step, trigger, n, triggerCalls)
			}
			if n := calls("ibutsu_fingerprint_class_counts_fold"); n != folds {
				t.Fatalf("%s: the fold function ran %d times, want %d", step, n, folds)
			}
			if r, s := deltas(); r != rows || s != sum {
				t.Fatalf("%s: the group holds %d delta rows summing to %d, want %d rows summing to %d", step, r, s, rows, sum)
			}
		}

		var ids []uuid.UUID
		for i := 1; i <= 33; i++ {
			r := &model.Result{ID: uuid.New(), ProjectID: &project, RunID: &run, TestID: model.Ptr(fmt.Sprintf("test_%d", i)),
				Result: model.Ptr("failed"), StartTime: now,
				Data: model.JSON{"short_tb": foldTrace("y", i), "classification": "environment_failure"}}
			rs := []*model.Result{r}
			if err := WithResults(ctx, d, rs, func(ctx context.Context) error { return d.Conn(ctx).Create(rs).Error }); err != nil {
				return err
			}
			ids = append(ids, r.ID)
			step := fmt.Sprintf("after insert %d", i)
			if i < 33 {
				want(step, "ibutsu_fingerprint_class_counts_insert", int64(i), 0, int64(i), int64(i))
			} else {
				want(step, "ibutsu_fingerprint_class_counts_insert", 33, 1, 1, 33)
			}
		}
		for i := 1; i <= 32; i++ {
			if err := conn.Exec("DELETE FROM results WHERE id = ?", ids[i-1]).Error; err != nil {
				return err
			}
			step := fmt.Sprintf("after delete %d", i)
			if i < 32 {
				want(step, "ibutsu_fingerprint_class_counts_delete", int64(i), 1, 1+int64(i), 33-int64(i))
			} else {
				want(step, "ibutsu_fingerprint_class_counts_delete", 32, 2, 1, 1)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
