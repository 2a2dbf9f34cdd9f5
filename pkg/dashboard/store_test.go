package dashboard_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/dashboard"
	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// fixture is a database with two projects: mine (env.User is a member)
// and theirs (no relation to env.User).
type fixture struct {
	env          *backendtest.Env
	db           *db.DB
	store        *dashboard.Store
	mine, theirs uuid.UUID
}

// onBothDatabases runs fn on a fresh PostgreSQL and a fresh SQLite database.
func onBothDatabases(t *testing.T, fn func(t *testing.T, f *fixture)) {
	for name, sqlite := range map[string]bool{"postgres": false, "sqlite": true} {
		t.Run(name, func(t *testing.T) { fn(t, newFixture(t, sqlite)) })
	}
}

// newFixture seeds projects mine (env.User is a member) and theirs on a
// fresh PostgreSQL database, or SQLite one.
func newFixture(t *testing.T, sqlite bool) *fixture {
	env := backendtest.New(t, backendtest.Options{SQLite: sqlite})
	f := &fixture{env: env, db: env.App.DB, store: dashboard.NewStore(env.App.DB), mine: uuid.New(), theirs: uuid.New()}
	f.create(t, &model.Project{ID: f.mine, Name: model.Ptr("mine")})
	f.create(t, &model.Project{ID: f.theirs, Name: model.Ptr("theirs")})
	f.create(t, &model.UserProject{UserID: env.User.ID, ProjectID: f.mine})
	return f
}

func (f *fixture) create(t *testing.T, row any) {
	t.Helper()
	testdb.Insert(t, f.db, row)
}

func (f *fixture) dashboard(t *testing.T, title string, project *uuid.UUID) *model.Dashboard {
	t.Helper()
	d := &model.Dashboard{ID: uuid.New(), Title: &title, ProjectID: project}
	f.create(t, d)
	return d
}

func (f *fixture) widget(t *testing.T, dash uuid.UUID, project *uuid.UUID) *model.WidgetConfig {
	t.Helper()
	w := &model.WidgetConfig{ID: uuid.New(), DashboardID: &dash, ProjectID: project, Widget: model.Ptr("result-summary")}
	f.create(t, w)
	return w
}

// setDefault makes dashboard id the default of projects.
func (f *fixture) setDefault(t *testing.T, id uuid.UUID, projects ...uuid.UUID) {
	t.Helper()
	if err := f.db.Conn(context.Background()).Model(&model.Project{}).Where("id IN ?", projects).Update("default_dashboard_id", id).Error; err != nil {
		t.Fatal(err)
	}
}

func titles(ds []model.Dashboard) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = *d.Title
	}
	return out
}

func TestStoreListKeepsToReadableRows(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		s := f.store
		f.dashboard(t, "b-mine", &f.mine)
		f.dashboard(t, "a-global", nil)
		f.dashboard(t, "c-theirs", &f.theirs)
		page := dashboard.Page{Number: 1, Size: 10}
		for _, tc := range []struct {
			name  string
			u     *model.User
			only  *uuid.UUID
			want  []string
			total int64
		}{
			{"member", f.env.User, nil, []string{"a-global", "b-mine"}, 2},
			{"superadmin", f.env.Admin, nil, []string{"a-global", "b-mine", "c-theirs"}, 3},
			{"nobody", nil, nil, []string{}, 0},
			{"member, one project", f.env.User, &f.mine, []string{"b-mine"}, 1},
			{"member, a foreign project", f.env.User, &f.theirs, []string{}, 0},
		} {
			ds, total, err := s.List(ctx, tc.u, "", nil, tc.only, page)
			if err != nil {
				t.Fatal(err)
			}
			if got := titles(ds); total != tc.total || fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("%s: got %v (total %d), want %v (total %d)", tc.name, got, total, tc.want, tc.total)
			}
		}
		where, args, err := s.Filter([]string{"title=c-theirs"}, filter.Dashboards)
		if err != nil {
			t.Fatal(err)
		}
		if ds, _, err := s.List(ctx, f.env.User, where, args, nil, page); err != nil || len(ds) != 0 {
			t.Errorf("a filter naming a foreign dashboard found %v (%v)", titles(ds), err)
		}
		if ds, _, err := s.List(ctx, f.env.Admin, where, args, nil, page); err != nil || len(ds) != 1 {
			t.Errorf("the superadmin's filtered list is %v (%v), want [c-theirs]", titles(ds), err)
		}
	})
}

