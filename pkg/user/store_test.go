package user

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

// mustCreate inserts an active user with the given e-mail and password.
func mustCreate(t *testing.T, s *Store, email, password string) *model.User {
	t.Helper()
	hash, err := HashPassword(password, 4)
	if err != nil {
		t.Fatal(err)
	}
	u := &model.User{Email: email, Password: &hash, IsActive: true}
	if err := s.Create(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

// An e-mail names one account however it is cased: EnsureEmailFree refuses
// a case variant of another account's address (but not the account's own),
// ByEmail prefers the exact spelling and matches a variant only when it is
// the one account spelled so.
func TestStoreEmailIsCaseInsensitive(t *testing.T) {
	ctx := context.Background()
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			a := mustCreate(t, s, "Alice@example.com", "pw")
			err := s.EnsureEmailFree(ctx, "alice@EXAMPLE.com", nil)
			if e, ok := apperr.As(err); !ok || httpx.StatusOf(e) != 400 || e.Message != "The user with email alice@EXAMPLE.com already exists" {
				t.Fatalf("case variant of a taken address: %v", err)
			}
			if err := s.EnsureEmailFree(ctx, "ALICE@example.com", a); err != nil {
				t.Fatalf("an account's own address, recased: %v", err)
			}
			got, err := s.ByEmail(ctx, "alice@example.com")
			if err != nil || got.ID != a.ID {
				t.Fatalf("ByEmail(variant) = %v, %v", got, err)
			}
			if _, err := s.ByExactEmail(ctx, "alice@example.com"); !errors.Is(err, auth.ErrUserNotFound) {
				t.Fatalf("ByExactEmail(variant) = %v, want not found", err)
			}
			// Rows written by upstream may differ only by case: no variant
			// then matches, the exact spelling still does.
			b := &model.User{Email: "ALICE@example.com", IsActive: true}
			if err := s.Create(ctx, b); err != nil {
				t.Fatal(err)
			}
			if _, err := s.ByEmail(ctx, "alice@example.com"); !errors.Is(err, auth.ErrUserNotFound) {
				t.Fatalf("ambiguous variant = %v, want not found", err)
			}
			if got, err := s.ByEmail(ctx, "ALICE@example.com"); err != nil || got.ID != b.ID {
				t.Fatalf("exact spelling = %v, %v", got, err)
			}
		})
	}
}

// Saving a new password ends the login tokens issued up to that second;
// saving anything else does not.
func TestStoreSavePasswordEndsLoginTokens(t *testing.T) {
	ctx := context.Background()
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			now := time.Unix(1_700_000_000, 500_000_000)
			s.now = func() time.Time { return now }
			u := mustCreate(t, s, "bob@example.com", "old")
			name := "Bob"
			u.Name = &name
			if err := s.Save(ctx, u); err != nil {
				t.Fatal(err)
			}
			if nb, err := s.LoginNotBefore(ctx, u.ID); err != nil || !nb.IsZero() {
				t.Fatalf("a profile change set the cut-off: %v, %v", nb, err)
			}
			hash, _ := HashPassword("new", 4)
			u.Password = &hash
			if err := s.Save(ctx, u); err != nil {
				t.Fatal(err)
			}
			if _, err := s.ByLoginToken(ctx, u.ID, time.Unix(1_700_000_000, 0)); !errors.Is(err, auth.ErrTokenRevoked) {
				t.Fatalf("token of the change's second: %v, want revoked", err)
			}
			if got, err := s.ByLoginToken(ctx, u.ID, time.Unix(1_700_000_001, 0)); err != nil || got.ID != u.ID {
				t.Fatalf("token after the cut-off: %v, %v", got, err)
			}
		})
	}
}

// A change of is_active drops a pending activation code, never a reset code.
func TestStoreSaveActivationFlipDropsActivationCode(t *testing.T) {
	ctx := context.Background()
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			now := time.Now()
			act := mustCreate(t, s, "act@example.com", "pw")
			reset := mustCreate(t, s, "reset@example.com", "pw")
			if err := s.SetCode(ctx, act, "code-a", PurposeActivation, now); err != nil {
				t.Fatal(err)
			}
			if err := s.SetCode(ctx, reset, "code-r", PurposeReset, now); err != nil {
				t.Fatal(err)
			}
			for _, u := range []*model.User{act, reset} {
				u.IsActive = false
				if err := s.Save(ctx, u); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := s.ByCode(ctx, "code-a", PurposeActivation, time.Hour, now); !errors.Is(err, ErrCodeNotValid) {
				t.Fatalf("activation code after the flip: %v, want not valid", err)
			}
			if got, err := s.ByCode(ctx, "code-r", PurposeReset, time.Hour, now); err != nil || got.ID != reset.ID {
				t.Fatalf("reset code after the flip: %v, %v", got, err)
			}
			if _, err := s.ByCode(ctx, "code-r", PurposeActivation, time.Hour, now); !errors.Is(err, ErrCodeNotValid) {
				t.Fatalf("reset code used to activate: %v, want not valid", err)
			}
		})
	}
}

// An API token counts only while its tokens row holds exactly that JWT.
func TestStoreByAPIToken(t *testing.T) {
	ctx := context.Background()
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			u := mustCreate(t, s, "ci@example.com", "pw")
			if err := s.db.Conn(ctx).Create(&model.Token{Name: "ci", Token: "jwt-1", UserID: &u.ID}).Error; err != nil {
				t.Fatal(err)
			}
			if got, err := s.ByAPIToken(ctx, u.ID, "jwt-1"); err != nil || got.ID != u.ID {
				t.Fatalf("stored token: %v, %v", got, err)
			}
			if _, err := s.ByAPIToken(ctx, u.ID, "jwt-2"); !errors.Is(err, auth.ErrTokenRevoked) {
				t.Fatalf("unknown token: %v, want revoked", err)
			}
		})
	}
}
