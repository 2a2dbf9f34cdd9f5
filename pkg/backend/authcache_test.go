package backend_test

import (
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// TestAuthCacheBoundsStaleness: the token→user cache never keeps a user
// that was deactivated behind the API's back (e.g. by the Python server on
// the same database) for more than a couple of seconds, and changes through
// the API apply at once.
func TestAuthCacheBoundsStaleness(t *testing.T) {
	onBothDBs(t, nil, func(t *testing.T, e *backendtest.Env) {
		u := e.CreateUser("cached@example.com", "pw", false)
		tok := e.TokenFor(u)
		if r := e.Do("GET", "/api/user", nil, tok); r.Code != 200 {
			t.Fatalf("first request: %d", r.Code)
		}
		e.App.DB.Gorm.Exec("UPDATE users SET is_active = ? WHERE id = ?", false, u.ID)
		deadline := time.Now().Add(5 * time.Second)
		for e.Do("GET", "/api/project", nil, tok).Code != 401 {
			if time.Now().After(deadline) {
				t.Fatal("deactivated user still authenticated after 5 s")
			}
			time.Sleep(100 * time.Millisecond)
		}
		// Through the API: an admin deactivates a user; the next request fails.
		v := e.CreateUser("victim@example.com", "pw", false)
		vt := e.TokenFor(v)
		if r := e.Do("GET", "/api/project", nil, vt); r.Code != 200 {
			t.Fatal(r.Code)
		}
		if r := e.Do("PUT", "/api/admin/user/"+v.ID.String(), map[string]any{"email": "victim@example.com", "is_active": false, "projects": []any{}}, e.AdminToken); r.Code != 200 {
			t.Fatalf("deactivate: %d %s", r.Code, r.Body)
		}
		if r := e.Do("GET", "/api/project", nil, vt); r.Code != 401 {
			t.Fatalf("deactivated through the API, still served: %d", r.Code)
		}
	})
}
