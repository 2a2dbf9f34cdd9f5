// Package login serves the public account routes under /api/login
// (pkg/openapi/spec/paths/login.yaml): password login, the provider list and configs the UI
// builds its login page from, the OAuth/OIDC callbacks, self-registration
// with e-mailed activation, and password recovery with an e-mailed reset
// link.
package login

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
	"github.com/ibutsu-go/ibutsu/pkg/token"
	"github.com/ibutsu-go/ibutsu/pkg/user"
)

// Handler serves /api/login*.
type Handler struct {
	users   *user.Store
	tokens  *token.Store
	signer  *auth.Signer
	mails   *AccountMail
	cfg     *config.Config
	log     *slog.Logger
	maxBody int64
	// dummyHash is compared against when the e-mail is unknown, so a failed
	// login costs the same bcrypt time whether or not the account exists.
	dummyHash string
	oauth     *oauthClients
	// throttle slows guessing without locking owners out (throttle_rules.go).
	throttle Throttle
}

// NewHandler builds the handler. mails queues the activation and reset
// e-mails; throttle counts failed logins (nil: in this process).
func NewHandler(cfg *config.Config, users *user.Store, tokens *token.Store, signer *auth.Signer, mails *AccountMail, throttle Throttle, log *slog.Logger) (*Handler, error) {
	dummy, err := user.HashPassword("not-a-password", cfg.BcryptRounds)
	if err != nil {
		return nil, err
	}
	if throttle == nil {
		throttle = NewMemoryThrottle(cfg.LoginThrottle.Window)
	}
	return &Handler{users: users, tokens: tokens, signer: signer, mails: mails, cfg: cfg, log: log,
		maxBody: cfg.Limits.JSONBodyMaxBytes, dummyHash: dummy, oauth: newOAuthClients(cfg.OAuth, log),
		throttle: throttle}, nil
}

// Register mounts the routes on the public API group (no token needed).
func (h *Handler) Register(pub gin.IRouter) {
	pub.POST("/login", h.login)
	pub.GET("/login/support", h.support)
	pub.GET("/login/config/:provider", h.config)
	pub.GET("/login/auth/:provider", h.auth)
	pub.POST("/login/register", h.register)
	pub.GET("/login/activate/:code", h.activate)
	pub.POST("/login/recover", h.recover)
	pub.POST("/login/reset-password", h.resetPassword)
}

func (h *Handler) fail(c *gin.Context, err error) { httpx.WriteError(c, h.log, err) }

// loginError is upstream's LoginError object `{"code", "message"}`.
func loginError(status int, code, msg string) error {
	return &apperr.Error{Status: status, Message: msg, Body: gin.H{"code": code, "message": msg}}
}

const (
	msgEmpty    = "Username and/or password are empty"
	msgInvalid  = "Username and/or password are invalid"
	msgDisabled = "Username/password auth is disabled. Please login via one of the links below."
)

// credentials reads an {email, password} body with the schema checks of
// Credentials/AccountRegistration: both required strings, email with an "@".
func (h *Handler) credentials(c *gin.Context) (email, password string, err error) {
	body, err := httpx.ReadJSONObject(c, h.maxBody)
	if err == nil {
		err = httpx.Required(body, "email", "password")
	}
	if err == nil {
		err = httpx.Schema{"email": {Kind: httpx.String}, "password": {Kind: httpx.String}}.Validate(body)
	}
	if err == nil {
		err = httpx.EmailFormat(body, "email")
	}
	if err != nil {
		return "", "", err
	}
	return body["email"].(string), body["password"].(string), nil
}

func (h *Handler) login(c *gin.Context) {
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
	keys := throttleKeys(email, c.ClientIP())
	wait, blocked, delay := throttleCheck(ctx, h.throttle, h.cfg.LoginThrottle, keys)
	if blocked {
		c.Header("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		h.fail(c, loginError(http.StatusTooManyRequests, "THROTTLED", "Too many failed login attempts, please try again later"))
		return
	}
	if err := hold(ctx, delay); err != nil {
		return // the client went away
	}
	u, err := h.users.ByEmail(ctx, email)
	if err != nil && !errors.Is(err, auth.ErrUserNotFound) {
		h.fail(c, err)
		return
	}
	if u != nil && !u.IsSuperadmin && !h.cfg.UserLoginEnabled {
		h.fail(c, loginError(http.StatusUnauthorized, "INVALID", msgDisabled))
		return
	}
	if u == nil {
		user.CheckPassword(&h.dummyHash, password) // same cost as a real check
	} else if user.CheckPassword(u.Password, password) {
		if !u.IsActive {
			h.fail(c, loginError(http.StatusUnauthorized, "INACTIVE", "User account is inactive"))
			return
		}
		jwt, err := h.issueLogin(ctx, u)
		if err != nil {
			h.fail(c, err)
			return
		}
		h.throttle.Reset(ctx, keys.pair)
		httpx.JSON(c, http.StatusOK, gin.H{"name": u.Name, "email": u.Email, "token": jwt})
		return
	}
	h.throttle.Fail(ctx, keys.pair, keys.ip, keys.account)
	msg := msgInvalid
	if !h.cfg.UserLoginEnabled {
		msg = msgDisabled
	}
	h.fail(c, loginError(http.StatusUnauthorized, "INVALID", msg))
}

// issueLogin mints a login JWT and stores it as the user's login-token row.
// Right after a password change it first waits (under a second) for the
// change's cut-off: token times are whole seconds, and a token issued in the
// second of the change would be refused like the older ones.
func (h *Handler) issueLogin(ctx context.Context, u *model.User) (string, error) {
	nb, err := h.users.LoginNotBefore(ctx, u.ID)
	if err != nil {
		return "", err
	}
	if err := hold(ctx, time.Until(nb)); err != nil {
		return "", err
	}
	jwt, err := h.signer.IssueLogin(u.ID)
	if err != nil {
		return "", err
	}
	if err := h.tokens.UpsertLogin(ctx, u.ID, jwt); err != nil {
		return "", err
	}
	return jwt, nil
}

// apiBase is BACKEND_URL with /api appended unless it already ends there:
// links the server hands out (activation, OAuth redirect URIs) point at the API.
func (h *Handler) apiBase() string { return apiBase(h.cfg.BackendURL) }

// apiBase is backendURL with /api appended unless it already ends there.
func apiBase(backendURL string) string {
	b := strings.TrimRight(backendURL, "/")
	if !strings.HasSuffix(b, "/api") {
		b += "/api"
	}
	return b
}
