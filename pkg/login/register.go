package login

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
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

const activationMail = `Thank you for registering!

To activate your account, please click on the link below:

    %s

Ibutsu
`

const recoveryMail = `Somebody (hopefully you) asked to reset the password of your Ibutsu account.

To choose a new password, please click on the link below:

    %s

If you did not ask for this, you can ignore this e-mail: your password stays unchanged.

Ibutsu
`

// queueMail queues an account e-mail without waiting for it, logging a
// failure to queue: the account change is already stored and an
// administrator can still help, so the request succeeds.
func (h *Handler) queueMail(ctx context.Context, kind MailKind, u *model.User) {
	if err := h.mails.Queue(ctx, kind, u.ID); err != nil {
		h.log.ErrorContext(ctx, "account e-mail not queued", "kind", string(kind), "user_id", u.ID.String(), "error", err)
	}
}

func (h *Handler) register(c *gin.Context) {
	ctx := c.Request.Context()
	email, password, err := h.credentials(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	if email == "" || password == "" {
		h.fail(c, loginError(http.StatusUnauthorized, "EMPTY", msgEmpty))
		return
	}
	hash, err := user.HashPassword(password, h.cfg.BcryptRounds)
	if errors.Is(err, user.ErrPasswordTooLong) {
		h.fail(c, user.PasswordTooLong())
		return
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	u := &model.User{Email: email, Password: &hash, IsActive: false, IsSuperadmin: false}
	err = h.users.WithTx(ctx, func(ctx context.Context) error {
		if err := h.users.EnsureEmailFree(ctx, email, nil); err != nil {
			return err
		}
		if err := h.users.Create(ctx, u); err != nil {
			return err
		}
		return h.users.SetCode(ctx, u, newActivationCode(), user.PurposeActivation, time.Now())
	})
	if err != nil {
		h.fail(c, err)
		return
	}
	h.queueMail(ctx, MailActivation, u)
	httpx.JSON(c, http.StatusCreated, gin.H{"activation": h.activationBy()})
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

func (h *Handler) activationBy() string {
	if h.cfg.Mail.Enabled() {
		return activationByEmail
	}
	return activationByAdmin
}

func (h *Handler) activate(c *gin.Context) {
	ctx := c.Request.Context()
	code := c.Param("code")
	if err := validCode(code); err != nil {
		h.fail(c, err)
		return
	}
	loginURL := h.cfg.FrontendURL + "/login"
	u, err := h.users.ByCode(ctx, code, user.PurposeActivation, h.cfg.CodeLifetime, time.Now())
	if errors.Is(err, user.ErrCodeNotValid) {
		h.log.InfoContext(ctx, "activation refused", "reason", err.Error())
		c.Redirect(http.StatusFound, loginURL+"?st=error&msg=Invalid+activation+code,+please+check+the+link+in+your+email.")
		return
	}
	if err == nil {
		u.IsActive = true
		u.ActivationCode = nil
		err = h.users.Save(ctx, u)
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Redirect(http.StatusFound, loginURL+"?st=success&msg=Account+activated,+please+log+in.")
}

func (h *Handler) recover(c *gin.Context) {
	ctx := c.Request.Context()
	body, err := httpx.ReadJSONObject(c, h.maxBody)
	if err == nil {
		err = httpx.Required(body, "email")
	}
	if err == nil {
		err = httpx.Schema{"email": {Kind: httpx.String}}.Validate(body)
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	email := body["email"].(string)
	if email == "" {
		h.fail(c, apperr.BadRequest("Bad Request"))
		return
	}
	u, err := h.users.ByEmail(ctx, email)
	if errors.Is(err, auth.ErrUserNotFound) {
		h.fail(c, apperr.BadRequest("Bad Request"))
		return
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	// An account still waiting for its activation gets a new activation
	// link: it was never activated, so nobody deactivated it. Every other
	// account gets a reset link, which never changes is_active: an account
	// an administrator deactivated stays deactivated.
	purpose, kind := user.PurposeReset, MailRecovery
	if p, err := h.users.CodePurposeOf(ctx, u); err != nil {
		h.fail(c, err)
		return
	} else if p == user.PurposeActivation && !u.IsActive {
		purpose, kind = user.PurposeActivation, MailActivation
	}
	if err := h.users.SetCode(ctx, u, newActivationCode(), purpose, time.Now()); err != nil {
		h.fail(c, err)
		return
	}
	h.queueMail(ctx, kind, u)
	httpx.JSON(c, http.StatusCreated, gin.H{})
}

func (h *Handler) resetPassword(c *gin.Context) {
	ctx := c.Request.Context()
	body, err := httpx.ReadJSONObject(c, h.maxBody)
	if err == nil {
		err = httpx.Required(body, "activation_code", "password")
	}
	if err == nil {
		err = httpx.Schema{"activation_code": {Kind: httpx.String}, "password": {Kind: httpx.String}}.Validate(body)
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	code, password := body["activation_code"].(string), body["password"].(string)
	if code == "" || password == "" {
		h.fail(c, apperr.BadRequest("Bad Request"))
		return
	}
	if err := validCode(code); err != nil {
		h.fail(c, err)
		return
	}
	hash, err := user.HashPassword(password, h.cfg.BcryptRounds)
	if errors.Is(err, user.ErrPasswordTooLong) {
		h.fail(c, user.PasswordTooLong())
		return
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	u, err := h.users.ByCode(ctx, code, user.PurposeReset, h.cfg.CodeLifetime, time.Now())
	if errors.Is(err, user.ErrCodeNotValid) {
		h.log.InfoContext(ctx, "password reset refused", "reason", err.Error())
		h.fail(c, apperr.BadRequest("Invalid activation code"))
		return
	}
	if err == nil {
		u.Password = &hash
		u.ActivationCode = nil
		err = h.users.Save(ctx, u)
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusCreated, gin.H{})
}
