package login

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
	"github.com/ibutsu-go/ibutsu/pkg/token"
	"github.com/ibutsu-go/ibutsu/pkg/user"
)

// A person's first sign-in through a provider often arrives as several
// requests at once (two tabs, a retried callback, replicas behind a load
// balancer): every one logs in, into one account created once.
func TestExternalFirstSignInsTogetherShareOneAccount(t *testing.T) {
	testdb.Postgres(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, err := NewService(&config.Config{BcryptRounds: 4}, user.NewStore(d), token.NewStore(d),
			auth.NewSigner("a-test-secret-of-thirty-two-bytes!", "test", time.Hour), nil, nil, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		const sessions = 8
		users := make([]*model.User, sessions)
		errs := testdb.Together(sessions, func(i int) (err error) {
			users[i], _, err = s.loginExternal(ctx, "github", "GitHub",
				identity{Email: "new.person@example.com", Name: "New Person", EmailVerified: true})
			return err
		})
		for i, err := range errs {
			if err != nil {
				t.Fatalf("sign-in %d: %v", i, err)
			}
			if users[i].ID != users[0].ID {
				t.Fatalf("sign-in %d logged into %s, sign-in 0 into %s", i, users[i].ID, users[0].ID)
			}
		}
		if n := testdb.Count(t, d, "users", "lower(email) = ?", "new.person@example.com"); n != 1 {
			t.Fatalf("%d accounts for the address, want 1", n)
		}
	})
}
