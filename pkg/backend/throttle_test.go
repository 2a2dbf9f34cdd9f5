package backend_test

import (
	"strconv"
	"testing"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/backend/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
)

// TestLoginThrottling: after the configured number of failures an e-mail is
// answered 429 with Retry-After (even with the right password), other
// accounts are unaffected until the per-IP limit, which blocks the client.
func TestLoginThrottling(t *testing.T) {
	e := backendtest.New(t, backendtest.Options{SQLite: true, Configure: func(c *config.Config) {
		c.LoginThrottle = config.LoginThrottle{MaxPerEmail: 3, MaxPerIP: 5, Window: 15 * 60e9}
	}})
	login := func(email, pw string, ip string) *backendtest.Response {
		return e.Do("POST", "/api/login", map[string]any{"email": email, "password": pw}, "", "X-Forwarded-For", ip)
	}
	for i := 0; i < 3; i++ {
		if r := login("user@example.com", "wrong", "10.0.0.1"); r.Code != 401 {
			t.Fatalf("failure %d: %d %s", i, r.Code, r.Body)
		}
	}
	r := login("user@example.com", "user-password", "10.0.0.2")
	if r.Code != 429 || r.Map()["code"] != "THROTTLED" {
		t.Fatalf("throttled e-mail: %d %s", r.Code, r.Body)
	}
	if s, err := strconv.Atoi(r.Header().Get("Retry-After")); err != nil || s < 1 || s > 901 {
		t.Fatalf("Retry-After %q", r.Header().Get("Retry-After"))
	}
	if r := login("admin@example.com", "admin-password", "10.0.0.1"); r.Code != 200 {
		t.Fatalf("other account from the same IP: %d %s", r.Code, r.Body)
	}
	login("nobody@example.com", "x", "10.0.0.1")
	login("nobody2@example.com", "x", "10.0.0.1") // 5th failure from this IP
	if r := login("admin@example.com", "admin-password", "10.0.0.1"); r.Code != 429 {
		t.Fatalf("IP over its limit: %d %s", r.Code, r.Body)
	}
	if r := login("admin@example.com", "admin-password", "10.0.0.3"); r.Code != 200 {
		t.Fatalf("another IP: %d %s", r.Code, r.Body)
	}
}

// TestLoginThrottlingAcrossReplicas: with Redis, failures counted by one
// replica block the e-mail on another (in-process counting would let N
// replicas allow N times the limit).
func TestLoginThrottlingAcrossReplicas(t *testing.T) {
	queue := "throttle-" + uuid.NewString()[:8]
	replica := func() *backendtest.Env {
		return backendtest.New(t, backendtest.Options{SQLite: true, Redis: true, Configure: func(c *config.Config) {
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
}
