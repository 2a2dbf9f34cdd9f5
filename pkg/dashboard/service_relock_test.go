package dashboard_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/dashboard"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// moveAsAdmin moves dashboard id to project to the way a superadmin's PUT
// does, committed before the test's stale PUT saves.
func (f *fixture) moveAsAdmin(t *testing.T, svc *dashboard.Service, id, to uuid.UUID) {
	t.Helper()
	ctx := context.Background()
	d, err := svc.Editable(ctx, f.env.Admin, id)
	if err != nil {
		t.Fatal(err)
	}
	target := to.String()
	if _, err := svc.Update(ctx, f.env.Admin, d, dashboard.Request{ProjectID: model.Nullable[string]{Set: true, Value: &target}}); err != nil {
		t.Fatal(err)
	}
}

// A dashboard PUT saved after another request moved the dashboard starts
// from the row as it is: the member's new title lands on the dashboard in
// its new project, and the move (with the widget configs it carried) stays.
func TestServiceUpdateKeepsAMoveCommittedSinceLoad(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		other := uuid.New()
		f.create(t, &model.Project{ID: other, Name: model.Ptr("other")})
		f.create(t, &model.UserProject{UserID: f.env.User.ID, ProjectID: other})
		svc := dashboard.NewService(f.store, project.NewStore(f.db))
		d := f.dashboard(t, "old", &f.mine)
		w := f.widget(t, d.ID, &f.mine)

		loaded, err := svc.Editable(ctx, f.env.User, d.ID) // the member opens the dashboard…
		if err != nil {
			t.Fatal(err)
		}
		f.moveAsAdmin(t, svc, d.ID, other) // …an admin moves it to another project of theirs…
		title := "new"                     // …and the member saves a new title.
		if _, err := svc.Update(ctx, f.env.User, loaded, dashboard.Request{Title: &title}); err != nil {
			t.Fatal(err)
		}
		got := testdb.Reload[model.Dashboard](t, f.db, d.ID)
		if got.ProjectID == nil || *got.ProjectID != other {
			t.Fatalf("dashboard project %v, want %s: the save undid the move", got.ProjectID, other)
		}
		if *got.Title != title {
			t.Fatalf("title %q, want %q", *got.Title, title)
		}
		if wp := testdb.Reload[model.WidgetConfig](t, f.db, w.ID).ProjectID; wp == nil || *wp != other {
			t.Fatalf("widget project %v, want %s", wp, other)
		}
	})
}

// A member who loaded a dashboard of their project before it was moved to a
// project they cannot access gets the 403 of that project: the race never
// lets them write into it nor take the dashboard back.
func TestServiceUpdateChecksAccessOnTheRowAsItIs(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		svc := dashboard.NewService(f.store, project.NewStore(f.db))
		d := f.dashboard(t, "old", &f.mine)
		w := f.widget(t, d.ID, &f.mine)

		loaded, err := svc.Editable(ctx, f.env.User, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		f.moveAsAdmin(t, svc, d.ID, f.theirs)
		title := "planted"
		_, err = svc.Update(ctx, f.env.User, loaded, dashboard.Request{Title: &title})
		if apperr.KindOf(err) != apperr.KindForbidden {
			t.Fatalf("stale PUT into a foreign project: %v, want 403", err)
		}
		got := testdb.Reload[model.Dashboard](t, f.db, d.ID)
		if got.ProjectID == nil || *got.ProjectID != f.theirs || *got.Title != "old" {
			t.Fatalf("dashboard %v %q, want it in the foreign project untouched", got.ProjectID, *got.Title)
		}
		if wp := testdb.Reload[model.WidgetConfig](t, f.db, w.ID).ProjectID; wp == nil || *wp != f.theirs {
			t.Fatalf("widget project %v, want %s", wp, f.theirs)
		}
	})
}

// The same member cannot use the race to take a dashboard without widgets
// back into their project either: the check on the project the row is in
// now refuses it, not only the check on the target.
func TestServiceUpdateCannotTakeBackAMovedDashboard(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		svc := dashboard.NewService(f.store, project.NewStore(f.db))
		d := f.dashboard(t, "old", &f.mine)

		loaded, err := svc.Editable(ctx, f.env.User, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		f.moveAsAdmin(t, svc, d.ID, f.theirs)
		back := f.mine.String()
		_, err = svc.Update(ctx, f.env.User, loaded, dashboard.Request{ProjectID: model.Nullable[string]{Set: true, Value: &back}})
		if apperr.KindOf(err) != apperr.KindForbidden {
			t.Fatalf("stale PUT taking the dashboard back: %v, want 403", err)
		}
		if got := testdb.Reload[model.Dashboard](t, f.db, d.ID); got.ProjectID == nil || *got.ProjectID != f.theirs {
			t.Fatalf("dashboard project %v, want %s", got.ProjectID, f.theirs)
		}
	})
}

// A member deleting a dashboard while an admin moves it to a project the
// member cannot access gets that project's 403 once the move commits (the
// move is held open, testdb.WhileHeld); the dashboard and its widget stay.
func TestServiceDeleteChecksADashboardBeingMoved(t *testing.T) {
	f := newFixture(t, false)
	ctx := context.Background()
	svc := dashboard.NewService(f.store, project.NewStore(f.db))
	d := f.dashboard(t, "d", &f.mine)
	w := f.widget(t, d.ID, &f.mine)
	move := func(ctx context.Context) error {
		moved := &model.Dashboard{ID: d.ID}
		if err := f.store.Relock(ctx, moved); err != nil {
			return err
		}
		moved.ProjectID = &f.theirs
		if err := f.store.Move(ctx, moved); err != nil {
			return err
		}
		return f.store.Save(ctx, moved)
	}
	waited, err := testdb.WhileHeld(t, f.db, move, func() error { return svc.Delete(ctx, f.env.User, d.ID) })
	if apperr.KindOf(err) != apperr.KindForbidden || !waited {
		t.Fatalf("delete of a dashboard moved to a foreign project: %v (waited: %v), want 403", err, waited)
	}
	testdb.Reload[model.Dashboard](t, f.db, d.ID)
	testdb.Reload[model.WidgetConfig](t, f.db, w.ID)
}
