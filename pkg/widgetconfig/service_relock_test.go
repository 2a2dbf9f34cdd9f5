package widgetconfig_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/dashboard"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
	"github.com/ibutsu-go/ibutsu/pkg/widgetconfig"
)

// relockFixture is a database with projects mine and other (env.User is a
// member of both) and theirs (no relation to env.User).
type relockFixture struct {
	env                 *backendtest.Env
	svc                 *widgetconfig.Service
	dashes              *dashboard.Service
	mine, other, theirs uuid.UUID
}

func onBoth(t *testing.T, fn func(t *testing.T, ctx context.Context, f *relockFixture)) {
	for name, sqlite := range map[string]bool{"postgres": false, "sqlite": true} {
		t.Run(name, func(t *testing.T) { fn(t, context.Background(), newRelockFixture(t, sqlite)) })
	}
}

func newRelockFixture(t *testing.T, sqlite bool) *relockFixture {
	env := backendtest.New(t, backendtest.Options{SQLite: sqlite})
	projects := project.NewStore(env.App.DB)
	f := &relockFixture{env: env, mine: uuid.New(), other: uuid.New(), theirs: uuid.New(),
		svc:    widgetconfig.NewService(widgetconfig.NewStore(env.App.DB), projects),
		dashes: dashboard.NewService(dashboard.NewStore(env.App.DB), projects)}
	testdb.Insert(t, env.App.DB,
		&model.Project{ID: f.mine, Name: model.Ptr("mine")}, &model.Project{ID: f.other, Name: model.Ptr("other")},
		&model.Project{ID: f.theirs, Name: model.Ptr("theirs")},
		&model.UserProject{UserID: env.User.ID, ProjectID: f.mine}, &model.UserProject{UserID: env.User.ID, ProjectID: f.other})
	return f
}

func (f *relockFixture) widget(t *testing.T, project, dash *uuid.UUID) *model.WidgetConfig {
	t.Helper()
	w := &model.WidgetConfig{ID: uuid.New(), Title: model.Ptr("old"), ProjectID: project, DashboardID: dash, Widget: model.Ptr("result-summary")}
	testdb.Insert(t, f.env.App.DB, w)
	return w
}

func newTitle(title string) widgetconfig.Request {
	return widgetconfig.Request{Title: model.Nullable[string]{Set: true, Value: &title}}
}

// A member who loaded a config of their project before an admin moved it to
// a project they cannot access gets that project's 403: the stale copy
// neither writes into it nor takes the config back.
func TestServiceUpdateChecksAccessOnTheRowAsItIs(t *testing.T) {
	onBoth(t, func(t *testing.T, ctx context.Context, f *relockFixture) {
		w := f.widget(t, &f.mine, nil)
		loaded, err := f.svc.Load(ctx, w.ID, "Widget config not found") // the member opens the config…
		if err != nil {
			t.Fatal(err)
		}
		theirs := f.theirs.String() // …an admin moves it to a foreign project…
		admins, err := f.svc.Load(ctx, w.ID, "Widget config not found")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Update(ctx, f.env.Admin, admins, widgetconfig.Request{ProjectID: model.Nullable[string]{Set: true, Value: &theirs}}); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.Update(ctx, f.env.User, loaded, newTitle("planted")) // …and the member saves.
		if apperr.KindOf(err) != apperr.KindForbidden {
			t.Fatalf("stale PUT into a foreign project: %v, want 403", err)
		}
		got := testdb.Reload[model.WidgetConfig](t, f.env.App.DB, w.ID)
		if got.ProjectID == nil || *got.ProjectID != f.theirs || *got.Title != "old" {
			t.Fatalf("config %v %q, want it in the foreign project untouched", got.ProjectID, *got.Title)
		}
	})
}

// A config saved after its dashboard moved (carrying the config along)
// starts from the row as it is: the new title lands in the new project,
// where the dashboard is, instead of a 400 for a project that no longer
// matches the dashboard's.
func TestServiceUpdateKeepsADashboardMoveCommittedSinceLoad(t *testing.T) {
	onBoth(t, func(t *testing.T, ctx context.Context, f *relockFixture) {
		d := &model.Dashboard{ID: uuid.New(), Title: model.Ptr("d"), ProjectID: &f.mine}
		testdb.Insert(t, f.env.App.DB, d)
		w := f.widget(t, &f.mine, &d.ID)
		loaded, err := f.svc.Load(ctx, w.ID, "Widget config not found")
		if err != nil {
			t.Fatal(err)
		}
		dash, err := f.dashes.Editable(ctx, f.env.User, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		other := f.other.String()
		if _, err := f.dashes.Update(ctx, f.env.User, dash, dashboard.Request{ProjectID: model.Nullable[string]{Set: true, Value: &other}}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Update(ctx, f.env.User, loaded, newTitle("new")); err != nil {
			t.Fatal(err)
		}
		got := testdb.Reload[model.WidgetConfig](t, f.env.App.DB, w.ID)
		if got.ProjectID == nil || *got.ProjectID != f.other || *got.Title != "new" {
			t.Fatalf("config %v %q, want %s %q", got.ProjectID, *got.Title, f.other, "new")
		}
	})
}
