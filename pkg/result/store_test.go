package result

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// fixture is two projects, a member of the first, a run and a result in each.
type fixture struct {
	testdb.Tenants
	myRun, theirRun    *model.Run
	myResult, theirRes *model.Result
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{Tenants: testdb.NewTenants(t, d)}
	now := time.Now().UTC().Truncate(time.Second)
	f.myRun = &model.Run{ID: uuid.New(), ProjectID: &f.Mine, StartTime: now, Created: now, Data: model.JSON{}}
	f.theirRun = &model.Run{ID: uuid.New(), ProjectID: &f.Theirs, StartTime: now, Created: now, Data: model.JSON{}}
	f.myResult = &model.Result{ID: uuid.New(), ProjectID: &f.Mine, RunID: &f.myRun.ID, TestID: model.Ptr("t1"),
		Result: model.Ptr("passed"), StartTime: now, Data: model.JSON{"env": "qa", "keep": "x"}, Env: model.Ptr("qa")}
	f.theirRes = &model.Result{ID: uuid.New(), ProjectID: &f.Theirs, RunID: &f.theirRun.ID, TestID: model.Ptr("t2"),
		Result: model.Ptr("failed"), StartTime: now.Add(time.Second), Data: model.JSON{"env": "prod"}, Env: model.Ptr("prod")}
	testdb.Insert(t, d, f.myRun, f.theirRun, f.myResult, f.theirRes)
	return f
}

func reload(t *testing.T, d *db.DB, id uuid.UUID) *model.Result {
	return testdb.Reload[model.Result](t, d, id)
}

func TestStoreGetAndRunExists(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) {
		s := store{db: d}
		got, err := s.get(ctx, f.myResult.ID)
		if err != nil || got.TestID == nil || *got.TestID != "t1" {
			t.Fatalf("get = %+v, %v", got, err)
		}
		if _, err := s.get(ctx, uuid.New()); !errors.Is(err, ErrNotFound) {
			t.Errorf("get unknown: %v, want ErrNotFound", err)
		}
		err = d.WithTx(ctx, func(ctx context.Context) error {
			r, err := s.getForUpdate(ctx, f.theirRes.ID)
			if err == nil && r.ID != f.theirRes.ID {
				t.Errorf("getForUpdate loaded %s", r.ID)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := s.runExists(ctx, f.myRun.ID); err != nil || !ok {
			t.Errorf("runExists(existing) = %v, %v", ok, err)
		}
		if ok, err := s.runExists(ctx, uuid.New()); err != nil || ok {
			t.Errorf("runExists(unknown) = %v, %v", ok, err)
		}
	})
}

func TestStoreLockAndSaveMetadata(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) {
		s := store{db: d}
		err := d.WithTx(ctx, func(ctx context.Context) error {
			rows, err := s.lockResults(ctx, []uuid.UUID{f.theirRes.ID, uuid.New(), f.myResult.ID})
			if err != nil {
				return err
			}
			if len(rows) != 2 || rows[0].ID.String() > rows[1].ID.String() {
				t.Errorf("lockResults = %d rows (want 2, in id order)", len(rows))
			}
			r := f.myResult
			r.Data = model.JSON{"env": "stage", "keep": "x"}
			r.Env = model.Ptr("stage")
			r.TestID = model.Ptr("not written")
			return s.saveMetadata(ctx, r)
		})
		if err != nil {
			t.Fatal(err)
		}
		got := reload(t, d, f.myResult.ID)
		if *got.Env != "stage" || got.Data["env"] != "stage" || *got.TestID != "t1" {
			t.Errorf("after saveMetadata: env %v data %v test_id %v", *got.Env, got.Data, *got.TestID)
		}
		if other := reload(t, d, f.theirRes.ID); *other.Env != "prod" {
			t.Errorf("the other result changed: %v", *other.Env)
		}
	})
}

