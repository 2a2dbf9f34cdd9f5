package run

import (
	"context"
	"encoding/json"
	"math"
	"testing"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// TestUpdateRunOfDeletedRun runs the update-run task for a run deleted
// after the trigger (a prune between a result and its summary window, as
// test/resilience TestReplicas showed): the task succeeds, no hook is told
// and no run state row is written for the missing run.
func TestUpdateRunOfDeletedRun(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		told := 0
		s := NewSummarizer(d, nil, quiet,
			OnSummarized(func(context.Context, uuid.UUID) error { told++; return nil }),
			AfterSummary(func(context.Context, uuid.UUID) { told++ }))
		gone := uuid.New()
		payload, _ := json.Marshal(updateRunPayload{RunID: gone.String()})
		if _, err := s.handle(ctx, payload); err != nil {
			t.Fatalf("update-run of a deleted run: %v", err)
		}
		var n int64
		if err := d.Conn(ctx).Model(&stateRow{}).Where("run_id = ?", gone).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		if told != 0 || n != 0 {
			t.Errorf("deleted run: %d hooks told, %d state rows", told, n)
		}
		// An existing run still tells both hooks.
		f := newFixture(t, d)
		payload, _ = json.Marshal(updateRunPayload{RunID: f.myRun.ID.String()})
		if _, err := s.handle(ctx, payload); err != nil || told != 2 {
			t.Fatalf("existing run: %v, %d hooks told", err, told)
		}
		if got := testdb.Reload[model.Run](t, d, f.myRun.ID); got.Summary["tests"] != float64(1) {
			t.Errorf("existing run summary %v", got.Summary)
		}
	})
}

// TestSummaryCountsSerially: the summary's aggregate over a run's results
// runs with parallel workers off for the rest of its transaction. Once a
// run held a tenth of the results table PostgreSQL scanned the whole table
// in parallel for it, every summary window (issue #21,
// docs/performance.md); the same aggregate is parallel in the transaction
// before the summary's read and serial after it. On PostgreSQL the summary
// folds count deltas instead and aggregates the results only while the run
// has a result with an infinite or NaN duration, which the fixture's run
// is given here.
func TestSummaryCountsSerially(t *testing.T) {
	testdb.Postgres(t, func(t *testing.T, d *db.DB) { // a PostgreSQL planner setting
		ctx := context.Background()
		f := newFixture(t, d)
		if err := d.Conn(ctx).Exec("UPDATE results SET duration = 'Infinity' WHERE id = ?", f.myResult.ID).Error; err != nil {
			t.Fatal(err)
		}
		const agg = "SELECT count(*), coalesce(sum(duration), 0) FROM results WHERE run_id = ?"
		err := d.WithTx(ctx, func(ctx context.Context) error {
			testdb.ForceParallel(ctx, t, d)
			if !testdb.PlansParallel(ctx, t, d, agg, f.myRun.ID) {
				t.Fatal("the forced plan has no Gather: the test shows nothing")
			}
			c, err := store{db: d}.resultCounts(ctx, f.myRun.ID)
			if err != nil || c.Tests != 1 || !math.IsInf(c.Duration, 1) {
				t.Fatalf("resultCounts = %+v, %v", c, err)
			}
			if testdb.PlansParallel(ctx, t, d, agg, f.myRun.ID) {
				t.Error("the summary's transaction still plans the run's aggregate in parallel")
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
