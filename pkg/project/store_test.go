package project

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// fixture is two projects A (owned by owner, member) and B (outsider's).
type fixture struct {
	s                    *Store
	d                    *db.DB
	owner, member, other *model.User
	a, b                 *model.Project
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{s: NewStore(d), d: d}
	for _, u := range []**model.User{&f.owner, &f.member, &f.other} {
		*u = &model.User{ID: uuid.New(), Email: uuid.NewString() + "@example.com", IsActive: true}
		if err := d.Conn(ctx).Create(*u).Error; err != nil {
			t.Fatal(err)
		}
	}
	f.a = &model.Project{Name: model.Ptr("a"), OwnerID: &f.owner.ID}
	f.b = &model.Project{Name: model.Ptr("b"), OwnerID: &f.other.ID}
	if err := f.s.Create(ctx, f.a, f.owner); err != nil {
		t.Fatal(err)
	}
	if err := f.s.Create(ctx, f.b, f.other); err != nil {
		t.Fatal(err)
	}
	if err := f.s.AddMembers(ctx, f.a.ID, f.member.ID); err != nil {
		t.Fatal(err)
	}
	return f
}

// reload reads a project back from the database.
func (f *fixture) reload(t *testing.T, id uuid.UUID) *model.Project {
	t.Helper()
	var p model.Project
	if err := f.d.Conn(context.Background()).Where("id = ?", id).Take(&p).Error; err != nil {
		t.Fatal(err)
	}
	return &p
}

// A new project gets its own default dashboard, seeded once with the
// default widgets, and its owner as member.
func TestStoreCreateSeedsDashboardAndOwner(t *testing.T) {
	ctx := context.Background()
	testdb.EachFixture(t, newFixture, func(t *testing.T, _ context.Context, d *db.DB, f *fixture) {
		p := f.reload(t, f.a.ID)
		if p.DefaultDashboardID == nil {
			t.Fatal("no default dashboard")
		}
		dash, err := f.s.dashboard(ctx, *p.DefaultDashboardID)
		if err != nil || dash.ProjectID == nil || *dash.ProjectID != f.a.ID || *dash.Title != defaultDashboardTitle {
			t.Fatalf("default dashboard = %+v, %v", dash, err)
		}
		members, err := f.s.Members(ctx, []uuid.UUID{f.a.ID})
		if err != nil || len(members[f.a.ID]) != 2 {
			t.Fatalf("members = %+v, %v", members, err)
		}
		// The dashboard starts with the default widgets, in order, in the project.
		widgets := func() []model.WidgetConfig {
			return testdb.Rows[model.WidgetConfig](t, d, "weight", "dashboard_id = ?", dash.ID)
		}
		ws := widgets()
		if len(ws) != len(DefaultWidgets) {
			t.Fatalf("%d widgets, want %d", len(ws), len(DefaultWidgets))
		}
		for i, w := range ws {
			if *w.Widget != DefaultWidgets[i].Widget || *w.Type != "widget" || w.ProjectID == nil || *w.ProjectID != f.a.ID ||
				w.Params["project"] != f.a.ID.String() {
				t.Errorf("widget %d = %s %+v", i, *w.Widget, w)
			}
		}
		// Seeding again adds nothing.
		if err := f.s.seedDefaultWidgets(ctx, dash.ID, f.a.ID); err != nil {
			t.Fatal(err)
		}
		if n := len(widgets()); n != len(DefaultWidgets) {
			t.Errorf("after a second seeding: %d widgets", n)
		}
	})
}

// Access: members and owners of a project, and superadmins; nobody else.
func TestStoreCanAccessAndScope(t *testing.T) {
	ctx := context.Background()
	testdb.EachFixture(t, newFixture, func(t *testing.T, _ context.Context, d *db.DB, f *fixture) {
		admin := &model.User{ID: uuid.New(), IsSuperadmin: true}
		for _, c := range []struct {
			u    *model.User
			p    *model.Project
			want bool
		}{{f.owner, f.a, true}, {f.member, f.a, true}, {f.other, f.a, false}, {f.member, f.b, false}, {admin, f.b, true}} {
			got, err := f.s.CanAccess(ctx, c.u, c.p.ID)
			if err != nil || got != c.want {
				t.Fatalf("CanAccess(%s, %s) = %v, %v; want %v", c.u.Email, *c.p.Name, got, err, c.want)
			}
		}
		if err := f.s.RequireAccess(ctx, f.member, nil); !isStatus(err, 403) {
			t.Fatalf("project-less row: %v, want 403", err)
		}
		ids, err := f.s.MemberProjectIDs(ctx, f.member)
		if err != nil || len(ids) != 1 || ids[0] != f.a.ID {
			t.Fatalf("MemberProjectIDs = %v, %v", ids, err)
		}
		if _, err := f.s.ListScope(ctx, admin, nil); !isStatus(err, 400) {
			t.Fatalf("unscoped superadmin list: %v, want 400", err)
		}
	})
}

