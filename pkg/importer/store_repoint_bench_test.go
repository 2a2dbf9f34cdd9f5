package importer

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// BenchmarkReimportBatch measures one batch of an archive re-import whose
// results are all stored (writeUpsert: lockExisting, the re-point, the
// fingerprints of its 100 failures brought up to date), one transaction
// per iteration, to weigh the lock lockExisting takes (docs/triage.md).
func BenchmarkReimportBatch(b *testing.B) {
	d := testdb.Both(b)["postgres"]
	ctx := context.Background()
	project, run := uuid.New(), uuid.New()
	now := time.Now().UTC().Truncate(time.Second)
	testdb.Insert(b, d, &model.Project{ID: project, Name: model.Ptr("reimport-bench")}, &model.Run{ID: run, ProjectID: &project, StartTime: now, Created: now})
	rows := make([]model.Result, resultBatch)
	for i := range rows {
		status, md := "passed", model.JSON{}
		if i%10 == 0 {
			status = "failed"
			md = model.JSON{"short_tb": fmt.Sprintf("E   ValueError: bad %d\n\ntests/test_x.py:%d: ValueError", i%7, i%7)}
		}
		rows[i] = model.Result{ID: uuid.New(), ProjectID: &project, RunID: &run, TestID: model.Ptr(fmt.Sprintf("test_%d", i)),
			Result: model.Ptr(status), Data: md, Params: model.JSON{}, StartTime: now}
	}
	write := func() error {
		w := newWriter(d, true, nil)
		batch := append([]model.Result(nil), rows...)
		return d.WithTx(ctx, func(ctx context.Context) error { return w.writeUpsert(ctx, batch) })
	}
	if err := write(); err != nil { // stores them: every later batch finds them all
		b.Fatal(err)
	}
	for b.Loop() {
		if err := write(); err != nil {
			b.Fatal(err)
		}
	}
}
