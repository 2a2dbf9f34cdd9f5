package project

import (
	"context"
	"fmt"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// Names are unique by the service's rule only (upstream's schema has no
// index): requests creating one name together make one project, and the
// others get upstream's 400, in every round.
func TestServiceCreatesTogetherMakeOneProjectPerName(t *testing.T) {
	testdb.PostgresFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) {
		svc := NewService(f.s)
		testdb.WarmPool(t, d, 4)
		for round := range 10 {
			name := fmt.Sprintf("race-%d", round)
			errs := testdb.Together(8, func(int) error {
				_, err := svc.Create(ctx, f.owner, CreateRequest{Name: &name})
				return err
			})
			checkOneWinner(t, errs, name)
			if n := testdb.Count(t, d, "projects", "name = ?", name); n != 1 {
				t.Fatalf("round %d: %d projects named %s, want 1", round, n, name)
			}
		}
	})
}

// Projects renamed to one free name together: one takes it.
func TestServiceRenamesTogetherTakeANameOnce(t *testing.T) {
	testdb.PostgresFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) {
		svc := NewService(f.s)
		testdb.WarmPool(t, d, 4)
		for round := range 10 {
			ps := make([]*model.Project, 8)
			for i := range ps {
				ps[i] = &model.Project{Name: model.Ptr(fmt.Sprintf("old-%d-%d", round, i)), OwnerID: &f.owner.ID}
				if err := f.s.Create(ctx, ps[i], f.owner); err != nil {
					t.Fatal(err)
				}
			}
			name := fmt.Sprintf("renamed-%d", round)
			errs := testdb.Together(len(ps), func(i int) error {
				return svc.Update(ctx, ps[i], UpdateRequest{Name: &name}, false)
			})
			checkOneWinner(t, errs, name)
			if n := testdb.Count(t, d, "projects", "name = ?", name); n != 1 {
				t.Fatalf("round %d: %d projects named %s, want 1", round, n, name)
			}
		}
	})
}

// checkOneWinner: exactly one call succeeded, every other is upstream's
// 400 for a taken name.
func checkOneWinner(t *testing.T, errs []error, name string) {
	t.Helper()
	won := 0
	for i, err := range errs {
		if err == nil {
			won++
			continue
		}
		if e, ok := apperr.As(err); !ok || e.Message != "Project with name "+name+" already exists" {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if won != 1 {
		t.Fatalf("%d calls took %s, want 1", won, name)
	}
}

// A project PUT saved after another request changed the project keeps that
// change: a dashboard moved away cleared the project's default dashboard,
// and an owner's save from the copy read before must not put it back.
func TestServiceUpdateKeepsAChangeCommittedSinceLoad(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) {
		svc := NewService(f.s)
		loaded, err := LoadOwned(ctx, f.s, f.owner, f.a.ID) // the owner opens the project…
		if err != nil || loaded.DefaultDashboardID == nil {
			t.Fatalf("load: %+v, %v", loaded, err)
		}
		// …its default dashboard moves to another project, which clears the link…
		if err := d.Conn(ctx).Model(&model.Project{}).Where("id = ?", f.a.ID).Update("default_dashboard_id", nil).Error; err != nil {
			t.Fatal(err)
		}
		title := "New title" // …and the owner saves a new title.
		if err := svc.Update(ctx, loaded, UpdateRequest{Title: model.Nullable[string]{Set: true, Value: &title}}, false); err != nil {
			t.Fatal(err)
		}
		got := f.reload(t, f.a.ID)
		if got.DefaultDashboardID != nil {
			t.Fatal("the owner's save pointed the project at the dashboard that had moved away")
		}
		if got.Title == nil || *got.Title != title {
			t.Fatalf("title %v, want %s", got.Title, title)
		}
	})
}
