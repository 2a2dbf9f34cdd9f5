package user

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// stores opens a migrated store on real PostgreSQL and on SQLite.
func stores(t *testing.T) map[string]*Store {
	t.Helper()
	out := map[string]*Store{}
	for name, d := range testdb.Both(t) {
		out[name] = NewStore(d)
	}
	return out
}

func TestResetPassword(t *testing.T) {
	ctx := context.Background()
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			hash, _ := HashPassword("old-password", 4)
			u := &model.User{Email: "admin@example.com", Password: &hash, IsSuperadmin: true, IsActive: true}
			if err := s.Create(ctx, u); err != nil {
				t.Fatal(err)
			}
			stored := func() *model.User {
				got, err := s.ByID(ctx, u.ID)
				if err != nil {
					t.Fatal(err)
				}
				return got
			}
			if err := ResetPassword(ctx, s, "ADMIN@example.com", "new-password", 4); err != nil {
				t.Fatal(err)
			}
			if got := stored(); !CheckPassword(got.Password, "new-password") || CheckPassword(got.Password, "old-password") || !got.IsSuperadmin {
				t.Fatalf("after reset: %+v", got)
			}
			for _, tc := range []struct {
				email, password string
				want            error
			}{
				{"nobody@example.com", "x", auth.ErrUserNotFound},
				{"admin@example.com", "", ErrEmptyPassword},
				{"admin@example.com", strings.Repeat("p", 73), ErrPasswordTooLong},
			} {
				if err := ResetPassword(ctx, s, tc.email, tc.password, 4); !errors.Is(err, tc.want) {
					t.Fatalf("ResetPassword(%q, %d bytes): %v, want %v", tc.email, len(tc.password), err, tc.want)
				}
			}
			if !CheckPassword(stored().Password, "new-password") {
				t.Fatal("a refused reset changed the password")
			}
		})
	}
}

// IBUTSU_SUPERADMIN_PASSWORD for an account that exists changes nothing,
// and the log says so and names the command that does.
func TestBootstrapSaysPasswordIsIgnored(t *testing.T) {
	ctx := context.Background()
	s := stores(t)["postgres"]
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	cfg := config.Superadmin{Email: "admin@example.com", Password: "first-password", Name: "Admin"}
	if _, _, err := Bootstrap(ctx, s, cfg, 4, false, nil, log); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "reset-password") {
		t.Fatalf("creating the superadmin must not warn: %s", buf.String())
	}
	cfg.Password = "second-password"
	if _, _, err := Bootstrap(ctx, s, cfg, 4, false, nil, log); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"level":"WARN"`) || !strings.Contains(buf.String(), "backend reset-password") {
		t.Fatalf("no hint about the ignored password: %s", buf.String())
	}
	u, err := s.ByEmail(ctx, "admin@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if !CheckPassword(u.Password, "first-password") {
		t.Fatal("bootstrap changed an existing password")
	}
}
