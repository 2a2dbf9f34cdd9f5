package cluster

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/fingerprint"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/run"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// seedRun writes a run of n failed results spread over fps fingerprints
// (half of them classified) with their fingerprint rows, directly.
func seedRun(b *testing.B, d *db.DB, projectID uuid.UUID, at time.Time, n, fps int) uuid.UUID {
	b.Helper()
	ctx := context.Background()
	r := &model.Run{ID: uuid.New(), ProjectID: &projectID, StartTime: at, Created: at}
	if err := d.Conn(ctx).Create(r).Error; err != nil {
		b.Fatal(err)
	}
	results := make([]*model.Result, n)
	for i := range results {
		md := model.JSON{"short_tb": fmt.Sprintf("E   ValueError: case %d broke\n\ntests/test_m%d.py:1: ValueError", i, i%fps)}
		if i%2 == 0 {
			md["classification"] = "product_failure"
		}
		results[i] = &model.Result{ID: uuid.New(), ProjectID: &projectID, RunID: &r.ID, TestID: model.Ptr(fmt.Sprintf("tests.test_%d", i)),
			Result: model.Ptr("failed"), Data: md, StartTime: at.Add(time.Duration(i) * time.Millisecond)}
	}
	if err := d.Conn(ctx).CreateInBatches(results, 1000).Error; err != nil {
		b.Fatal(err)
	}
	if err := fingerprint.Record(ctx, d, results); err != nil {
		b.Fatal(err)
	}
	return r.ID
}

// BenchmarkRunClusters answers GET /api/run/{id}/clusters for a run with
// 10,000 failures in 50 clusters, in a project with 20 earlier runs of
// 1,000 failures each over the same fingerprints (every cluster known).
// Target (issue #21): under 500 ms. Run with
//
//	go test -run - -bench RunClusters ./pkg/cluster
func BenchmarkRunClusters(b *testing.B) {
	d := testdb.Both(b)["postgres"]
	ctx := context.Background()
	pid := uuid.New()
	if err := d.Conn(ctx).Create(&model.Project{ID: pid, Name: model.Ptr("bench")}).Error; err != nil {
		b.Fatal(err)
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 20; i++ {
		seedRun(b, d, pid, t0.Add(time.Duration(i)*time.Hour), 1000, 50)
	}
	target := seedRun(b, d, pid, t0.Add(48*time.Hour), 10000, 50)
	if err := d.Gorm.Exec("ANALYZE").Error; err != nil {
		b.Fatal(err)
	}
	svc := NewService(d, run.NewService(d, project.NewStore(d), nil, quiet))
	admin := &model.User{ID: uuid.New(), IsSuperadmin: true}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		v, err := svc.RunClusters(ctx, admin, target)
		if err != nil || v.Failures != 10000 || len(v.Clusters) != 50 || v.Clusters[0].Status != "known" || v.Clusters[0].Known.Runs != 20 {
			b.Fatalf("%v: %+v", err, v)
		}
	}
}
