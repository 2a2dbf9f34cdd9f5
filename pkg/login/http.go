package login

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
	"github.com/ibutsu-go/ibutsu/pkg/token"
	"github.com/ibutsu-go/ibutsu/pkg/user"
)

// Handler serves /api/login*.
type Handler struct {
	svc    *Service
	signer *auth.Signer
	cfg    *config.Config
	httpx.Failer
	maxBody int64
	oauth   *oauthClients
}

// NewHandler builds the handler and its service. mails queues the
// activation and reset e-mails; throttle counts failed logins (nil: in
// this process).
func NewHandler(cfg *config.Config, users *user.Store, tokens *token.Store, signer *auth.Signer, mails *AccountMail, throttle Throttle, log *slog.Logger) (*Handler, error) {
	svc, err := NewService(cfg, users, tokens, signer, mails, throttle, log)
	if err != nil {
		return nil, err
	}
	return &Handler{svc: svc, signer: signer, cfg: cfg, Failer: httpx.Failer{Log: log}, maxBody: cfg.Limits.JSONBodyMaxBytes,
		oauth: newOAuthClients(cfg.OAuth, log)}, nil
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

// credentialsRequest is the Credentials/AccountRegistration body.
type credentialsRequest struct{ Email, Password string }

// readStrings reads a JSON object body in which every one of names is a
// required string property (upstream's schema checks and messages) and
// returns their values, in the order of names.
func (h *Handler) readStrings(c *gin.Context, names ...string) ([]string, map[string]any, error) {
	body, err := httpx.ReadJSONObject(c, h.maxBody)
	if err == nil {
		err = httpx.Required(body, names...)
	}
	if err == nil {
		schema := httpx.Schema{}
		for _, n := range names {
			schema[n] = httpx.Field{Kind: httpx.String}
		}
		err = schema.Validate(body)
	}
	if err != nil {
		return nil, nil, err
	}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = body[n].(string)
	}
	return out, body, nil
}

// credentials reads an {email, password} body with the schema checks of
// Credentials/AccountRegistration: both required strings, email with an "@".
func (h *Handler) credentials(c *gin.Context) (credentialsRequest, error) {
	v, body, err := h.readStrings(c, "email", "password")
	if err == nil {
		err = httpx.EmailFormat(body, "email")
	}
	if err != nil {
		return credentialsRequest{}, err
	}
	return credentialsRequest{Email: v[0], Password: v[1]}, nil
}

func (h *Handler) login(c *gin.Context) {
	req, err := h.credentials(c)
	if err != nil {
		h.Fail(c, err)
		return
	}
	u, jwt, err := h.svc.Login(c.Request.Context(), req.Email, req.Password, c.ClientIP())
	var throttled *Throttled
	switch {
	case errors.Is(err, errGone):
		return // the client went away
	case errors.As(err, &throttled):
		h.tooMany(c, throttled, "Too many failed login attempts, please try again later")
		return
	case err != nil:
		h.Fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, gin.H{"name": u.Name, "email": u.Email, "token": jwt})
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

// tooMany answers a throttled request: 429, Retry-After in whole seconds,
// and upstream's LoginError shape with code THROTTLED.
func (h *Handler) tooMany(c *gin.Context, t *Throttled, msg string) {
	c.Header("Retry-After", strconv.Itoa(int(t.RetryAfter.Seconds())+1))
	h.Fail(c, &apperr.Error{Status: http.StatusTooManyRequests, Message: msg, Body: gin.H{"code": "THROTTLED", "message": msg}})
}
