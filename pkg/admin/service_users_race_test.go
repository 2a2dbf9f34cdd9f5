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
