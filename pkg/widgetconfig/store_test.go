package widgetconfig_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"testing"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/dashboard"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
	"github.com/ibutsu-go/ibutsu/pkg/widgetconfig"
)

// TestStore lists, reads, writes and deletes widget configs on PostgreSQL
// and SQLite: a member's list holds the configs whose project and whose
// dashboard's project are readable (a foreign config planted on the
// member's dashboard, or the member's config on a foreign dashboard, stay
// out), and every write is read back from the database.
func TestStore(t *testing.T) {
	for name, sqlite := range map[string]bool{"postgres": false, "sqlite": true} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			env := backendtest.New(t, backendtest.Options{SQLite: sqlite})
			conn := env.App.DB.Conn(ctx)
			create := func(row any) { t.Helper(); testdb.Insert(t, env.App.DB, row) }
			mine, theirs := uuid.New(), uuid.New()
			create(&model.Project{ID: mine, Name: model.Ptr("mine")})
			create(&model.Project{ID: theirs, Name: model.Ptr("theirs")})
			create(&model.UserProject{UserID: env.User.ID, ProjectID: mine})
			myDash, theirDash := &model.Dashboard{ID: uuid.New(), ProjectID: &mine}, &model.Dashboard{ID: uuid.New(), ProjectID: &theirs}
			create(myDash)
			create(theirDash)
			widget := func(title string, project, dash *uuid.UUID) *model.WidgetConfig {
				w := &model.WidgetConfig{ID: uuid.New(), Title: &title, ProjectID: project, DashboardID: dash, Widget: model.Ptr("result-summary"), Weight: model.Ptr(len(title))}
				create(w)
				return w
			}
			own := widget("own", &mine, &myDash.ID)
			widget("global", nil, nil)
			widget("foreign", &theirs, &theirDash.ID)
			widget("planted", &theirs, &myDash.ID)
			widget("mine-on-theirs", &mine, &theirDash.ID)

			s := widgetconfig.NewStore(env.App.DB)
			page := dashboard.Page{Number: 1, Size: 10}
			for _, c := range []struct {
				who  string
				u    *model.User
				want string
			}{{"member", env.User, "[global own]"}, {"superadmin", env.Admin, "[foreign global mine-on-theirs own planted]"}, {"nobody", nil, "[]"}} {
				ws, total, err := s.List(ctx, c.u, "", nil, page)
				got := make([]string, len(ws))
				for i, w := range ws {
					got[i] = *w.Title
				}
				sort.Strings(got)
				if err != nil || fmt.Sprint(got) != c.want || total != int64(len(got)) {
					t.Errorf("list for %s: %v (total %d, %v), want %s", c.who, got, total, err, c.want)
				}
			}
			where, args, err := s.Filter([]string{"title=foreign"})
			if err != nil {
				t.Fatal(err)
			}
			if ws, _, err := s.List(ctx, env.User, where, args, page); err != nil || len(ws) != 0 {
				t.Errorf("a filter naming a foreign config found %d (%v)", len(ws), err)
			}

			got, err := s.Get(ctx, own.ID)
			if err != nil || *got.Title != "own" {
				t.Fatalf("Get = %+v, %v", got, err)
			}
			if _, err := s.Get(ctx, uuid.New()); !errors.Is(err, dashboard.ErrNotFound) {
				t.Errorf("Get of a missing id: %v, want ErrNotFound", err)
			}
			if d, err := s.DashboardOf(ctx, got); err != nil || d == nil || d.ID != myDash.ID {
				t.Errorf("DashboardOf = %+v, %v", d, err)
			}
			if d, err := s.DashboardOf(ctx, &model.WidgetConfig{}); err != nil || d != nil {
				t.Errorf("DashboardOf a config on no dashboard = %+v, %v", d, err)
			}

			got.Params = model.JSON{"k": "v"}
			got.Title = model.Ptr("not saved")
			if err := s.SaveParams(ctx, got); err != nil {
				t.Fatal(err)
			}
			again, _ := s.Get(ctx, own.ID)
			if again.Params["k"] != "v" || *again.Title != "own" {
				t.Errorf("SaveParams wrote %+v", again)
			}
			if err := s.Save(ctx, got); err != nil {
				t.Fatal(err)
			}
			if again, _ := s.Get(ctx, own.ID); *again.Title != "not saved" {
				t.Errorf("Save kept title %q", *again.Title)
			}
			if err := s.Delete(ctx, own.ID); err != nil {
				t.Fatal(err)
			}
			var n int64
			conn.Model(&model.WidgetConfig{}).Count(&n)
			if _, err := s.Get(ctx, own.ID); !errors.Is(err, dashboard.ErrNotFound) || n != 4 {
				t.Errorf("after Delete: %v, %d configs left (want 4)", err, n)
			}
		})
	}
}
