package widgetconfig_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/dashboard"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
	"github.com/ibutsu-go/ibutsu/pkg/widgetconfig"
)

// These tests hold one side of a race in an open PostgreSQL transaction
// (testdb.WhileHeld) and play the other against it: SQLite admits one
// writer at a time and has no such interleaving.

// movingDashboard is the dashboard PUT's move of d to project to, as
// dashboard.Service.Update runs it in its transaction (its row FOR UPDATE,
// then its configs, then its row), left uncommitted by WhileHeld.
func (f *relockFixture) movingDashboard(d *model.Dashboard, to uuid.UUID) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		st := dashboard.NewStore(f.env.App.DB)
		if err := st.Relock(ctx, d); err != nil {
			return err
		}
		d.ProjectID = &to
		if err := st.Move(ctx, d); err != nil {
			return err
		}
		return st.Save(ctx, d)
	}
}

func (f *relockFixture) dashboard(t *testing.T, project uuid.UUID) *model.Dashboard {
	t.Helper()
	d := &model.Dashboard{ID: uuid.New(), Title: model.Ptr("d"), ProjectID: &project}
	testdb.Insert(t, f.env.App.DB, d)
	return d
}

func onDashboard(id uuid.UUID) model.Nullable[string] {
	s := id.String()
	return model.Nullable[string]{Set: true, Value: &s}
}

// wantProject fails t unless config id is in project p.
func (f *relockFixture) wantProject(t *testing.T, id, p uuid.UUID) {
	t.Helper()
	got := testdb.Reload[model.WidgetConfig](t, f.env.App.DB, id)
	if got.ProjectID == nil || *got.ProjectID != p {
		t.Fatalf("config in project %v, want %s, where its dashboard is", got.ProjectID, p)
	}
}

// A config created on a dashboard while that dashboard moves to another
// project waits for the move and lands in the dashboard's new project, not
// in the project it left (a config of one project on another's dashboard).
func TestServiceCreateOnADashboardBeingMoved(t *testing.T) {
	f := newRelockFixture(t, false)
	ctx := context.Background()
	d := f.dashboard(t, f.mine)
	id := uuid.New()
	waited, err := testdb.WhileHeld(t, f.env.App.DB, f.movingDashboard(d, f.other), func() error {
		_, err := f.svc.Create(ctx, f.env.User, id, widgetconfig.Request{Widget: model.Ptr("result-summary"), DashboardID: onDashboard(d.ID)})
		return err
	})
	if err != nil || !waited {
		t.Fatalf("create: %v (waited for the move: %v)", err, waited)
	}
	f.wantProject(t, id, f.other)
}

// A config moved onto a dashboard that is moving to another project at
// the same time ends in the dashboard's new project too.
func TestServiceUpdateOntoADashboardBeingMoved(t *testing.T) {
	f := newRelockFixture(t, false)
	ctx := context.Background()
	d := f.dashboard(t, f.mine)
	w := f.widget(t, &f.mine, nil)
	waited, err := testdb.WhileHeld(t, f.env.App.DB, f.movingDashboard(d, f.other), func() error {
		_, err := f.svc.Update(ctx, f.env.User, w, widgetconfig.Request{DashboardID: onDashboard(d.ID)})
		return err
	})
	if err != nil || !waited {
		t.Fatalf("update: %v (waited for the move: %v)", err, waited)
	}
	f.wantProject(t, w.ID, f.other)
}

// A member deleting a config while its dashboard moves to a project they
// cannot access gets that project's 403 once the move commits; the config
// stays.
func TestServiceDeleteChecksAConfigBeingCarriedAway(t *testing.T) {
	f := newRelockFixture(t, false)
	ctx := context.Background()
	d := f.dashboard(t, f.mine)
	w := f.widget(t, &f.mine, &d.ID)
	waited, err := testdb.WhileHeld(t, f.env.App.DB, f.movingDashboard(d, f.theirs), func() error {
		return f.svc.Delete(ctx, f.env.User, w.ID)
	})
	if apperr.KindOf(err) != apperr.KindForbidden || !waited {
		t.Fatalf("delete of a config carried into a foreign project: %v (waited: %v), want 403", err, waited)
	}
	f.wantProject(t, w.ID, f.theirs)
}

// A GET that cleans stored params while a PUT changing them is being
// committed cleans the params the PUT wrote, not the ones it read first.
func TestServiceGetKeepsParamsWrittenMeanwhile(t *testing.T) {
	f := newRelockFixture(t, false)
	ctx := context.Background()
	w := &model.WidgetConfig{ID: uuid.New(), ProjectID: &f.mine, Widget: model.Ptr("result-summary"),
		Params: model.JSON{"env": "old", "bogus": true}} // bogus is dropped on read
	testdb.Insert(t, f.env.App.DB, w)
	put := func(ctx context.Context) error {
		return f.env.App.DB.Conn(ctx).Model(w).Update("params", model.JSON{"env": "new", "bogus": true}).Error
	}
	waited, err := testdb.WhileHeld(t, f.env.App.DB, put, func() error {
		got, err := f.svc.Get(ctx, f.env.User, w.ID)
		if err == nil && got.Params["env"] != "new" {
			t.Errorf("GET answered env %v, want the committed new", got.Params["env"])
		}
		return err
	})
	if err != nil || !waited {
		t.Fatalf("get: %v (waited for the PUT: %v)", err, waited)
	}
	got := testdb.Reload[model.WidgetConfig](t, f.env.App.DB, w.ID)
	if got.Params["env"] != "new" || got.Params["bogus"] != nil {
		t.Fatalf("params %v, want the PUT's env cleaned", got.Params)
	}
}

// Dashboard moves, config creates onto the dashboard, config moves onto it
// and saves of a config already on it, all together and repeated: none
// deadlocks (every write locks the dashboard before a config's row) and
// afterwards every config on the dashboard is in the dashboard's project.
func TestWritesTogetherKeepConfigsInTheirDashboardsProject(t *testing.T) {
	f := newRelockFixture(t, false)
	ctx := context.Background()
	d := f.dashboard(t, f.mine)
	on := f.widget(t, &f.mine, &d.ID)
	testdb.WarmPool(t, f.env.App.DB, 6)
	for round := range 15 {
		to := []uuid.UUID{f.other, f.mine}[round%2]
		off := f.widget(t, &f.mine, nil)
		errs := testdb.Together(4, func(i int) error {
			switch i {
			case 0:
				dash, err := f.dashes.Editable(ctx, f.env.User, d.ID)
				if err != nil {
					return err
				}
				target := to.String()
				_, err = f.dashes.Update(ctx, f.env.User, dash, dashboard.Request{ProjectID: model.Nullable[string]{Set: true, Value: &target}})
				return err
			case 1:
				_, err := f.svc.Create(ctx, f.env.User, uuid.New(), widgetconfig.Request{Widget: model.Ptr("result-summary"), DashboardID: onDashboard(d.ID)})
				return err
			case 2:
				_, err := f.svc.Update(ctx, f.env.User, off, widgetconfig.Request{DashboardID: onDashboard(d.ID)})
				return err
			default:
				loaded, err := f.svc.Load(ctx, on.ID, "Widget config not found")
				if err != nil {
					return err
				}
				_, err = f.svc.Update(ctx, f.env.User, loaded, newTitle("round"))
				return err
			}
		})
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d, writer %d: %v", round, i, err)
			}
		}
		if n := testdb.Count(t, f.env.App.DB, "widget_configs", "dashboard_id = ? AND project_id <> ?", d.ID, to); n != 0 {
			t.Fatalf("round %d: %d configs on the dashboard outside its project", round, n)
		}
	}
}
