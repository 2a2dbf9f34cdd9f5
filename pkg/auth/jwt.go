// Package auth authenticates API requests with the JWTs upstream Ibutsu
// issues (HS256, claims iss/iat/exp/sub), so tokens minted by the Python
// server with the same JWT_SECRET keep working here and ours work there.
package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// ErrInvalidToken covers every way a bearer token can be unacceptable:
// bad signature, wrong algorithm, expired, missing claims.
var ErrInvalidToken = errors.New("invalid token")

// Signer issues and verifies tokens.
type Signer struct {
	secret   []byte
	issuer   string
	lifetime time.Duration
	now      func() time.Time
}

// NewSigner builds a signer; lifetime applies to login tokens.
func NewSigner(secret, issuer string, lifetime time.Duration) *Signer {
	return &Signer{secret: []byte(secret), issuer: issuer, lifetime: lifetime, now: time.Now}
}

// IssueLogin mints a login token valid for the configured lifetime.
func (s *Signer) IssueLogin(userID uuid.UUID) (string, error) {
	now := s.now().UTC().Truncate(time.Second)
	return s.issue(userID, now, now.Add(s.lifetime), false)
}

// apiClaim marks the API tokens we mint, so the authenticator tells them
// from login tokens whatever their lifetime and checks them against the
// tokens table. Upstream ignores claims it does not know.
const apiClaim = "ibutsu_api"

// IssueUntil mints an API token expiring at exp. It carries apiClaim, and
// its exp-iat never equals the login lifetime (iat moves back a second in
// that rare case), which is how releases before apiClaim told the two apart.
func (s *Signer) IssueUntil(userID uuid.UUID, exp time.Time) (string, error) {
	iat := s.now().UTC().Truncate(time.Second)
	if exp.Unix()-iat.Unix() == int64(s.lifetime/time.Second) {
		iat = iat.Add(-time.Second)
	}
	return s.issue(userID, iat, exp, true)
}

func (s *Signer) issue(userID uuid.UUID, iat, exp time.Time, api bool) (string, error) {
	claims := jwt.MapClaims{"iss": s.issuer, "iat": iat.Unix(), "exp": exp.Unix(), "sub": userID.String()}
	if api {
		claims[apiClaim] = true
	}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(s.secret)
	if err != nil {
		return "", fmt.Errorf("sign token: %w", err)
	}
	return tok, nil
}

// Claims are the verified claims of a token.
type Claims struct {
	Subject   uuid.UUID
	IssuedAt  time.Time
	ExpiresAt time.Time
	// API is set for the tokens that are valid only while a tokens row holds
	// them: ours carry apiClaim, and upstream's (PyJWT signing
	// `expires.timestamp()`, a Python float) have a fractional `exp` such
	// as 1767225600.0, where upstream's login tokens have an integer one.
	API bool
}

// Verify checks the signature (HS256 only), expiry and subject and returns
// the user id the token speaks for. `exp` is required; `iss` is not checked,
// as upstream does not check it.
func (s *Signer) Verify(token string) (uuid.UUID, error) {
	c, err := s.Parse(token)
	return c.Subject, err
}

// Parse verifies a token like Verify and returns its claims.
func (s *Signer) Parse(token string) (Claims, error) {
	parsed, err := jwt.Parse(token, func(*jwt.Token) (any, error) { return s.secret, nil },
		jwt.WithJSONNumber(), // keeps exp's literal: see Claims.API
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithTimeFunc(s.now),
		jwt.WithIssuedAt(),
		jwt.WithExpirationRequired(),
		jwt.WithLeeway(30*time.Second),
	)
	if err != nil || !parsed.Valid {
		return Claims{}, fmt.Errorf("%w: %v", ErrInvalidToken, err)
	}
	claims, _ := parsed.Claims.(jwt.MapClaims)
	sub, _ := claims["sub"].(string)
	id, err := uuid.Parse(sub)
	if err != nil {
		return Claims{}, fmt.Errorf("%w: bad sub claim", ErrInvalidToken)
	}
	out := Claims{Subject: id, API: claims[apiClaim] == true}
	if n, ok := claims["exp"].(json.Number); ok && strings.ContainsAny(n.String(), ".eE") {
		out.API = true
	}
	if exp, err := claims.GetExpirationTime(); err == nil && exp != nil {
		out.ExpiresAt = exp.Time
	}
	if iat, err := claims.GetIssuedAt(); err == nil && iat != nil {
		out.IssuedAt = iat.Time
	}
	return out, nil
}

// IsLogin reports whether verified claims belong to a login token, accepted
// on signature, expiry and an active user alone, as upstream accepts it.
// Its lifetime does not matter: upstream's JWT_LIFETIME_SECONDS may differ
// from ours or have changed, and a browser's token is no longer in the
// user's single login-token row once another browser logs in. API tokens
// (Claims.API) and tokens without iat are not: they are valid only while
// their tokens row exists, so deleting one revokes it.
//
// An API token minted by a release of ours before apiClaim, once deleted,
// cannot be told from an upstream login token; it is accepted until it
// expires (docs/operations.md).
func (s *Signer) IsLogin(c Claims) bool {
	return !c.API && !c.IssuedAt.IsZero()
}

// MAC authenticates data with a key derived from the JWT secret and a
// purpose, for short-lived server state kept in the browser (the OIDC
// state cookie) without a second secret to configure.
func (s *Signer) MAC(purpose string, data []byte) []byte {
	k := hmac.New(sha256.New, s.secret)
	k.Write([]byte("ibutsu-mac:" + purpose))
	m := hmac.New(sha256.New, k.Sum(nil))
	m.Write(data)
	return m.Sum(nil)
}
