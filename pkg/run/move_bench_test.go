package run

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// BenchmarkMoveRun is PUT /run/{id} moving a run of 20,000 results to the
// other of two projects, back and forth: the run's row, its results locked
// in id order (store.lockResults), moved, and their fingerprints. Run with
//
//	go test -run - -bench MoveRun ./pkg/run
func BenchmarkMoveRun(b *testing.B) {
	d := testdb.Both(b)["postgres"]
	ctx := context.Background()
	projects := [2]uuid.UUID{uuid.New(), uuid.New()}
	for i, p := range projects {
		if err := d.Conn(ctx).Create(&model.Project{ID: p, Name: model.Ptr(fmt.Sprintf("bench%d", i))}).Error; err != nil {
			b.Fatal(err)
		}
	}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	r := &model.Run{ID: uuid.New(), ProjectID: &projects[0], StartTime: at, Created: at, Data: model.JSON{}, Summary: model.JSON{}}
	if err := d.Conn(ctx).Create(r).Error; err != nil {
		b.Fatal(err)
	}
	const n = 20000
	results := make([]*model.Result, n)
	for i := range results {
		results[i] = &model.Result{ID: uuid.New(), ProjectID: &projects[0], RunID: &r.ID, TestID: model.Ptr(fmt.Sprintf("tests.test_%d", i)),
			Result: model.Ptr("passed"), Data: model.JSON{}, Params: model.JSON{}, StartTime: at.Add(time.Duration(i) * time.Millisecond)}
	}
	if err := d.Conn(ctx).CreateInBatches(results, 1000).Error; err != nil {
		b.Fatal(err)
	}
	if err := d.Gorm.Exec("ANALYZE").Error; err != nil {
		b.Fatal(err)
	}
	svc := newTestService(d)
	admin := &model.User{ID: uuid.New(), IsSuperadmin: true}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		to := projects[(i+1)%2].String()
		if _, err := svc.Update(ctx, admin, r.ID, UpdateRequest{ProjectID: &to}); err != nil {
			b.Fatal(err)
		}
	}
}
