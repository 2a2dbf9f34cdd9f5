// Package auth authenticates API requests with the JWTs upstream Ibutsu
// issues (HS256, claims iss/iat/exp/sub), so tokens minted by the Python
// server with the same JWT_SECRET keep working here and ours work there.
package auth

import (
	"errors"
	"fmt"
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
	return s.issue(userID, now, now.Add(s.lifetime))
}

// IssueUntil mints an API token expiring at exp.
func (s *Signer) IssueUntil(userID uuid.UUID, exp time.Time) (string, error) {
	return s.issue(userID, s.now().UTC().Truncate(time.Second), exp)
}

func (s *Signer) issue(userID uuid.UUID, iat, exp time.Time) (string, error) {
	claims := jwt.MapClaims{"iss": s.issuer, "iat": iat.Unix(), "exp": exp.Unix(), "sub": userID.String()}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(s.secret)
	if err != nil {
		return "", fmt.Errorf("sign token: %w", err)
	}
	return tok, nil
}

// Verify checks the signature (HS256 only), expiry and subject and returns
// the user id the token speaks for. `exp` is required; `iss` is not checked,
// as upstream does not check it.
func (s *Signer) Verify(token string) (uuid.UUID, error) {
	parsed, err := jwt.Parse(token, func(*jwt.Token) (any, error) { return s.secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithTimeFunc(s.now),
		jwt.WithIssuedAt(),
		jwt.WithExpirationRequired(),
		jwt.WithLeeway(30*time.Second),
	)
	if err != nil || !parsed.Valid {
		return uuid.Nil, fmt.Errorf("%w: %v", ErrInvalidToken, err)
	}
	claims, _ := parsed.Claims.(jwt.MapClaims)
	sub, _ := claims["sub"].(string)
	id, err := uuid.Parse(sub)
	if err != nil {
		return uuid.Nil, fmt.Errorf("%w: bad sub claim", ErrInvalidToken)
	}
	return id, nil
}
