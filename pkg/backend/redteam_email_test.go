package backend_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// An e-mail address is how the server recognises a person: a project owner
// adds members by it and an OAuth/OIDC sign-in with a verified address logs
// into the account holding it. A user who could move their own account to an
// address nobody has registered yet (a new colleague's) would be that person
// from then on: added to the projects meant for them, or signed in from the
// victim's provider account into the attacker's (who keeps their token).
// So a user's own e-mail change is refused, beyond case; an administrator
// changes e-mails. The database is checked after each step.
func TestOwnEmailChangeCannotSquatAnAddress(t *testing.T) {
	onBothDBs(t, nil, func(t *testing.T, e *backendtest.Env) {
		ctx := context.Background()
		attacker := e.CreateUser("mallory@example.com", "pw-mallory", false)
		attTok := e.TokenFor(attacker)
		e.CreateProject("mallory-a", attacker)
		owner := e.CreateUser("owner-b@example.com", "pw-owner", false)
		ownerTok := e.TokenFor(owner)
		created := e.Do("POST", "/api/project", map[string]any{"name": "project-b"}, ownerTok)
		if created.Code != 201 {
			t.Fatalf("owner creates project B: %d %s", created.Code, created.Body)
		}
		projB, _ := created.Map()["id"].(string)

		r := e.Do("PUT", "/api/user", map[string]any{"email": "newhire@example.com", "name": "Mallory"}, attTok)
		if r.Code != 400 || !strings.Contains(r.Body.String(), "administrator") {
			t.Fatalf("own e-mail change to a free address: %d %s", r.Code, r.Body)
		}
		if u := dbUser(t, e, "mallory@example.com"); u.Name == nil || *u.Name != "mallory" {
			t.Fatalf("a refused update changed the account: %+v", u)
		}

		// The owner of B adds the new colleague by address, as the UI does.
		if r := e.Do("PUT", "/api/project/"+projB, map[string]any{"users": []string{"newhire@example.com"}}, ownerTok); r.Code != 200 {
			t.Fatalf("owner adds a member: %d %s", r.Code, r.Body)
		}
		var n int64
		e.App.DB.Conn(ctx).Model(&model.UserProject{}).Where("user_id = ? AND project_id = ?", attacker.ID, projB).Count(&n)
		if n != 0 {
			t.Fatal("the attacker became a member of project B by taking the address it was meant for")
		}
		if r := e.Do("GET", "/api/project/"+projB, nil, attTok); r.Code != 401 { // upstream answers an outsider 401
			t.Fatalf("attacker reads project B: %d %s", r.Code, r.Body)
		}

		// Naming someone else's address is refused the same way, so the
		// answer does not tell which addresses have accounts.
		taken := e.Do("PUT", "/api/user", map[string]any{"email": "owner-b@example.com"}, attTok)
		if taken.Code != 400 || taken.Body.String() != r.Body.String() {
			t.Fatalf("own e-mail change to a taken address: %d %s (free: %s)", taken.Code, taken.Body, r.Body)
		}

		// The same address in other case, and the unchanged one the
		// profile page sends back, stay accepted.
		if r := e.Do("PUT", "/api/user", map[string]any{"email": "Mallory@Example.com"}, attTok); r.Code != 200 {
			t.Fatalf("case-only change of own e-mail: %d %s", r.Code, r.Body)
		}
		if r := e.Do("PUT", "/api/user", map[string]any{"email": "Mallory@Example.com", "name": "M"}, attTok); r.Code != 200 {
			t.Fatalf("unchanged e-mail: %d %s", r.Code, r.Body)
		}
		// An administrator still changes anybody's address, their own included.
		if r := e.Do("PUT", "/api/admin/user/"+attacker.ID.String(), map[string]any{"email": "mallory2@example.com"}, e.AdminToken); r.Code != 200 {
			t.Fatalf("admin changes a user's e-mail: %d %s", r.Code, r.Body)
		}
		if r := e.Do("PUT", "/api/user", map[string]any{"email": "boss@example.com"}, e.AdminToken); r.Code != 200 {
			t.Fatalf("superadmin changes own e-mail: %d %s", r.Code, r.Body)
		}
	})
}
