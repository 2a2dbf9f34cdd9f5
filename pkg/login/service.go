// Package login serves the public account routes under /api/login
// (pkg/openapi/spec/paths/login.yaml): password login, the provider list and configs the UI
// builds its login page from, the OAuth/OIDC callbacks, self-registration
// with e-mailed activation, and password recovery with an e-mailed reset
// link.
//
// The account rules (who may log in, throttling, registration, activation,
// recovery, accounts for external logins) are in service*.go; what they
// read and write is store.go; http*.go decodes the requests and answers
// them, and the OAuth/OIDC flows (redirects, cookies, provider calls) are
// HTTP through and through, in http_oauth.go, http_flow.go and oauth_*.go.
package login

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/token"
	"github.com/ibutsu-go/ibutsu/pkg/user"
)

// Service holds the account rules.
type Service struct {
	store  store
	signer *auth.Signer
	mails  *AccountMail
	cfg    *config.Config
	log    *slog.Logger
	// dummyHash is compared against when the e-mail is unknown, so a failed
	// login costs the same bcrypt time whether or not the account exists.
	dummyHash string
	// throttle slows guessing without locking owners out (throttle_rules.go).
	throttle Throttle
	now      func() time.Time
}

// NewService builds the service. mails queues the activation and reset
// e-mails; throttle counts failed logins (nil: in this process).
func NewService(cfg *config.Config, users *user.Store, tokens *token.Store, signer *auth.Signer, mails *AccountMail, throttle Throttle, log *slog.Logger) (*Service, error) {
	dummy, err := user.HashPassword("not-a-password", cfg.BcryptRounds)
	if err != nil {
		return nil, err
	}
	if throttle == nil {
		throttle = NewMemoryThrottle(cfg.LoginThrottle.Window)
	}
	return &Service{store: store{users: users, tokens: tokens}, signer: signer, mails: mails, cfg: cfg, log: log,
		dummyHash: dummy, throttle: throttle, now: time.Now}, nil
}

// loginError is upstream's LoginError object `{"code", "message"}`, a 401.
func loginError(code, msg string) error {
	return &apperr.Error{Kind: apperr.KindUnauthorized, Message: msg, Body: map[string]any{"code": code, "message": msg}}
}

const (
	msgEmpty    = "Username and/or password are empty"
	msgInvalid  = "Username and/or password are invalid"
	msgDisabled = "Username/password auth is disabled. Please login via one of the links below."
)

// errEmpty is the login and register answer to an empty e-mail or password.
var errEmpty = loginError("EMPTY", msgEmpty)

// Throttled refuses a login attempt from an address that failed too often;
// the handler answers 429 with a Retry-After of RetryAfter.
type Throttled struct{ RetryAfter time.Duration }

func (e *Throttled) Error() string { return "too many failed login attempts" }

// errGone is a login abandoned while it was held back: the client went
// away, nobody reads an answer.
var errGone = errors.New("login abandoned while held back")

// Login checks a password login from clientIP and returns the account and
// a new login token. Failures are upstream's LoginError 401s (empty,
// invalid, disabled, inactive), *Throttled, or errGone.
func (s *Service) Login(ctx context.Context, email, password, clientIP string) (*model.User, string, error) {
	if email == "" || password == "" {
		return nil, "", errEmpty
	}
	keys := throttleKeys(email, clientIP)
	wait, blocked, delay := throttleCheck(ctx, s.throttle, s.cfg.LoginThrottle, keys)
	if blocked {
		return nil, "", &Throttled{RetryAfter: wait}
	}
	if err := hold(ctx, delay); err != nil {
		return nil, "", fmt.Errorf("%w: %w", errGone, err)
	}
	u, err := s.store.byEmail(ctx, email)
	if err != nil {
		return nil, "", err
	}
	if u != nil && !u.IsSuperadmin && !s.cfg.UserLoginEnabled {
		return nil, "", loginError("INVALID", msgDisabled)
	}
	if u == nil {
		user.CheckPassword(&s.dummyHash, password) // same cost as a real check
	} else if user.CheckPassword(u.Password, password) {
		if !u.IsActive {
			return nil, "", loginError("INACTIVE", "User account is inactive")
		}
		jwt, err := s.issueLogin(ctx, u)
		if err != nil {
			return nil, "", err
		}
		s.throttle.Reset(ctx, keys.pair)
		return u, jwt, nil
	}
	s.throttle.Fail(ctx, keys.pair, keys.ip, keys.account)
	msg := msgInvalid
	if !s.cfg.UserLoginEnabled {
		msg = msgDisabled
	}
	return nil, "", loginError("INVALID", msg)
}

// issueLogin mints a login JWT and stores it as the user's login-token row.
// Right after a password change it first waits (under a second) for the
// change's cut-off: token times are whole seconds, and a token issued in the
// second of the change would be refused like the older ones.
func (s *Service) issueLogin(ctx context.Context, u *model.User) (string, error) {
	nb, err := s.store.loginNotBefore(ctx, u.ID)
	if err != nil {
		return "", err
	}
	if err := hold(ctx, time.Until(nb)); err != nil {
		return "", err
	}
	jwt, err := s.signer.IssueLogin(u.ID)
	if err != nil {
		return "", err
	}
	if err := s.store.saveLoginToken(ctx, u.ID, jwt); err != nil {
		return "", err
	}
	return jwt, nil
}
