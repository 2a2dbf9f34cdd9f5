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

// BenchmarkRunCheckSQLite is what the run check costs the result batcher on
// SQLite (store_runs.go): a batch of passed results into one run written
// as it was before the check (the plain INSERT, no transaction) and as
// InsertResults writes it now (a transaction, the runs' projects read,
// the INSERT), for a lone request and a full batch. Run with
//
//	go test -run - -bench RunCheckSQLite ./pkg/fingerprint
func BenchmarkRunCheckSQLite(b *testing.B) {
	d := testdb.Both(b)["sqlite"]
	ctx := context.Background()
	ts := testdb.NewTenants(b, d)
	run, now := uuid.New(), time.Now().UTC()
	testdb.Insert(b, d, &model.Run{ID: run, ProjectID: &ts.Mine, StartTime: now, Created: now})
	batch := func(n int) []*model.Result {
		rs := make([]*model.Result, n)
		for i := range rs {
			rs[i] = &model.Result{ID: uuid.New(), ProjectID: &ts.Mine, RunID: &run, TestID: model.Ptr(fmt.Sprintf("test_%d", i)),
				Result: model.Ptr("passed"), Data: model.JSON{"env": "ci"}, StartTime: now}
		}
		return rs
	}
	for _, n := range []int{1, 128} {
		for _, checked := range []bool{false, true} {
			b.Run(fmt.Sprintf("%d-rows/checked=%v", n, checked), func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					rs := batch(n)
					b.StartTimer()
					insert := func(ctx context.Context) error { return d.Conn(ctx).Create(rs).Error }
					var err error
					if checked {
						err = InsertResults(ctx, d, rs, insert)
					} else {
						err = insert(ctx)
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
