package config

import (
	"strings"
	"testing"
	"time"
)

// The account-security defaults: private-range proxies only, codes valid a
// day, and a per-account delay instead of a lock-out.
func TestAccountSecurityDefaults(t *testing.T) {
	c, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.HTTP.TrustedProxies, ","); got != DefaultTrustedProxies || strings.Contains(got, "*") {
		t.Fatalf("trusted proxies %q", got)
	}
	if c.CodeLifetime != 24*time.Hour {
		t.Fatalf("code lifetime %v", c.CodeLifetime)
	}
	l := c.LoginThrottle
	if l.MaxPerEmail != 10 || l.MaxPerIP != 50 || l.MaxPerAccount != 100 || l.MaxDelay != 10*time.Second || l.Window != 15*time.Minute {
		t.Fatalf("throttle %+v", l)
	}
	t.Setenv("LOGIN_CODE_LIFETIME", "2h")
	t.Setenv("TRUSTED_PROXIES", "*")
	t.Setenv("LOGIN_MAX_FAILURES_PER_ACCOUNT", "0")
	if c, err = Load(""); err != nil {
		t.Fatal(err)
	}
	if c.CodeLifetime != 2*time.Hour || c.HTTP.TrustedProxies[0] != "*" || c.LoginThrottle.MaxPerAccount != 0 {
		t.Fatalf("overrides: %v %v %d", c.CodeLifetime, c.HTTP.TrustedProxies, c.LoginThrottle.MaxPerAccount)
	}
}