func TestStoreListScopedAndCounted(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) {
		projects := project.NewStore(d)
		svc := &Service{db: d, store: store{db: d}, projects: projects}
		for _, c := range []struct {
			filters []string
			want    int64
		}{{nil, 1}, {[]string{"result=passed"}, 1}, {[]string{"result=failed"}, 0}, {[]string{"env=qa"}, 1}} {
			views, info, err := svc.List(ctx, f.Member, ListParams{Filters: c.filters, Page: 1, PageSize: 10})
			if err != nil {
				t.Fatalf("%v: %v", c.filters, err)
			}
			if info.Total != c.want || int64(len(views)) != c.want {
				t.Errorf("%v: total %d, %d rows; want %d", c.filters, info.Total, len(views), c.want)
			}
			for _, v := range views {
				if v.ID != f.myResult.ID.String() {
					t.Errorf("%v: member sees %s, a result of a project they are not in", c.filters, v.ID)
				}
			}
		}
		admin := &model.User{ID: uuid.New(), IsSuperadmin: true}
		views, info, err := svc.List(ctx, admin, ListParams{Filters: []string{"project_id=" + f.Theirs.String()}, Page: 1, PageSize: 1})
		if err != nil || info.Total != 1 || len(views) != 1 || views[0].ID != f.theirRes.ID.String() {
			t.Errorf("superadmin, project filter: %d rows, total %d, %v (want the foreign result)", len(views), info.Total, err)
		}
	})
}

// TestBulkUpdateForeignResultChangesNothing: one foreign id among the
// caller's own makes the whole bulk update a 403 and leaves both rows as
// they were.
func TestBulkUpdateForeignResultChangesNothing(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) {
		svc := &Service{db: d, store: store{db: d}, projects: project.NewStore(d)}
		_, err := svc.BulkUpdate(ctx, f.Member, []uuid.UUID{f.myResult.ID, f.theirRes.ID}, map[string]any{"classification": "bug"})
		if apperr.KindOf(err) != apperr.KindForbidden {
			t.Fatalf("BulkUpdate with a foreign id: %v, want forbidden", err)
		}
		for _, id := range []uuid.UUID{f.myResult.ID, f.theirRes.ID} {
			if got := reload(t, d, id); got.Data["classification"] != nil {
				t.Errorf("result %s was changed: %v", id, got.Data)
			}
		}
		if _, err := svc.BulkUpdate(ctx, f.Member, []uuid.UUID{f.myResult.ID}, map[string]any{"classification": "bug"}); err != nil {
			t.Fatal(err)
		}
		if got := reload(t, d, f.myResult.ID); got.Data["classification"] != "bug" || got.Data["keep"] != "x" {
			t.Errorf("own result after bulk update: %v", got.Data)
		}
	})
}

// TestUpdateForeignResultChangesNothing: PUT of another project's result,
// and moving one's own result into another project, are 403s that leave
// the rows untouched.
func TestUpdateForeignResultChangesNothing(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) {
		svc := &Service{db: d, store: store{db: d}, projects: project.NewStore(d)}
		_, err := svc.Update(ctx, f.Member, f.theirRes.ID, UpdateRequest{Metadata: map[string]any{"classification": "bug"}, TestID: model.Ptr("x")})
		if apperr.KindOf(err) != apperr.KindForbidden {
			t.Fatalf("Update of a foreign result: %v, want forbidden", err)
		}
		if got := reload(t, d, f.theirRes.ID); got.Data["classification"] != nil || *got.TestID != "t2" {
			t.Errorf("foreign result changed: %v %v", got.Data, *got.TestID)
		}
		theirs := f.Theirs.String()
		_, err = svc.Update(ctx, f.Member, f.myResult.ID, UpdateRequest{ProjectID: &theirs})
		if apperr.KindOf(err) != apperr.KindForbidden {
			t.Fatalf("moving a result into a foreign project: %v, want forbidden", err)
		}
		if got := reload(t, d, f.myResult.ID); *got.ProjectID != f.Mine {
			t.Errorf("result moved to %s", *got.ProjectID)
		}
	})
}

// Readable is the read rule of GET /api/result/{id}: the member's own
// result, ErrNotFound for an unknown one, forbidden for another project's.
func TestReadable(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) {
		svc := &Service{db: d, store: store{db: d}, projects: project.NewStore(d)}
		testdb.ReadRule[model.Result]{What: "result", Read: svc.Readable, ID: func(r *model.Result) uuid.UUID { return r.ID },
			Caller: f.Member, Own: f.myResult.ID, Foreign: f.theirRes.ID, NotFound: ErrNotFound}.Check(ctx, t)
	})
}
