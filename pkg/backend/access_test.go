package backend_test

import (
	"strings"
	"testing"

	"github.com/google/uuid"
)

// isPublic lists the routes that answer without a token
// (docs/api-compatibility.md#public-routes).
func isPublic(path string) bool {
	switch {
	case path == "/", path == "/metrics", path == "/api/health", path == "/api/health/ready":
		return true
	case path == "/api/login", strings.HasPrefix(path, "/api/login/"):
		return true
	case strings.HasPrefix(path, "/api/openapi"), strings.HasPrefix(path, "/api/ui"):
		return true
	}
	return false
}

// TestAccessMatrix runs every route of the router without a token, as a
// normal user and as a superadmin: protected routes are 401 anonymously,
// admin routes 403 for normal users, and nothing ever answers 5xx.
func TestAccessMatrix(t *testing.T) {
	forBothDBs(t, func(t *testing.T, e *compatEnv) {
		fill := strings.NewReplacer(":id", uuid.NewString(), ":provider", "github", ":code", "Zm9v", "*filepath", "index.html")
		routes := e.App.Router.Routes()
		if len(routes) < 40 {
			t.Fatalf("only %d routes registered", len(routes))
		}
		for _, rt := range routes {
			path := fill.Replace(rt.Path)
			for _, who := range []struct{ name, token string }{{"anonymous", ""}, {"user", e.UserToken}, {"superadmin", e.AdminToken}} {
				var body any
				if rt.Method == "POST" || rt.Method == "PUT" {
					body = map[string]any{}
				}
				r := e.Do(rt.Method, path, body, who.token)
				if r.Code >= 500 && !(rt.Path == "/api/health/ready" || rt.Path == "/api/health/database") {
					t.Errorf("%s %s as %s: %d %s", rt.Method, path, who.name, r.Code, r.Body)
				}
				switch {
				case who.token == "" && !isPublic(rt.Path) && r.Code != 401:
					t.Errorf("%s %s anonymously: %d, want 401", rt.Method, path, r.Code)
				case who.name == "user" && strings.HasPrefix(rt.Path, "/api/admin/") && r.Code != 403:
					t.Errorf("%s %s as user: %d, want 403", rt.Method, path, r.Code)
				case who.name == "superadmin" && strings.HasPrefix(rt.Path, "/api/admin/") && (r.Code == 401 || r.Code == 403):
					t.Errorf("%s %s as superadmin: %d", rt.Method, path, r.Code)
				}
			}
		}
	})
}
