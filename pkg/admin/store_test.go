package admin

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
	"github.com/ibutsu-go/ibutsu/pkg/user"
)

// rowCount is a count a test expects: how many rows of table match where
// (with one argument).
type rowCount struct {
	what, table, where string
	arg                any
	want               int64
}

// checkRows reports every count that differs from what the test expects.
func checkRows(t *testing.T, d *db.DB, checks ...rowCount) {
	t.Helper()
	for _, c := range checks {
		if n := testdb.Count(t, d, c.table, c.where, c.arg); n != c.want {
			t.Errorf("%s: %d rows of %s where %s, want %d", c.what, n, c.table, c.where, c.want)
		}
	}
}

func newUser(email string, superadmin bool) *model.User {
	return &model.User{ID: uuid.New(), Email: email, IsActive: true, IsSuperadmin: superadmin}
}

// Deleting a user removes their memberships and tokens and hands their
// projects and dashboards to the new owner; nobody else's rows change.
func TestStoreDeleteUser(t *testing.T) {
	ctx := context.Background()
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		gone, heir, bystander := newUser("gone@example.com", false), newUser("heir@example.com", true), newUser("by@example.com", false)
		p := &model.Project{ID: uuid.New(), Name: model.Ptr("p"), OwnerID: &gone.ID}
		dash := &model.Dashboard{ID: uuid.New(), Title: model.Ptr("d"), UserID: &gone.ID}
		testdb.Insert(t, d, gone, heir, bystander, p, dash,
			&model.UserProject{UserID: gone.ID, ProjectID: p.ID}, &model.UserProject{UserID: bystander.ID, ProjectID: p.ID},
			&model.Token{ID: uuid.New(), Name: "t", Token: "jwt-1", UserID: &gone.ID},
			&model.Token{ID: uuid.New(), Name: "t", Token: "jwt-2", UserID: &bystander.ID})
		if err := NewStore(d).deleteUser(ctx, gone.ID, heir.ID); err != nil {
			t.Fatal(err)
		}
		checkRows(t, d,
			rowCount{"user", "users", "id = ?", gone.ID, 0},
			rowCount{"memberships", "users_projects", "user_id = ?", gone.ID, 0},
			rowCount{"tokens", "tokens", "user_id = ?", gone.ID, 0},
			rowCount{"projects still owned", "projects", "owner_id = ?", gone.ID, 0},
			rowCount{"dashboards still his", "dashboards", "user_id = ?", gone.ID, 0},
			rowCount{"the heir's project", "projects", "owner_id = ?", heir.ID, 1},
			rowCount{"the heir's dashboard", "dashboards", "user_id = ?", heir.ID, 1},
			rowCount{"another user's tokens", "tokens", "user_id = ?", bystander.ID, 1},
			rowCount{"another user's memberships", "users_projects", "user_id = ?", bystander.ID, 1})
	})
}

// Deleting a project keeps its test history without project and removes
// memberships and retention; other projects keep theirs.
func TestStoreDeleteProject(t *testing.T) {
	ctx := context.Background()
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		u := newUser("u@example.com", false)
		gone, kept := &model.Project{ID: uuid.New(), Name: model.Ptr("gone")}, &model.Project{ID: uuid.New(), Name: model.Ptr("kept")}
		run := &model.Run{ID: uuid.New(), ProjectID: &gone.ID}
		other := &model.Run{ID: uuid.New(), ProjectID: &kept.ID}
		testdb.Insert(t, d, u, gone, kept, run, other, &model.Result{ID: uuid.New(), ProjectID: &gone.ID, RunID: &run.ID},
			&model.UserProject{UserID: u.ID, ProjectID: gone.ID}, &model.UserProject{UserID: u.ID, ProjectID: kept.ID})
		seven := 7
		if err := project.NewStore(d).SetRetention(ctx, gone.ID, project.Retention{RunDays: &seven}); err != nil {
			t.Fatal(err)
		}
		if err := NewStore(d).deleteProject(ctx, gone.ID); err != nil {
			t.Fatal(err)
		}
		checkRows(t, d,
			rowCount{"project", "projects", "id = ?", gone.ID, 0},
			rowCount{"memberships", "users_projects", "project_id = ?", gone.ID, 0},
			rowCount{"retention", project.RetentionTable, "project_id = ?", gone.ID, 0},
			rowCount{"run kept without project", "runs", "id = ? AND project_id IS NULL", run.ID, 1},
			rowCount{"results kept without project", "results", "run_id = ? AND project_id IS NULL", run.ID, 1},
			rowCount{"another project's runs", "runs", "project_id = ?", kept.ID, 1},
			rowCount{"another project's memberships", "users_projects", "project_id = ?", kept.ID, 1})
	})
}

// The admin user service never removes the last active superadmin nor
// lets one delete oneself, and replaces memberships with known projects only.
func TestUserServiceGuards(t *testing.T) {
	ctx := context.Background()
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		admin, plain := newUser("admin@example.com", true), newUser("plain@example.com", false)
		p := &model.Project{ID: uuid.New(), Name: model.Ptr("p")}
		testdb.Insert(t, d, admin, plain, p)
		svc := NewUserService(NewStore(d), user.NewStore(d), project.NewStore(d), 4)
		no := false
		target, err := svc.Load(ctx, admin, admin.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.Update(ctx, target, UserRequest{IsSuperadmin: &no}); !isProblem(err, 400) {
			t.Fatalf("demoting the last superadmin: %v, want 400", err)
		}
		if testdb.Count(t, d, "users", "id = ? AND is_superadmin = ?", admin.ID, true) != 1 {
			t.Fatal("the refused demotion was stored")
		}
		if err := svc.Delete(ctx, admin, admin); !isProblem(err, 400) {
			t.Fatalf("deleting oneself: %v, want 400", err)
		}
		if _, err := svc.Load(ctx, plain, admin.ID); !isProblem(err, 403) {
			t.Fatalf("non-admin load: %v, want 403", err)
		}
		target, err = svc.Load(ctx, admin, plain.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.Update(ctx, target, UserRequest{Projects: []uuid.UUID{p.ID, uuid.New()}}); err != nil {
			t.Fatal(err)
		}
		if testdb.Count(t, d, "users_projects", "user_id = ?", plain.ID) != 1 {
			t.Fatal("membership not replaced with the known project only")
		}
		views, err := NewStore(d).userViews(ctx, project.NewStore(d), []model.User{*plain})
		if err != nil || len(views[0].Projects) != 1 || views[0].Projects[0].ID != p.ID.String() {
			t.Fatalf("user view projects = %+v, %v", views, err)
		}
	})
}

// isProblem reports whether err is an apperr problem with status.
func isProblem(err error, status int) bool {
	e, ok := apperr.As(err)
	return ok && e.Status == status && e.Problem
}
