package backend_test

import (
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// TestRegisterSaysHowTheAccountIsActivated: the register response tells the
// sign-up page whether an activation e-mail is on its way (a mail server is
// configured) or an administrator must activate the account (none is, so
// the link is never sent). Either way the account is stored inactive.
func TestRegisterSaysHowTheAccountIsActivated(t *testing.T) {
	for _, sqlite := range []bool{false, true} {
		for _, tc := range []struct {
			name, server, want string
		}{
			{"no mail server", "", `{"activation":"administrator"}`},
			{"mail server", "smtp.example.com", `{"activation":"email"}`},
		} {
			db := map[bool]string{false: "postgres", true: "sqlite"}[sqlite]
			t.Run(db+"/"+tc.name, func(t *testing.T) {
				server := tc.server
				e := backendtest.New(t, backendtest.Options{SQLite: sqlite, Configure: func(c *config.Config) {
					c.Mail.Server = server
				}})
				r := e.Do("POST", "/api/login/register", map[string]any{"email": "new@example.com", "password": "pw"}, "")
				if r.Code != 201 || strings.TrimSpace(r.Body.String()) != tc.want {
					t.Fatalf("register: %d %s, want %s", r.Code, r.Body, tc.want)
				}
				u := dbUser(t, e, "new@example.com")
				if u.IsActive || u.ActivationCode == nil || *u.ActivationCode == "" {
					t.Fatalf("the account must be stored inactive with a code: active=%v", u.IsActive)
				}
			})
		}
	}
}
