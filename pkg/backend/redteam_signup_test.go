package backend_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// postFrom sends a JSON POST as if from the client address peer.
func postFrom(e *backendtest.Env, path string, body map[string]any, peer string) *backendtest.Response {
	e.T.Helper()
	b, _ := json.Marshal(body)
	req := httptest.NewRequest("POST", path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = peer + ":40000"
	return e.Serve(req)
}

// Sign-up, recovery and reset are anonymous, and each costs a bcrypt hash
// or sends an e-mail: one client could keep the CPUs hashing, create any
// number of accounts and make the server mail any address without end.
// Past LOGIN_MAX_FAILURES_PER_IP requests in the window, an address gets a
// 429 JSON with Retry-After on all three (a forged X-Forwarded-For from an
// untrusted peer changes nothing); another address is not affected, nor is
// the login throttle. The database holds only the admitted sign-ups.
func TestAnonymousAccountRequestsAreThrottledPerAddress(t *testing.T) {
	const limit = 4
	onBothDBs(t, func(c *config.Config) { c.LoginThrottle.MaxPerIP = limit }, func(t *testing.T, e *backendtest.Env) {
		const attacker, other = "198.51.100.7", "203.0.113.9"
		for i := 0; i < limit+3; i++ {
			r := postFrom(e, "/api/login/register", map[string]any{"email": fmt.Sprintf("spam%d@example.com", i), "password": "pw"}, attacker)
			want := 201
			if i >= limit {
				want = 429
			}
			if r.Code != want {
				t.Fatalf("sign-up %d: %d %s, want %d", i, r.Code, r.Body, want)
			}
			if want == 429 && (r.Header().Get("Retry-After") == "" || !strings.Contains(r.Body.String(), `"code":"THROTTLED"`)) {
				t.Fatalf("throttled sign-up answer: %v %s", r.Header(), r.Body)
			}
		}
		var n int64
		e.App.DB.Conn(context.Background()).Model(&model.User{}).Where("email LIKE ?", "spam%").Count(&n)
		if n != limit {
			t.Fatalf("%d accounts stored, want %d", n, limit)
		}
		for _, c := range []struct {
			path string
			body map[string]any
		}{
			{"/api/login/recover", map[string]any{"email": "user@example.com"}},
			{"/api/login/reset-password", map[string]any{"activation_code": strings.Repeat("a", 32), "password": "pw"}},
		} {
			if r := postFrom(e, c.path, c.body, attacker); r.Code != 429 || r.Header().Get("Retry-After") == "" {
				t.Fatalf("%s from the throttled address: %d %s", c.path, r.Code, r.Body)
			}
		}
		req := httptest.NewRequest("POST", "/api/login/recover", strings.NewReader(`{"email":"user@example.com"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", other)
		req.RemoteAddr = attacker + ":40000"
		if r := e.Serve(req); r.Code != 429 {
			t.Fatalf("forged X-Forwarded-For escaped the limit: %d %s", r.Code, r.Body)
		}
		if r := postFrom(e, "/api/login/recover", map[string]any{"email": "user@example.com"}, other); r.Code != 201 {
			t.Fatalf("recovery from another address: %d %s", r.Code, r.Body)
		}
		if r := loginFrom(e, "user@example.com", "user-password", attacker, ""); r.Code != 200 {
			t.Fatalf("login from the throttled address: %d %s", r.Code, r.Body)
		}
	})
}
