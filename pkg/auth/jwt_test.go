package auth

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

const secret = "shared-with-the-python-server"

// TestVerifyAcceptsUpstreamTokens: a token in the Python server's format
// (PyJWT, HS256, float exp for API tokens) is accepted; every forgery or
// algorithm confusion is rejected.
func TestVerifyAcceptsUpstreamTokens(t *testing.T) {
	s := NewSigner(secret, "org.ibutsu-project.server", 30*24*time.Hour)
	uid := uuid.New()
	now := time.Now().Unix()
	sign := func(m jwt.SigningMethod, key any, claims jwt.MapClaims) string {
		tok, err := jwt.NewWithClaims(m, claims).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	upstream := sign(jwt.SigningMethodHS256, []byte(secret), jwt.MapClaims{
		"iss": "org.ibutsu-project.server", "iat": now, "exp": float64(now) + 3600.0, "sub": uid.String()})
	if got, err := s.Verify(upstream); err != nil || got != uid {
		t.Fatalf("upstream token rejected: %v %v", got, err)
	}
	ours, _ := s.IssueLogin(uid)
	if got, err := NewSigner(secret, "other-issuer", time.Hour).Verify(ours); err != nil || got != uid {
		t.Fatalf("our token must verify regardless of iss: %v", err)
	}

	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	b64 := base64.RawURLEncoding.EncodeToString
	noneTok := b64([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + b64([]byte(`{"sub":"`+uid.String()+`","exp":4102444800}`)) + "."
	bad := map[string]string{
		"alg none":       noneTok,
		"RS256":          sign(jwt.SigningMethodRS256, rsaKey, jwt.MapClaims{"sub": uid.String(), "exp": now + 3600}),
		"HS512":          sign(jwt.SigningMethodHS512, []byte(secret), jwt.MapClaims{"sub": uid.String(), "exp": now + 3600}),
		"wrong secret":   sign(jwt.SigningMethodHS256, []byte("nope"), jwt.MapClaims{"sub": uid.String(), "exp": now + 3600}),
		"expired":        sign(jwt.SigningMethodHS256, []byte(secret), jwt.MapClaims{"sub": uid.String(), "exp": now - 3600}),
		"no exp":         sign(jwt.SigningMethodHS256, []byte(secret), jwt.MapClaims{"sub": uid.String()}),
		"bad sub":        sign(jwt.SigningMethodHS256, []byte(secret), jwt.MapClaims{"sub": "admin", "exp": now + 3600}),
		"issued in 2099": sign(jwt.SigningMethodHS256, []byte(secret), jwt.MapClaims{"sub": uid.String(), "iat": 4070908800, "exp": 4102444800}),
		"garbage":        "not.a.jwt",
		"empty":          "",
	}
	for name, tok := range bad {
		if _, err := s.Verify(tok); !errors.Is(err, ErrInvalidToken) {
			t.Errorf("%s: want ErrInvalidToken, got %v", name, err)
		}
	}
}

// signRaw signs a payload as written, the way PyJWT would serialise it (Go's
// encoder writes 1767225600.0 as 1767225600, so it cannot be used).
func signRaw(t *testing.T, payload string) string {
	t.Helper()
	b64 := base64.RawURLEncoding.EncodeToString
	head := b64([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + b64([]byte(payload))
	sig, err := jwt.SigningMethodHS256.Sign(head, []byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	return head + "." + b64(sig)
}

// TestLoginOrAPIToken: upstream's login tokens are login tokens whatever
// lifetime the Python server was configured with; upstream's API tokens
// (float exp) and ours (apiClaim) are API tokens, which the authenticator
// accepts only while their tokens row exists.
func TestLoginOrAPIToken(t *testing.T) {
	s := NewSigner(secret, "org.ibutsu-project.server", 30*24*time.Hour)
	uid := uuid.New()
	now := time.Now().Unix()
	py := func(iat int64, exp string) string {
		return signRaw(t, fmt.Sprintf(`{"iss":"org.ibutsu-project.server","iat":%d,"exp":%s,"sub":"%s"}`, iat, exp, uid))
	}
	ourLogin, _ := s.IssueLogin(uid)
	ourAPI, _ := s.IssueUntil(uid, time.Now().Add(48*time.Hour))
	ourAPILifetime, _ := s.IssueUntil(uid, time.Unix(now+30*24*3600, 0))
	cases := map[string]struct {
		token string
		login bool
	}{
		"upstream login, our lifetime":      {py(now, fmt.Sprint(now+30*24*3600)), true},
		"upstream login, one day":           {py(now-3600, fmt.Sprint(now-3600+86400)), true},
		"upstream login, odd lifetime":      {py(now-10, fmt.Sprint(now-10+123457)), true},
		"upstream API token (float exp)":    {py(now, fmt.Sprintf("%d.0", now+7200)), false},
		"upstream API token (fraction)":     {py(now, fmt.Sprintf("%d.25", now+7200)), false},
		"upstream API token (exponent)":     {py(now, "4.1e9"), false},
		"our login":                         {ourLogin, true},
		"our API token":                     {ourAPI, false},
		"our API token, login-like expiry":  {ourAPILifetime, false},
		"no iat":                            {signRaw(t, fmt.Sprintf(`{"exp":%d,"sub":"%s"}`, now+3600, uid)), false},
		"API claim false is not API marked": {signRaw(t, fmt.Sprintf(`{"iat":%d,"exp":%d,"sub":"%s","ibutsu_api":false}`, now, now+60, uid)), true},
	}
	for name, c := range cases {
		claims, err := s.Parse(c.token)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := s.IsLogin(claims); got != c.login {
			t.Errorf("%s: IsLogin = %v, want %v", name, got, c.login)
		}
		if claims.Subject != uid {
			t.Errorf("%s: subject %v", name, claims.Subject)
		}
	}
}
