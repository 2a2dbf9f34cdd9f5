package token

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

// Handler serves /api/user/token*: the caller's own API tokens.
type Handler struct {
	store   *Store
	signer  *auth.Signer
	log     *slog.Logger
	maxBody int64
	now     func() time.Time
}

// NewHandler builds the handler.
func NewHandler(store *Store, signer *auth.Signer, log *slog.Logger, maxBody int64) *Handler {
	return &Handler{store: store, signer: signer, log: log, maxBody: maxBody, now: time.Now}
}

// Register mounts the routes on the authenticated API group.
func (h *Handler) Register(api gin.IRouter) {
	api.GET("/user/token", h.list)
	api.POST("/user/token", h.create)
	api.GET("/user/token/:id", h.get)
	api.DELETE("/user/token/:id", h.delete)
}

var createSchema = httpx.Schema{"name": {Kind: httpx.String}, "expires": {Kind: httpx.String, Nullable: true}}

func (h *Handler) fail(c *gin.Context, err error) { httpx.WriteError(c, h.log, err) }

func (h *Handler) list(c *gin.Context) {
	ctx := c.Request.Context()
	page, err := httpx.ParsePage(c, 25)
	if err != nil {
		h.fail(c, err)
		return
	}
	ts, total, err := h.store.List(ctx, auth.UserFrom(ctx).ID, page)
	if err != nil {
		h.fail(c, err)
		return
	}
	httpx.WriteList(c, "tokens", httpx.Views(ts, NewView), httpx.NewPagination(page, total))
}

func (h *Handler) create(c *gin.Context) {
	ctx := c.Request.Context()
	body, err := httpx.ReadBody(c, h.maxBody, createSchema)
	if err == nil {
		err = httpx.Required(body, "name", "expires")
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	t, err := h.Create(ctx, auth.UserFrom(ctx), body["name"].(string), body["expires"])
	if err != nil {
		h.fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusCreated, NewView(t))
}

// Create mints and stores an API token whose JWT `exp` is the requested
// expiry. Tokens must expire (a null `expires` is a 400, where upstream
// crashes), in the future, and may not take the reserved login-token name.
func (h *Handler) Create(ctx context.Context, u *model.User, name string, expires any) (*model.Token, error) {
	if strings.TrimSpace(name) == "" {
		return nil, apperr.BadRequest("Bad request, token name is required")
	}
	if name == LoginName {
		return nil, apperr.BadRequest("Bad request, the token name %s is reserved", LoginName)
	}
	s, _ := expires.(string)
	if expires == nil || strings.TrimSpace(s) == "" {
		return nil, apperr.BadRequest("Bad request, expires is required: API tokens must have an expiry date")
	}
	exp, err := model.ParseTime(s)
	if err != nil {
		return nil, apperr.BadRequest("Bad request, expires %q is not an ISO-8601 date-time", s)
	}
	exp = exp.Truncate(time.Second)
	if !exp.After(h.now()) {
		return nil, apperr.BadRequest("Bad request, expires must be in the future")
	}
	jwt, err := h.signer.IssueUntil(u.ID, exp)
	if err != nil {
		return nil, err
	}
	t := &model.Token{Name: name, Token: jwt, Expires: &exp, UserID: &u.ID}
	if err := h.store.Create(ctx, t); err != nil {
		return nil, err
	}
	return t, nil
}

// load reads the path's token and checks it is the caller's.
func (h *Handler) load(c *gin.Context, notFound string) (*model.Token, error) {
	ctx := c.Request.Context()
	id, err := httpx.PathUUID(c, "id")
	if err != nil {
		return nil, err
	}
	t, err := h.store.ByID(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return nil, apperr.NotFound(notFound)
	}
	if err != nil {
		return nil, err
	}
	if t.UserID == nil || *t.UserID != auth.UserFrom(ctx).ID {
		return nil, apperr.Forbidden()
	}
	return t, nil
}

func (h *Handler) get(c *gin.Context) {
	t, err := h.load(c, "Token not found")
	if err != nil {
		h.fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, NewView(t))
}

func (h *Handler) delete(c *gin.Context) {
	t, err := h.load(c, "Not Found")
	if err != nil {
		h.fail(c, err)
		return
	}
	if err := h.store.Delete(c.Request.Context(), t.ID); err != nil {
		h.fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, "OK")
}
