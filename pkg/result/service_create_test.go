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

// moveRun is what PUT /run/{id} with a new project_id does in its
// transaction (pkg/run): the run's row FOR UPDATE, the run and its results
// into the new project.
func moveRun(d *db.DB, run, to uuid.UUID) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		conn := d.Conn(ctx)
		if err := conn.Exec(`SELECT id FROM runs WHERE id = ? FOR UPDATE`, run).Error; err != nil {
			return err
		}
		if err := conn.Exec(`UPDATE runs SET project_id = ? WHERE id = ?`, to, run).Error; err != nil {
			return err
		}
		return conn.Exec(`UPDATE results SET project_id = ? WHERE run_id = ?`, to, run).Error
	}
}

// A result posted into a run while the run moves to another project (the
// move holds the run's row when the insert comes, testdb.WhileHeld) is
// refused with the answer a result posted into that run now gets: 403 for
// a member of the old project only, 400 for one who can write both; it is
// never left in the old project beside a run in the new one. A passed
// result and a failure (fingerprinted in the same statement) alike.
func TestCreateIntoARunBeingMoved(t *testing.T) {
	testdb.Postgres(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		ts := testdb.NewTenants(t, d)
		both := &model.User{ID: uuid.New(), Email: "both@example.com", IsActive: true}
		testdb.Insert(t, d, both, &model.UserProject{UserID: both.ID, ProjectID: ts.Mine},
			&model.UserProject{UserID: both.ID, ProjectID: ts.Theirs})
		svc := quietService(d)
		defer svc.Close()
		for _, c := range []struct {
			name, outcome string
			u             *model.User
			kind          apperr.Kind
			message       string
		}{
			{"member, passed", "passed", ts.Member, apperr.KindForbidden, "Forbidden"},
			{"member, failed", "failed", ts.Member, apperr.KindForbidden, "Forbidden"},
			{"both, passed", "passed", both, apperr.KindInvalid, "Bad request, run %s belongs to another project than the result"},
			{"both, failed", "failed", both, apperr.KindInvalid, "Bad request, run %s belongs to another project than the result"},
		} {
			t.Run(c.name, func(t *testing.T) {
				run := uuid.New()
				testdb.Insert(t, d, &model.Run{ID: run, ProjectID: &ts.Mine, Data: model.JSON{}, Summary: model.JSON{}})
				req := result.CreateRequest{TestID: model.Ptr("t.moved"), Result: model.Ptr(c.outcome),
					Metadata: map[string]any{"project": ts.Mine.String(), "run": run.String()}}
				if c.outcome == "failed" {
					req.Metadata["short_tb"] = "AssertionError: 1 != 2"
				}
				waited, err := testdb.WhileHeld(t, d, moveRun(d, run, ts.Theirs), func() error {
					_, err := svc.CreateView(ctx, c.u, req)
					return err
				})
				if !waited {
					t.Fatalf("the insert did not wait for the move (%v)", err)
				}
				e, ok := apperr.As(err)
				if want := strings.ReplaceAll(c.message, "%s", run.String()); !ok || e.Kind != c.kind || e.Message != want {
					t.Errorf("answer %v, want %s %q", err, c.kind, want)
				}
				if n := testdb.Count(t, d, "results", "run_id = ? AND project_id IS DISTINCT FROM ?", run, ts.Theirs); n != 0 {
					t.Fatalf("%d results of the moved run left in another project than the run's", n)
				}
			})
		}
	})
}

// A PUT /result that moves a result into a run while the run moves to
// another project (held, testdb.WhileHeld) checks the run as the move
// committed it: a member of the old project only gets 403, and the result
// stays where it was, never in the old project beside a run in the new one.
func TestUpdateIntoARunBeingMoved(t *testing.T) {
	testdb.Postgres(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		ts := testdb.NewTenants(t, d)
		svc := quietService(d)
		defer svc.Close()
		from, into, res := uuid.New(), uuid.New(), uuid.New()
		insertTwoRunsAndAResult(t, d, ts.Mine, from, into, res, nil)
		target := into.String()
		waited, err := testdb.WhileHeld(t, d, moveRun(d, into, ts.Theirs), func() error {
			_, err := svc.Update(ctx, ts.Member, res, result.UpdateRequest{RunID: model.Nullable[string]{Set: true, Value: &target}})
			return err
		})
		if !waited {
			t.Fatalf("the update did not wait for the move (%v)", err)
		}
		if e, ok := apperr.As(err); !ok || e.Kind != apperr.KindForbidden {
			t.Errorf("answer %v, want 403", err)
		}
		if n := testdb.Count(t, d, "results", "run_id = ? AND project_id IS DISTINCT FROM ?", into, ts.Theirs); n != 0 {
			t.Fatalf("%d results of the moved run left in another project than the run's", n)
		}
	})
}
