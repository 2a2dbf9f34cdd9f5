package admin

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
	"github.com/ibutsu-go/ibutsu/pkg/user"
)

// Two superadmins removing each other at the same moment (one demotes,
// one deletes) leave one of them: the second removal is refused with the
// last-superadmin 400, in every round.
func TestUserServiceRemovalsTogetherKeepASuperadmin(t *testing.T) {
	ctx := context.Background()
	testdb.Postgres(t, func(t *testing.T, d *db.DB) {
		svc := NewUserService(NewStore(d), user.NewStore(d), project.NewStore(d), 4)
		testdb.WarmPool(t, d, 4)
		demote := false
		for round := range 10 {
			a, b := newUser(fmt.Sprintf("a%d@example.com", round), true), newUser(fmt.Sprintf("b%d@example.com", round), true)
			testdb.Insert(t, d, a, b)
			errs := testdb.Together(2, func(i int) error {
				if i == 0 { // a demotes b
					return svc.Update(ctx, testdb.Reload[model.User](t, d, b.ID), UserRequest{IsSuperadmin: &demote})
				}
				return svc.Delete(ctx, b, testdb.Reload[model.User](t, d, a.ID)) // b deletes a
			})
			refused := 0
			for _, err := range errs {
				if e, ok := apperr.As(err); ok && strings.HasPrefix(e.Message, "Cannot ") && strings.HasSuffix(e.Message, " the last superadmin user") {
					refused++
				} else if err != nil {
					t.Fatalf("round %d: %v", round, err)
				}
			}
			if n := testdb.Count(t, d, "users", "is_superadmin AND is_active AND email IN ?", []string{a.Email, b.Email}); n != 1 || refused != 1 {
				t.Fatalf("round %d: %d of the two superadmins left, %d removals refused; want 1 and 1", round, n, refused)
			}
			// The survivor steps down so the next round's pair are the only ones.
			if err := d.Conn(ctx).Model(&model.User{}).Where("email IN ?", []string{a.Email, b.Email}).Update("is_superadmin", false).Error; err != nil {
				t.Fatal(err)
			}
		}
	})
}

// An admin's edit saved after the user changed their password keeps the
// new password: Update starts from the row as it is, not from the copy
// Load read before the change.
func TestUserServiceUpdateKeepsAPasswordChangedSinceLoad(t *testing.T) {
	ctx := context.Background()
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		users := user.NewStore(d)
		svc := NewUserService(NewStore(d), users, project.NewStore(d), 4)
		admin, u := newUser("admin@example.com", true), newUser("user@example.com", false)
		u.Password = model.Ptr("old-hash")
		testdb.Insert(t, d, admin, u)
		loaded, err := svc.Load(ctx, admin, u.ID) // the admin opens the account…
		if err != nil {
			t.Fatal(err)
		}
		pw := "the-new-password"
		if _, err := user.NewService(users, 4).UpdateOwn(ctx, u, user.ProfileRequest{Password: &pw}); err != nil { // …the user changes their password…
			t.Fatal(err)
		}
		name := "Renamed"
		if err := svc.Update(ctx, loaded, UserRequest{Profile: user.ProfileRequest{Name: model.Nullable[string]{Set: true, Value: &name}}}); err != nil { // …the admin saves a rename
			t.Fatal(err)
		}
		got := testdb.Reload[model.User](t, d, u.ID)
		if got.Password == nil || *got.Password == "old-hash" {
			t.Fatal("the admin's rename put the old password back")
		}
		if got.Name == nil || *got.Name != name {
			t.Fatalf("name %v, want %s", got.Name, name)
		}
	})
}

// A superadmin demoted and deleted by two requests at once: the two
// wait for each other (never a deadlock), one of them does its work.
func TestUserServiceUpdateAndDeleteOfOneAccountTogether(t *testing.T) {
	ctx := context.Background()
	testdb.Postgres(t, func(t *testing.T, d *db.DB) {
		svc := NewUserService(NewStore(d), user.NewStore(d), project.NewStore(d), 4)
		admin := newUser("admin@example.com", true)
		testdb.Insert(t, d, admin)
		testdb.WarmPool(t, d, 4)
		demote := false
		for round := range 10 {
			u := newUser(fmt.Sprintf("u%d@example.com", round), true)
			testdb.Insert(t, d, u)
			// Each request loaded the account before either writes (a load
			// inside the race could find it deleted already).
			loaded := []*model.User{testdb.Reload[model.User](t, d, u.ID), testdb.Reload[model.User](t, d, u.ID)}
			errs := testdb.Together(2, func(i int) error {
				if i == 0 {
					return svc.Update(ctx, loaded[0], UserRequest{IsSuperadmin: &demote})
				}
				return svc.Delete(ctx, admin, loaded[1])
			})
			if errs[1] != nil {
				t.Fatalf("round %d: delete: %v", round, errs[1])
			}
			if e, ok := apperr.As(errs[0]); errs[0] != nil && (!ok || e.Status != 404) {
				t.Fatalf("round %d: update: %v", round, errs[0])
			}
		}
	})
}
