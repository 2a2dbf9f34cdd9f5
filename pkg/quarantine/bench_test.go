package quarantine

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// BenchmarkQuarantineMarks measures what the read-time marking adds on
// PostgreSQL: a page of 25 runs of 1,000 results (half failed) each, and a
// page of 100 results, in a project with 100 entries (50 exact, 50 globs)
// that match a tenth of the failures. Run with
//
//	go test -run - -bench QuarantineMarks ./pkg/quarantine
func BenchmarkQuarantineMarks(b *testing.B) {
	d := testdb.Both(b)["postgres"]
	ctx := context.Background()
	pid := uuid.New()
	owner := &model.User{ID: uuid.New(), Email: "o@example.com", IsActive: true}
	testdb.Insert(b, d, owner, &model.Project{ID: pid, Name: model.Ptr("bench"), OwnerID: &owner.ID})
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	runs := make([]model.Run, 25)
	var page []model.Result
	for i := range runs {
		runs[i] = model.Run{ID: uuid.New(), ProjectID: &pid, StartTime: t0, Created: t0}
		testdb.Insert(b, d, &runs[i])
		rs := make([]*model.Result, 1000)
		for j := range rs {
			outcome := "passed"
			if j%2 == 0 {
				outcome = "failed"
			}
			rs[j] = &model.Result{ID: uuid.New(), ProjectID: &pid, RunID: &runs[i].ID, TestID: model.Ptr(fmt.Sprintf("tests.mod%d.test_%d", j%100, j)),
				Result: &outcome, StartTime: t0}
		}
		if err := d.Conn(ctx).CreateInBatches(rs, 500).Error; err != nil {
			b.Fatal(err)
		}
		if i == 0 {
			for _, r := range rs[:100] {
				page = append(page, *r)
			}
		}
	}
	svc := NewService(d, project.NewStore(d))
	for k := 0; k < 50; k++ {
		if _, err := svc.Create(ctx, owner, pid, CreateRequest{Pattern: model.Ptr(fmt.Sprintf("tests.mod%d.test_%d", k, 1000+k)), Reason: model.Ptr("r")}); err != nil {
			b.Fatal(err)
		}
		if _, err := svc.Create(ctx, owner, pid, CreateRequest{Pattern: model.Ptr(fmt.Sprintf("tests.mod%d.*0", 50+k)), Reason: model.Ptr("r")}); err != nil {
			b.Fatal(err)
		}
	}
	if err := d.Gorm.Exec("ANALYZE").Error; err != nil {
		b.Fatal(err)
	}
	if os.Getenv("QEXPLAIN") != "" {
		ids := make([]uuid.UUID, len(runs))
		for i := range runs {
			ids[i] = runs[i].ID
		}
		var lines []string
		l := svc.store.runCountsLookup(ids, []uuid.UUID{pid}, time.Now(), nil)
		if err := d.Gorm.Raw("EXPLAIN ANALYZE "+l.SQL, l.Args...).Scan(&lines).Error; err != nil {
			b.Fatal(err)
		}
		b.Log(strings.Join(lines, "\n"))
	}
	b.Run("run-page", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			c, err := svc.RunCounts(ctx, runs)
			if err != nil || c[runs[0].ID] != 50 {
				b.Fatalf("%v %v", err, c)
			}
		}
	})
	// The baseline: counting the same runs' failures, without any matching.
	b.Run("baseline-failure-counts", func(b *testing.B) {
		ids := make([]uuid.UUID, len(runs))
		for i := range runs {
			ids[i] = runs[i].ID
		}
		for i := 0; i < b.N; i++ {
			var rows []struct {
				RunID uuid.UUID
				N     int
			}
			if err := d.Gorm.Raw(`SELECT run_id, COUNT(*) AS n FROM results WHERE run_id IN ? AND result IN ('failed', 'error') GROUP BY run_id`, ids).Scan(&rows).Error; err != nil || len(rows) != 25 {
				b.Fatal(err)
			}
		}
	})
	b.Run("result-page", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := svc.MarkResults(ctx, page); err != nil {
				b.Fatal(err)
			}
		}
	})
}
