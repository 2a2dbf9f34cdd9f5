package user

import (
	"context"
	"fmt"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// A user saving their profile while an administrator deactivates them:
// the account ends deactivated whichever commits first (the profile save
// starts from the row as it is, under its lock, not from an earlier copy).
func TestUpdateOwnKeepsADeactivationCommittedMeanwhile(t *testing.T) {
	ctx := context.Background()
	s := stores(t)["postgres"]
	testdb.WarmPool(t, s.db, 4)
	svc := NewService(s, 4)
	for round := range 30 {
		u := &model.User{Email: fmt.Sprintf("u%d@example.com", round), IsActive: true}
		if err := s.Create(ctx, u); err != nil {
			t.Fatal(err)
		}
		name := "New Name"
		errs := testdb.Together(2, func(i int) error {
			if i == 0 {
				_, err := svc.UpdateOwn(ctx, u, ProfileRequest{Name: model.Nullable[string]{Set: true, Value: &name}})
				return err
			}
			return s.db.Conn(ctx).Model(&model.User{}).Where("id = ?", u.ID).Update("is_active", false).Error
		})
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d, request %d: %v", round, i, err)
			}
		}
		if got := testdb.Reload[model.User](t, s.db, u.ID); got.IsActive {
			t.Fatalf("round %d: the profile save re-activated the account", round)
		}
	}
}

// `backend reset-password` run while an administrator deactivates the
// account (held uncommitted, testdb.WhileHeld) sets the new password and
// keeps the deactivation: the reset saves the row as it is after the
// administrator's commit, not the copy its e-mail look-up read.
func TestResetPasswordKeepsADeactivationCommittedMeanwhile(t *testing.T) {
	ctx := context.Background()
	s := stores(t)["postgres"]
	u := &model.User{Email: "admin@example.com", Password: model.Ptr("old"), IsActive: true, IsSuperadmin: true}
	if err := s.Create(ctx, u); err != nil {
		t.Fatal(err)
	}
	deactivate := func(ctx context.Context) error {
		return s.db.Conn(ctx).Model(&model.User{}).Where("id = ?", u.ID).Update("is_active", false).Error
	}
	waited, err := testdb.WhileHeld(t, s.db, deactivate, func() error {
		return ResetPassword(ctx, s, u.Email, "new-password", 4)
	})
	if err != nil || !waited {
		t.Fatalf("reset: %v (waited for the administrator: %v)", err, waited)
	}
	got := testdb.Reload[model.User](t, s.db, u.ID)
	if got.IsActive {
		t.Fatal("the password reset re-activated the account an administrator deactivated")
	}
	if got.Password == nil || !CheckPassword(got.Password, "new-password") {
		t.Fatal("the new password was not set")
	}
}