func TestStoreGetAndExists(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		s := f.store
		d := f.dashboard(t, "one", &f.mine)
		if got, err := s.Get(ctx, d.ID); err != nil || *got.Title != "one" {
			t.Fatalf("Get = %v, %v", got, err)
		}
		if _, err := s.Get(ctx, uuid.New()); !errors.Is(err, dashboard.ErrNotFound) {
			t.Errorf("Get of a missing id: %v, want ErrNotFound", err)
		}
		for _, c := range []struct {
			fn   func(context.Context, uuid.UUID) (bool, error)
			id   uuid.UUID
			want bool
		}{{s.ProjectExists, f.mine, true}, {s.ProjectExists, uuid.New(), false}, {s.UserExists, f.env.User.ID, true}, {s.UserExists, f.mine, false}} {
			if got, err := c.fn(ctx, c.id); err != nil || got != c.want {
				t.Errorf("exists(%s) = %v, %v; want %v", c.id, got, err, c.want)
			}
		}
	})
}

// TestStoreMoveCarriesWidgetsAndDropsForeignDefaults checks the database
// after a move: every widget of the dashboard has the new project, the old
// project no longer has it as default, the new project keeps it.
func TestStoreMoveCarriesWidgetsAndDropsForeignDefaults(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		s := f.store
		d := f.dashboard(t, "moving", &f.mine)
		other := f.dashboard(t, "staying", &f.mine)
		f.widget(t, d.ID, &f.mine)
		f.widget(t, d.ID, &f.mine)
		f.widget(t, d.ID, nil)
		kept := f.widget(t, other.ID, &f.mine)
		f.setDefault(t, d.ID, f.mine, f.theirs)
		projects, err := s.WidgetProjects(ctx, d.ID)
		if err != nil || len(projects) != 2 {
			t.Fatalf("WidgetProjects = %v, %v; want mine and global", projects, err)
		}
		d.ProjectID = &f.theirs
		if err := s.Tx(ctx, func(ctx context.Context) error { return s.Move(ctx, d) }); err != nil {
			t.Fatal(err)
		}
		conn := f.db.Conn(ctx)
		var n int64
		conn.Model(&model.WidgetConfig{}).Where("dashboard_id = ? AND project_id = ?", d.ID, f.theirs).Count(&n)
		if n != 3 {
			t.Errorf("%d of 3 widgets moved", n)
		}
		var k model.WidgetConfig
		conn.Where("id = ?", kept.ID).Take(&k)
		if k.ProjectID == nil || *k.ProjectID != f.mine {
			t.Errorf("a widget of another dashboard moved to %v", k.ProjectID)
		}
		var mine, theirs model.Project
		conn.Where("id = ?", f.mine).Take(&mine)
		conn.Where("id = ?", f.theirs).Take(&theirs)
		if mine.DefaultDashboardID != nil {
			t.Errorf("the old project still has the moved dashboard as default")
		}
		if theirs.DefaultDashboardID == nil || *theirs.DefaultDashboardID != d.ID {
			t.Errorf("the new project lost its default dashboard: %v", theirs.DefaultDashboardID)
		}
	})
}

// TestStoreDeleteTakesWhatHangsOnIt checks the database after a delete: the
// dashboard and its widgets are gone, projects lost it as default, the
// other dashboard's widgets stay.
func TestStoreDeleteTakesWhatHangsOnIt(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		s := f.store
		d, other := f.dashboard(t, "doomed", &f.mine), f.dashboard(t, "other", &f.mine)
		f.widget(t, other.ID, &f.mine)
		f.widget(t, d.ID, &f.mine)
		f.setDefault(t, d.ID, f.mine)
		if err := s.Delete(ctx, d.ID); err != nil {
			t.Fatal(err)
		}
		conn := f.db.Conn(ctx)
		var dashes, widgets, defaults int64
		conn.Model(&model.Dashboard{}).Count(&dashes)
		conn.Model(&model.WidgetConfig{}).Count(&widgets)
		conn.Model(&model.Project{}).Where("default_dashboard_id IS NOT NULL").Count(&defaults)
		if dashes != 1 || widgets != 1 || defaults != 0 {
			t.Errorf("after delete: %d dashboards, %d widgets, %d default links; want 1, 1, 0", dashes, widgets, defaults)
		}
	})
}
