package fingerprint

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

// BenchmarkInsertBatch compares writing a batch of results as the result
// batcher does (128 rows, one statement) without fingerprints and with
// them (WithResults: a transaction and one more INSERT when a batch holds
// failures), for a tenth and for all of the rows failed. Run with
//
//	go test -run - -bench InsertBatch ./pkg/fingerprint
func BenchmarkInsertBatch(b *testing.B) {
	d := testdb.Both(b)["postgres"]
	ctx := context.Background()
	project, runID := uuid.New(), uuid.New()
	now := time.Now().UTC()
	for _, r := range []any{&model.Project{ID: project, Name: model.Ptr("bench")}, &model.Run{ID: runID, ProjectID: &project, StartTime: now, Created: now}} {
		if err := d.Conn(ctx).Create(r).Error; err != nil {
			b.Fatal(err)
		}
	}
	batch := func(failEvery int) []*model.Result {
		rows := make([]*model.Result, 128)
		for i := range rows {
			status, md := "passed", model.JSON{"project": "bench", "env": "ci"}
			if i%failEvery == 0 {
				status = "failed"
				md["short_tb"] = fmt.Sprintf("E   ConnectionError: request %s timed out\n\ntests/test_api.py:%d: ConnectionError", uuid.NewString(), i)
			}
			rows[i] = &model.Result{ID: uuid.New(), ProjectID: &project, RunID: &runID, TestID: model.Ptr(fmt.Sprintf("test_%d", i)),
				Result: &status, Data: md, StartTime: now}
		}
		return rows
	}
	plain := func(ctx context.Context, d *db.DB, rows []*model.Result) error {
		return d.Conn(ctx).Create(rows).Error
	}
	fingerprinted := func(ctx context.Context, d *db.DB, rows []*model.Result) error {
		return WithResults(ctx, d, rows, func(ctx context.Context) error { return d.Conn(ctx).Create(rows).Error })
	}
	for _, c := range []struct {
		name      string
		failEvery int
		write     func(context.Context, *db.DB, []*model.Result) error
	}{
		{"10pct-failed/plain", 10, plain}, {"10pct-failed/fingerprinted", 10, fingerprinted},
		{"all-failed/plain", 1, plain}, {"all-failed/fingerprinted", 1, fingerprinted},
	} {
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				rows := batch(c.failEvery)
				b.StartTimer()
				if err := c.write(ctx, d, rows); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCompute is the pure cost of one fingerprint of a pytest trace.
func BenchmarkCompute(b *testing.B) {
	in := Input{Status: "failed", Text: pythonTrace}
	for i := 0; i < b.N; i++ {
		Compute(in)
	}
}
