package login

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
	"github.com/ibutsu-go/ibutsu/pkg/user"
)

// One reset code used by several requests at once (a double-clicked or
// replayed link) sets a password once; the others find it spent.
func TestStoreResetCodeUsedTogetherIsSpentOnce(t *testing.T) {
	testdb.Postgres(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		st := newStore(d)
		testdb.WarmPool(t, d, 4)
		now := time.Now()
		for round := range 10 {
			u := st.createActive(ctx, t, fmt.Sprintf("reset-%d@example.com", round), "old")
			code := st.resetCode(ctx, t, u, now)
			errs := testdb.Together(8, func(i int) error {
				got, err := st.byCode(ctx, code, user.PurposeReset, time.Hour, now)
				if err != nil {
					return err
				}
				return st.setPassword(ctx, got, fmt.Sprintf("new-%d", i), code)
			})
			spent := 0
			for i, err := range errs {
				switch {
				case err == nil:
					spent++
				case !errors.Is(err, user.ErrCodeNotValid):
					t.Fatalf("round %d, request %d: %v", round, i, err)
				}
			}
			if spent != 1 {
				t.Fatalf("round %d: the code set %d passwords, want 1", round, spent)
			}
		}
	})
}

// An account an administrator deactivates after a recovery or reset
// request read it stays deactivated: the request's save starts from the
// row as it is, not from the copy it read.
func TestStoreCodeWritesKeepAConcurrentDeactivation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		st := newStore(d)
		now := time.Now()
		u := st.createActive(ctx, t, "victim@example.com", "old")
		deactivate := func() {
			if err := d.Conn(ctx).Model(&model.User{}).Where("id = ?", u.ID).Update("is_active", false).Error; err != nil {
				t.Fatal(err)
			}
		}
		active := func() bool { return testdb.Reload[model.User](t, d, u.ID).IsActive }

		read, err := st.byEmail(ctx, u.Email) // POST /login/recover reads the account…
		if err != nil {
			t.Fatal(err)
		}
		deactivate() // …an administrator deactivates it…
		code := newActivationCode()
		if err := st.setCode(ctx, read, code, user.PurposeReset, now); err != nil { // …and the recovery saves
			t.Fatal(err)
		}
		if active() {
			t.Fatal("the recovery request re-activated the account an administrator deactivated")
		}

		if err := d.Conn(ctx).Model(&model.User{}).Where("id = ?", u.ID).Update("is_active", true).Error; err != nil {
			t.Fatal(err)
		}
		read, err = st.byCode(ctx, code, user.PurposeReset, time.Hour, now) // the reset reads the account…
		if err != nil {
			t.Fatal(err)
		}
		deactivate()
		if err := st.setPassword(ctx, read, "new", code); err != nil {
			t.Fatal(err)
		}
		if active() {
			t.Fatal("the password reset re-activated the account an administrator deactivated")
		}
	})
}
