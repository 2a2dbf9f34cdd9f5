package auth

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"errors"
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
