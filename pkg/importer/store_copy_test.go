package importer

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/run"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// TestCopiedResultsAreCounted: results an import writes with COPY fire
// the statement triggers of the run's count deltas (one row for the COPY),
// so the run summary, which folds those deltas on PostgreSQL, counts them.
func TestCopiedResultsAreCounted(t *testing.T) {
	testdb.Postgres(t, func(t *testing.T, d *db.DB) { // COPY is PostgreSQL's
		ctx := context.Background()
		now := time.Now().UTC().Truncate(time.Second)
		r := &model.Run{ID: uuid.New(), StartTime: now, Created: now, Data: model.JSON{}}
		testdb.Insert(t, d, r)
		rows := make([]model.Result, 40)
		for i := range rows {
			outcome := []string{"passed", "failed", "skipped", "error"}[i%4]
			rows[i] = model.Result{ID: uuid.New(), RunID: &r.ID, Result: &outcome, Duration: model.Ptr(0.25),
				StartTime: now, Data: model.JSON{}, Params: model.JSON{}}
		}
		err := d.WithConnTx(ctx, func(ctx context.Context) error {
			ok, err := copyResults(ctx, d, rows)
			if err == nil && !ok {
				t.Fatal("the results were not copied")
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if n := testdb.Count(t, d, "ibutsu_run_result_counts", "run_id = ?", r.ID); n != 1 {
			t.Errorf("the COPY appended %d delta rows, want 1", n)
		}
		if err := run.NewSummarizer(d, nil, slog.New(slog.DiscardHandler)).Recompute(ctx, r.ID); err != nil {
			t.Fatal(err)
		}
		got := testdb.Reload[model.Run](t, d, r.ID)
		if got.Summary["tests"] != float64(40) || got.Summary["failures"] != float64(10) || got.Summary["errors"] != float64(10) ||
			got.Summary["skips"] != float64(10) || got.Duration == nil || *got.Duration != 10 {
			t.Errorf("summary %v, duration %v", got.Summary, got.Duration)
		}
	})
}
