package token

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// seedUser inserts a user the tokens can belong to.
func seedUser(t *testing.T, d *db.DB, email string) uuid.UUID {
	t.Helper()
	u := &model.User{ID: uuid.New(), Email: email, IsActive: true}
	if err := d.Conn(context.Background()).Create(u).Error; err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// The list shows one user's API tokens, paged by name, never the login
// token and never another user's.
func TestStoreListHidesLoginTokenAndOthers(t *testing.T) {
	ctx := context.Background()
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		s := NewStore(d)
		me, other := seedUser(t, d, "me@example.com"), seedUser(t, d, "other@example.com")
		for _, n := range []string{"b", "a", "c"} {
			if err := s.Create(ctx, &model.Token{Name: n, Token: "jwt-" + n, UserID: &me}); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Create(ctx, &model.Token{Name: "theirs", Token: "jwt-x", UserID: &other}); err != nil {
			t.Fatal(err)
		}
		if err := s.UpsertLogin(ctx, me, "login-1"); err != nil {
			t.Fatal(err)
		}
		ts, total, err := s.List(ctx, me, 1, 2)
		if err != nil {
			t.Fatal(err)
		}
		if total != 3 || len(ts) != 2 || ts[0].Name != "a" || ts[1].Name != "b" {
			t.Fatalf("page 1 = %d rows of %d: %+v", len(ts), total, ts)
		}
		ts, _, err = s.List(ctx, me, 2, 2)
		if err != nil || len(ts) != 1 || ts[0].Name != "c" {
			t.Fatalf("page 2 = %+v, %v", ts, err)
		}
	})
}

// Every login replaces the one login-token row instead of adding rows.
func TestStoreUpsertLoginKeepsOneRow(t *testing.T) {
	ctx := context.Background()
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		s := NewStore(d)
		me := seedUser(t, d, "me@example.com")
		for _, jwt := range []string{"login-1", "login-2"} {
			if err := s.UpsertLogin(ctx, me, jwt); err != nil {
				t.Fatal(err)
			}
		}
		rows := testdb.Rows[model.Token](t, d, "", "user_id = ? AND name = ?", me, LoginName)
		if len(rows) != 1 || rows[0].Token != "login-2" {
			t.Fatalf("login rows = %+v", rows)
		}
	})
}

// ByID tells a missing token apart; Delete and DeleteForUser remove rows
// of the named token or user only.
func TestStoreDelete(t *testing.T) {
	ctx := context.Background()
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		s := NewStore(d)
		me, other := seedUser(t, d, "me@example.com"), seedUser(t, d, "other@example.com")
		mine := &model.Token{Name: "mine", Token: "jwt-1", UserID: &me}
		theirs := &model.Token{Name: "theirs", Token: "jwt-2", UserID: &other}
		for _, tk := range []*model.Token{mine, theirs, {Name: "mine-2", Token: "jwt-3", UserID: &me}} {
			if err := s.Create(ctx, tk); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Delete(ctx, mine.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ByID(ctx, mine.ID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("deleted token: %v, want ErrNotFound", err)
		}
		if err := s.DeleteForUser(ctx, me); err != nil {
			t.Fatal(err)
		}
		var left []model.Token
		if err := d.Conn(ctx).Find(&left).Error; err != nil {
			t.Fatal(err)
		}
		if len(left) != 1 || left[0].ID != theirs.ID {
			t.Fatalf("tokens left = %+v, want only the other user's", left)
		}
	})
}

// CI jobs sharing one account log in at the same moment: their first
// logins leave one login-token row, not one each. Each round races the
// first logins of a new account, on a pool whose connections are open.
func TestStoreUpsertLoginTogetherKeepsOneRow(t *testing.T) {
	ctx := context.Background()
	testdb.Postgres(t, func(t *testing.T, d *db.DB) {
		s := NewStore(d)
		testdb.WarmPool(t, d, 4)
		for round := range 10 {
			me := seedUser(t, d, fmt.Sprintf("ci-%d@example.com", round))
			errs := testdb.Together(8, func(i int) error { return s.UpsertLogin(ctx, me, fmt.Sprintf("login-%d", i)) })
			for i, err := range errs {
				if err != nil {
					t.Fatalf("round %d, login %d: %v", round, i, err)
				}
			}
			if n := testdb.Count(t, d, "tokens", "user_id = ? AND name = ?", me, LoginName); n != 1 {
				t.Fatalf("round %d: %d login-token rows, want 1", round, n)
			}
		}
	})
}
