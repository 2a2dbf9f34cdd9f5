package backend_test

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// loginFrom posts a login from the TCP peer `peer`, with an optional
// X-Forwarded-For.
func loginFrom(e *backendtest.Env, email, pw, peer, xff string) *backendtest.Response {
	e.T.Helper()
	b, _ := json.Marshal(map[string]any{"email": email, "password": pw})
	req := httptest.NewRequest("POST", "/api/login", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = peer + ":40000"
	if xff != "" {
		req.Header.Set("X-Forwarded-For", xff)
	}
	return e.Serve(req)
}

// TestLoginThrottling: after the configured number of failures from one
// address an account is answered 429 with Retry-After for that address (even
// with the right password); the owner at another address is not locked out;
// other accounts are unaffected until the per-address limit, which blocks the
// client.
func TestLoginThrottling(t *testing.T) {
	onBothDBs(t, func(c *config.Config) {
		c.LoginThrottle = config.LoginThrottle{MaxPerEmail: 3, MaxPerIP: 5, Window: 15 * 60e9}
	}, func(t *testing.T, e *backendtest.Env) {
		const attacker, owner = "203.0.113.1", "203.0.113.2"
		for i := 0; i < 3; i++ {
			if r := loginFrom(e, "user@example.com", "wrong", attacker, ""); r.Code != 401 {
				t.Fatalf("failure %d: %d %s", i, r.Code, r.Body)
			}
		}
		r := loginFrom(e, "user@example.com", "user-password", attacker, "")
		if r.Code != 429 || r.Map()["code"] != "THROTTLED" {
			t.Fatalf("throttled account from the guessing address: %d %s", r.Code, r.Body)
		}
		if s, err := strconv.Atoi(r.Header().Get("Retry-After")); err != nil || s < 1 || s > 901 {
			t.Fatalf("Retry-After %q", r.Header().Get("Retry-After"))
		}
		if r := loginFrom(e, "user@example.com", "user-password", owner, ""); r.Code != 200 {
			t.Fatalf("the owner at another address is locked out: %d %s", r.Code, r.Body)
		}
		if r := loginFrom(e, "admin@example.com", "admin-password", attacker, ""); r.Code != 200 {
			t.Fatalf("other account from the same address: %d %s", r.Code, r.Body)
		}
		loginFrom(e, "nobody@example.com", "x", attacker, "")
		loginFrom(e, "nobody2@example.com", "x", attacker, "") // 5th failure from this address
		if r := loginFrom(e, "admin@example.com", "admin-password", attacker, ""); r.Code != 429 {
			t.Fatalf("address over its limit: %d %s", r.Code, r.Body)
		}
		if r := loginFrom(e, "admin@example.com", "admin-password", "203.0.113.3", ""); r.Code != 200 {
			t.Fatalf("another address: %d %s", r.Code, r.Body)
		}
	})
}

// TestLoginThrottlingAcrossReplicas: with Redis, failures counted by one
// replica block the e-mail on another (in-process counting would let N
// replicas allow N times the limit).
func TestLoginThrottlingAcrossReplicas(t *testing.T) {
	eachDB(t, func(t *testing.T, sqlite bool) {
		queue := "throttle-" + uuid.NewString()[:8]
		replica := func() *backendtest.Env {
			return backendtest.New(t, backendtest.Options{SQLite: sqlite, Redis: true, Configure: func(c *config.Config) {
				c.LoginThrottle = config.LoginThrottle{MaxPerEmail: 3, MaxPerIP: 100, Window: 15 * 60e9}
				c.Tasks.Queue = queue
			}})
		}
		a, b := replica(), replica()
		for i, e := range []*backendtest.Env{a, b, a} {
			if r := e.Do("POST", "/api/login", map[string]any{"email": "user@example.com", "password": "wrong"}, ""); r.Code != 401 {
				t.Fatalf("failure %d: %d %s", i, r.Code, r.Body)
			}
		}
		for name, e := range map[string]*backendtest.Env{"a": a, "b": b} {
			r := e.Do("POST", "/api/login", map[string]any{"email": "user@example.com", "password": "user-password"}, "")
			if r.Code != 429 {
				t.Fatalf("replica %s after 3 failures spread over two replicas: %d %s", name, r.Code, r.Body)
			}
		}
	})
}
