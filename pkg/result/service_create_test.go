package result_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/result"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/jsontest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// POST /result of a result that is not a failure reads its run's project
// and the markers of its answer in one statement, then inserts it: two
// statements on PostgreSQL where there were three (the run's project, the
// insert, the markers), once the project caches are warm. The answer is what RenderOne renders from the
// stored row (here the flaky marker), and the run rule still refuses a run
// of another project and an unknown run. A failure's marks are read the
// same way (TestCreateViewOfAFailureIsItsStoredRender).
func TestCreateViewReadsRunAndMarkersInOneStatement(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		page := seedMarkedPage(t, d)
		svc := quietService(d,
			result.WithQuarantine(page.quarantine), result.WithFlakyMarks(page.flaky))
		defer svc.Close()
		owner := &model.User{ID: uuid.MustParse("00000000-0000-4000-8000-000000000001"), Email: "owner@example.com", IsActive: true}
		pid, run := page.results[0].ProjectID.String(), page.runs[1].ID.String()
		req := func(outcome, runID string) result.CreateRequest {
			return result.CreateRequest{TestID: model.Ptr("t.flaky"), Result: model.Ptr(outcome),
				Metadata: map[string]any{"project": pid, "run": runID}}
		}
		statements := testdb.Statements(t, d)
		// A first request fills the project caches (ResolveProject).
		if _, err := svc.CreateView(ctx, owner, req("passed", run)); err != nil {
			t.Fatal(err)
		}
		statements.Store(0)
		v, err := svc.CreateView(ctx, owner, req("passed", run))
		if err != nil {
			t.Fatal(err)
		}
		n := statements.Load()
		t.Logf("statements for POST /result, passed: %d", n)
		want := storedRender(ctx, t, svc, v)
		if got, w := jsontest.String(t, v), jsontest.String(t, want); got != w || v.Flaky == nil || !*v.Flaky {
			t.Errorf("answer\n got %s\nwant %s (flaky)", got, w)
		}
		// The insert is the folded statement (fingerprint.InsertResultsOf,
		// which checks the run's project on its locked row), sent past
		// GORM like a failure's: two round trips, one of them counted here.
		if d.Dialect == db.Postgres && n != 1 {
			t.Errorf("%d statements through GORM for a passed result, want 1 (run and markers; the insert is folded)", n)
		}

		// The run rule: an unknown run, a run of another project.
		pid2, run3 := uuid.New(), uuid.New()
		testdb.Insert(t, d, &model.Project{ID: pid2, Name: model.Ptr("p2"), OwnerID: &owner.ID},
			&model.UserProject{UserID: owner.ID, ProjectID: pid2},
			&model.Run{ID: run3, ProjectID: &pid2, Data: model.JSON{}, Summary: model.JSON{}})
		for what, runID := range map[string]string{"Run ID": uuid.NewString(), "another project": run3.String()} {
			_, err := svc.CreateView(ctx, owner, req("passed", runID))
			if e, ok := apperr.As(err); !ok || e.Kind != apperr.KindInvalid || !strings.Contains(e.Message, what) {
				t.Errorf("%s: %v, want a 400 saying so", what, err)
			}
		}

		statements.Store(0)
		f, err := svc.CreateView(ctx, owner, req("failed", run))
		if err != nil || f.FailureCluster == nil {
			t.Fatalf("failure: %+v, %v", f, err)
		}
		t.Logf("statements for POST /result, failed: %d", statements.Load())
	})
}
