package login

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
	"github.com/ibutsu-go/ibutsu/pkg/token"
	"github.com/ibutsu-go/ibutsu/pkg/user"
)

func newStore(d *db.DB) store { return store{users: user.NewStore(d), tokens: token.NewStore(d)} }

// createActive stores an active account at email whose password hash is
// password, as the store's tests start from.
func (s store) createActive(ctx context.Context, t *testing.T, email, password string) *model.User {
	t.Helper()
	u := &model.User{Email: email, Password: model.Ptr(password), IsActive: true}
	if err := s.users.Create(ctx, u); err != nil {
		t.Fatal(err)
	}
	return u
}

// resetCode gives u a new reset code issued at now and returns it.
func (s store) resetCode(ctx context.Context, t *testing.T, u *model.User, now time.Time) string {
	t.Helper()
	code := newActivationCode()
	if err := s.setCode(ctx, u, code, user.PurposeReset, now); err != nil {
		t.Fatal(err)
	}
	return code
}

// TestStoreRegisterRefusesTakenEmail: a registration stores an inactive
// account whose code activates it; a second one with the same address in
// another case is upstream's 400 and stores nothing.
func TestStoreRegisterRefusesTakenEmail(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		st := newStore(d)
		now := time.Now()
		code := newActivationCode()
		u := &model.User{Email: "new@example.com", Password: model.Ptr("hash")}
		if err := st.register(ctx, u, code, now); err != nil {
			t.Fatal(err)
		}
		err := st.register(ctx, &model.User{Email: "NEW@example.com", Password: model.Ptr("hash")}, newActivationCode(), now)
		if e, ok := apperr.As(err); !ok || e.Kind != apperr.KindInvalid || e.Message != "The user with email NEW@example.com already exists" {
			t.Fatalf("second registration: %v", err)
		}
		var n int64
		if err := d.Conn(ctx).Model(&model.User{}).Where("lower(email) = ?", "new@example.com").Count(&n).Error; err != nil || n != 1 {
			t.Fatalf("%d accounts with the address (%v), want 1", n, err)
		}
		if _, err := st.byCode(ctx, code, user.PurposeReset, time.Hour, now); !errors.Is(err, user.ErrCodeNotValid) {
			t.Fatalf("activation code used for a reset: %v", err)
		}
		got, err := st.byCode(ctx, code, user.PurposeActivation, time.Hour, now)
		if err != nil || got.ID != u.ID {
			t.Fatalf("byCode = %v, %v", got, err)
		}
		if err := st.activate(ctx, got, code); err != nil {
			t.Fatal(err)
		}
		again, err := st.byEmail(ctx, "New@Example.com")
		if err != nil || again == nil || !again.IsActive || again.ActivationCode != nil {
			t.Fatalf("after activation: %+v, %v", again, err)
		}
		if _, err := st.byCode(ctx, code, user.PurposeActivation, time.Hour, now); !errors.Is(err, user.ErrCodeNotValid) {
			t.Fatalf("a spent code still works: %v", err)
		}
	})
}

// TestStoreByEmailUnknownIsNil: an unknown address is no account, not an
// error.
func TestStoreByEmailUnknownIsNil(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		u, err := newStore(d).byEmail(context.Background(), "nobody@example.com")
		if err != nil || u != nil {
			t.Fatalf("byEmail = %v, %v; want nil, nil", u, err)
		}
	})
}

// TestStoreSetPasswordSpendsCode: a reset stores the new hash and the
// reset code stops working.
func TestStoreSetPasswordSpendsCode(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		st := newStore(d)
		now := time.Now()
		u := st.createActive(ctx, t, "reset@example.com", "old")
		code := st.resetCode(ctx, t, u, now)
		if p, err := st.codePurposeOf(ctx, u); err != nil || p != user.PurposeReset {
			t.Fatalf("codePurposeOf = %q, %v", p, err)
		}
		if err := st.setPassword(ctx, u, "new", code); err != nil {
			t.Fatal(err)
		}
		got, err := st.byEmail(ctx, u.Email)
		if err != nil || got == nil || got.Password == nil || *got.Password != "new" || got.ActivationCode != nil {
			t.Fatalf("after reset: %+v, %v", got, err)
		}
		if _, err := st.byCode(ctx, code, user.PurposeReset, time.Hour, now); !errors.Is(err, user.ErrCodeNotValid) {
			t.Fatalf("a spent reset code still works: %v", err)
		}
	})
}

// TestStoreSaveLoginTokenKeepsOneRow: every login replaces the account's
// login-token row instead of adding one.
func TestStoreSaveLoginTokenKeepsOneRow(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		st := newStore(d)
		u := st.createActive(ctx, t, "tok@example.com", "x")
		for _, jwt := range []string{"first", "second"} {
			if err := st.saveLoginToken(ctx, u.ID, jwt); err != nil {
				t.Fatal(err)
			}
		}
		rows := testdb.Rows[model.Token](t, d, "", "user_id = ?", u.ID)
		if len(rows) != 1 || rows[0].Token != "second" || rows[0].Name != token.LoginName {
			t.Fatalf("login tokens = %+v, want one row holding the last token", rows)
		}
	})
}