// A result may only name a run of its own project; a foreign run is a 403
// and leaves the run where it is.
func TestStoreRequireRunInProject(t *testing.T) {
	ctx := context.Background()
	testdb.EachFixture(t, newFixture, func(t *testing.T, _ context.Context, d *db.DB, f *fixture) {
		runB := &model.Run{ID: uuid.New(), ProjectID: &f.b.ID}
		orphan := &model.Run{ID: uuid.New()}
		testdb.Insert(t, d, runB, orphan)
		if err := f.s.RequireRunInProject(ctx, f.member, runB.ID, &f.a.ID); !isStatus(err, 403) {
			t.Fatalf("foreign run: %v, want 403", err)
		}
		if err := f.s.RequireRunInProject(ctx, f.other, runB.ID, &f.a.ID); !isStatus(err, 400) {
			t.Fatalf("own run, other project: %v, want 400", err)
		}
		if err := f.s.RequireRunInProject(ctx, f.member, uuid.New(), &f.a.ID); !isStatus(err, 400) {
			t.Fatalf("unknown run: %v, want 400", err)
		}
		admin := &model.User{ID: uuid.New(), IsSuperadmin: true}
		if err := f.s.RequireRunInProject(ctx, admin, orphan.ID, &f.a.ID); err != nil {
			t.Fatal(err)
		}
		var got model.Run
		if err := d.Conn(ctx).Where("id = ?", runB.ID).Take(&got).Error; err != nil || *got.ProjectID != f.b.ID {
			t.Fatalf("foreign run moved: %+v, %v", got, err)
		}
		var homed model.Run
		if err := d.Conn(ctx).Where("id = ?", orphan.ID).Take(&homed).Error; err != nil || homed.ProjectID == nil || *homed.ProjectID != f.a.ID {
			t.Fatalf("project-less run not homed: %+v, %v", homed, err)
		}
	})
}

// The list restricts to member projects unless asked for all, and by owner.
func TestStoreList(t *testing.T) {
	ctx := context.Background()
	testdb.EachFixture(t, newFixture, func(t *testing.T, _ context.Context, d *db.DB, f *fixture) {
		ps, total, err := f.s.list(ctx, listQuery{MemberOf: &f.member.ID, Page: 1, PageSize: 10})
		if err != nil || total != 1 || ps[0].ID != f.a.ID {
			t.Fatalf("member list = %v (%d), %v", ps, total, err)
		}
		ps, total, err = f.s.list(ctx, listQuery{OwnerID: &f.other.ID, Page: 1, PageSize: 10})
		if err != nil || total != 1 || ps[0].ID != f.b.ID {
			t.Fatalf("owner list = %v (%d), %v", ps, total, err)
		}
		where, args, err := f.s.filterWhere([]string{"name=b"})
		if err != nil {
			t.Fatal(err)
		}
		ps, total, err = f.s.list(ctx, listQuery{Where: where, Args: args, Page: 1, PageSize: 10})
		if err != nil || total != 1 || ps[0].ID != f.b.ID {
			t.Fatalf("filtered list = %v (%d), %v", ps, total, err)
		}
	})
}

// Retention overrides are stored, merged and cleared (all nil removes the row).
func TestStoreRetention(t *testing.T) {
	ctx := context.Background()
	testdb.EachFixture(t, newFixture, func(t *testing.T, _ context.Context, d *db.DB, f *fixture) {
		seven := 7
		if err := f.s.SetRetention(ctx, f.a.ID, Retention{RunDays: &seven}); err != nil {
			t.Fatal(err)
		}
		r, err := f.s.Retention(ctx, f.a.ID)
		if err != nil || r.RunDays == nil || *r.RunDays != 7 || r.ResultDays != nil {
			t.Fatalf("retention = %+v, %v", r, err)
		}
		if err := f.s.SetRetention(ctx, f.a.ID, Retention{}); err != nil {
			t.Fatal(err)
		}
		var n int64
		if err := d.Conn(ctx).Table(RetentionTable).Where("project_id = ?", f.a.ID).Count(&n).Error; err != nil || n != 0 {
			t.Fatalf("cleared retention rows = %d, %v", n, err)
		}
	})
}

// A member who does not own a project cannot change it, and no project
// can take another project's dashboard as its default; the rows stay.
func TestServiceUpdateRefusesForeignWrites(t *testing.T) {
	ctx := context.Background()
	testdb.EachFixture(t, newFixture, func(t *testing.T, _ context.Context, d *db.DB, f *fixture) {
		svc := NewService(f.s)
		before := f.reload(t, f.a.ID)
		_, err := svc.UpdateOwned(ctx, f.member, f.a.ID, UpdateRequest{Name: model.Ptr("renamed")})
		if !isStatus(err, 403) {
			t.Fatalf("member update: %v, want 403", err)
		}
		foreign := f.reload(t, f.b.ID).DefaultDashboardID.String()
		req := UpdateRequest{Refs: Refs{DefaultDashboardID: model.Nullable[string]{Set: true, Value: &foreign}}}
		if _, err := svc.UpdateOwned(ctx, f.owner, f.a.ID, req); !isStatus(err, 400) {
			t.Fatalf("foreign default dashboard: %v, want 400", err)
		}
		after := f.reload(t, f.a.ID)
		if *after.Name != *before.Name || *after.DefaultDashboardID != *before.DefaultDashboardID {
			t.Fatalf("refused updates changed the row: %+v", after)
		}
		if _, err := svc.Readable(ctx, f.other, f.a.ID); !isStatus(err, 401) {
			t.Fatalf("outsider read: %v, want 401", err)
		}
	})
}

// isStatus reports whether err is an apperr error with status.
func isStatus(err error, status int) bool {
	e, ok := apperr.As(err)
	return ok && httpx.StatusOf(e) == status && !errors.Is(err, ErrNotFound)
}

// Replicas started together each ensure the superadmin's own project at
// once: names are not unique in the schema, so only the name lock keeps
// them from creating one copy each.
func TestEnsureOwnedProjectOfReplicasStartingTogether(t *testing.T) {
	testdb.PostgresFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) {
		testdb.WarmPool(t, d, 4)
		const replicas = 8
		errs := testdb.Together(replicas, func(int) error { return f.s.EnsureOwnedProject(ctx, "own", f.owner) })
		for i, err := range errs {
			if err != nil {
				t.Errorf("replica %d: %v", i, err)
			}
		}
		var n int64
		if err := d.Conn(ctx).Model(&model.Project{}).Where("name = ?", "own").Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Fatalf("%d projects named own, want 1", n)
		}
	})
}
