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

// BenchmarkInsertBatch compares writing a batch of 128 results without
// fingerprints (one INSERT), with them as imports do (WithResults: a
// transaction and more statements when a batch holds failures) and as the
// result batcher does (InsertResults: one statement), for a tenth and for
// all of the rows failed. Run with
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
	// A second project with the automatic classification rule on and the
	// failure classified once.
	ruled := uuid.New()
	ruledRun := uuid.New()
	for _, r := range []any{&model.Project{ID: ruled, Name: model.Ptr("bench-ruled")}, &model.Run{ID: ruledRun, ProjectID: &ruled, StartTime: now, Created: now},
		&SettingsRow{ProjectID: ruled, AutoClassify: true}} {
		if err := d.Conn(ctx).Create(r).Error; err != nil {
			b.Fatal(err)
		}
	}
	seed := &model.Result{ID: uuid.New(), ProjectID: &ruled, RunID: &ruledRun, TestID: model.Ptr("seed"), Result: model.Ptr("failed"), StartTime: now,
		Data: model.JSON{"short_tb": "E   ConnectionError: request " + uuid.NewString() + " timed out\n\ntests/test_api.py:1: ConnectionError", "classification": "environment_failure"}}
	if err := WithResults(ctx, d, []*model.Result{seed}, func(ctx context.Context) error { return d.Conn(ctx).Create(seed).Error }); err != nil {
		b.Fatal(err)
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
	// folded is the result batcher's path (InsertResults): one statement
	// for a batch with failures.
	folded := func(ctx context.Context, d *db.DB, rows []*model.Result) error {
		return InsertResults(ctx, d, rows, func(ctx context.Context) error { return d.Conn(ctx).Create(rows).Error })
	}
	for _, c := range []struct {
		name      string
		failEvery int
		write     func(context.Context, *db.DB, []*model.Result) error
	}{
		{"10pct-failed/plain", 10, plain}, {"10pct-failed/fingerprinted", 10, fingerprinted},
		{"all-failed/plain", 1, plain}, {"all-failed/fingerprinted", 1, fingerprinted},
		{"10pct-failed/fingerprinted+rule", 10, fingerprinted},
		{"10pct-failed/folded", 10, folded}, {"all-failed/folded", 1, folded}, {"10pct-failed/folded+rule", 10, folded},
	} {
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				rows := batch(c.failEvery)
				if strings.HasSuffix(c.name, "+rule") {
					for _, r := range rows {
						r.ProjectID, r.RunID = &ruled, &ruledRun
					}
				}
				b.StartTimer()
				if err := c.write(ctx, d, rows); err != nil {
					b.Fatal(err)
				}
				if strings.HasSuffix(c.name, "+rule") && rows[0].Data["classification"] != "environment_failure" {
					b.Fatalf("the rule did not apply: %v", rows[0].Data)
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
