package login

import (
	"context"
	"encoding/base64"
	"errors"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/user"
)

// newActivationCode is upstream's code: URL-safe base64 of a random UUID's
// text, padding stripped (48 characters).
func newActivationCode() string {
	return base64.RawURLEncoding.EncodeToString([]byte(uuid.NewString()))
}

// validCode mirrors upstream's check that a code decodes as URL-safe base64
// to something non-empty; anything else is a 400 naming the code.
func validCode(code string) error {
	b, err := base64.URLEncoding.DecodeString(code)
	if err != nil {
		b, err = base64.RawURLEncoding.DecodeString(code)
	}
	if err != nil || len(b) == 0 {
		return apperr.BadRequest("Activation code %s is not valid", code)
	}
	return nil
}

// hashPassword hashes a new password; too long a one is upstream's 400.
func (s *Service) hashPassword(password string) (string, error) {
	hash, err := user.HashPassword(password, s.cfg.BcryptRounds)
	if errors.Is(err, user.ErrPasswordTooLong) {
		return "", user.PasswordTooLong()
	}
	return hash, err
}

// queueMail queues an account e-mail without waiting for it, logging a
// failure to queue: the account change is already stored and an
// administrator can still help, so the request succeeds.
func (s *Service) queueMail(ctx context.Context, kind MailKind, u *model.User) {
	if err := s.mails.Queue(ctx, kind, u.ID); err != nil {
		s.log.ErrorContext(ctx, "account e-mail not queued", "kind", string(kind), "user_id", u.ID.String(), "error", err)
	}
}

// How a registered account gets activated, in the register response's
// "activation" field (ours; upstream answers {}): "email" when a mail server
// is configured and the activation link is on its way, "administrator" when
// it is not — the link is then never sent (see mail.Logger) and only a
// superadmin can activate the account, which the sign-up page must say
// instead of promising an e-mail.
const (
	activationByEmail = "email"
	activationByAdmin = "administrator"
)

func (s *Service) activationBy() string {
	if s.cfg.Mail.Enabled() {
		return activationByEmail
	}
	return activationByAdmin
}

// Register creates an inactive account with an activation code, queues
// the activation e-mail and says how the account gets activated. Requests
// from one client address are limited (admitAccountRequest).
func (s *Service) Register(ctx context.Context, email, password, clientIP string) (activation string, err error) {
	if email == "" || password == "" {
		return "", errEmpty
	}
	if err := admitAccountRequest(ctx, s.throttle, s.cfg.LoginThrottle, clientIP); err != nil {
		return "", err
	}
	hash, err := s.hashPassword(password)
	if err != nil {
		return "", err
	}
	u := &model.User{Email: email, Password: &hash, IsActive: false, IsSuperadmin: false}
	if err := s.store.register(ctx, u, newActivationCode(), s.now()); err != nil {
		return "", err
	}
	s.queueMail(ctx, MailActivation, u)
	return s.activationBy(), nil
}

// Activate activates the account holding an activation code. A code that
// is not one (malformed) is a 400; one no account holds, or expired, or
// issued for something else is user.ErrCodeNotValid, which the handler
// turns into the login page's error.
func (s *Service) Activate(ctx context.Context, code string) error {
	if err := validCode(code); err != nil {
		return err
	}
	u, err := s.store.byCode(ctx, code, user.PurposeActivation, s.cfg.CodeLifetime, s.now())
	if err == nil {
		err = s.store.activate(ctx, u, code)
	}
	if errors.Is(err, user.ErrCodeNotValid) {
		s.log.InfoContext(ctx, "activation refused", "reason", err.Error())
	}
	return err
}

// errBadRequest is upstream's bare 400 of the recovery routes.
func errBadRequest() error { return apperr.BadRequest("Bad Request") }

// Recover sends a new link to the account with email: an activation link
// to an account still waiting for its activation (it was never activated,
// so nobody deactivated it), a reset link to every other, which never
// changes is_active: an account an administrator deactivated stays
// deactivated. An unknown e-mail is upstream's 400. Requests from one
// client address are limited (admitAccountRequest).
func (s *Service) Recover(ctx context.Context, email, clientIP string) error {
	if email == "" {
		return errBadRequest()
	}
	if err := admitAccountRequest(ctx, s.throttle, s.cfg.LoginThrottle, clientIP); err != nil {
		return err
	}
	u, err := s.store.byEmail(ctx, email)
	if err != nil {
		return err
	}
	if u == nil {
		return errBadRequest()
	}
	purpose, kind := user.PurposeReset, MailRecovery
	p, err := s.store.codePurposeOf(ctx, u)
	if err != nil {
		return err
	}
	if p == user.PurposeActivation && !u.IsActive {
		purpose, kind = user.PurposeActivation, MailActivation
	}
	if err := s.store.setCode(ctx, u, newActivationCode(), purpose, s.now()); err != nil {
		return err
	}
	s.queueMail(ctx, kind, u)
	return nil
}

// ResetPassword sets the password of the account holding a reset code.
// Requests from one client address are limited (admitAccountRequest), so
// codes cannot be guessed nor bcrypt run at will.
func (s *Service) ResetPassword(ctx context.Context, code, password, clientIP string) error {
	if code == "" || password == "" {
		return errBadRequest()
	}
	if err := validCode(code); err != nil {
		return err
	}
	if err := admitAccountRequest(ctx, s.throttle, s.cfg.LoginThrottle, clientIP); err != nil {
		return err
	}
	hash, err := s.hashPassword(password)
	if err != nil {
		return err
	}
	u, err := s.store.byCode(ctx, code, user.PurposeReset, s.cfg.CodeLifetime, s.now())
	if err == nil {
		err = s.store.setPassword(ctx, u, hash, code)
	}
	if errors.Is(err, user.ErrCodeNotValid) {
		s.log.InfoContext(ctx, "password reset refused", "reason", err.Error())
		return apperr.BadRequest("Invalid activation code")
	}
	return err
}
