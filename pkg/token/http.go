package token

import (
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

// Handler serves /api/user/token*: the caller's own API tokens.
type Handler struct {
	svc     *Service
	log     *slog.Logger
	maxBody int64
}

// NewHandler builds the handler.
func NewHandler(store *Store, signer *auth.Signer, log *slog.Logger, maxBody int64) *Handler {
	return &Handler{svc: NewService(store, signer), log: log, maxBody: maxBody}
}

// Register mounts the routes on the authenticated API group.
func (h *Handler) Register(api gin.IRouter) {
	api.GET("/user/token", h.list)
	api.POST("/user/token", h.create)
	api.GET("/user/token/:id", h.get)
	api.DELETE("/user/token/:id", h.delete)
}

var createSchema = httpx.Schema{"name": {Kind: httpx.String}, "expires": {Kind: httpx.String, Nullable: true}}

func (h *Handler) list(c *gin.Context) {
	ctx := c.Request.Context()
	page, err := httpx.ParsePage(c, 25)
	if err != nil {
		httpx.WriteError(c, h.log, err)
		return
	}
	ts, total, err := h.svc.List(ctx, auth.UserFrom(ctx), page.Page, page.PageSize)
	if err != nil {
		httpx.WriteError(c, h.log, err)
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
		httpx.WriteError(c, h.log, err)
		return
	}
	t, err := h.svc.Create(ctx, auth.UserFrom(ctx), CreateRequest{Name: body["name"].(string), Expires: httpx.Str(body, "expires")})
	if err != nil {
		httpx.WriteError(c, h.log, err)
		return
	}
	httpx.JSON(c, http.StatusCreated, NewView(t))
}

func (h *Handler) get(c *gin.Context) {
	ctx := c.Request.Context()
	id, err := httpx.PathUUID(c, "id")
	var t *model.Token
	if err == nil {
		t, err = h.svc.Get(ctx, auth.UserFrom(ctx), id)
	}
	if err != nil {
		httpx.WriteError(c, h.log, err)
		return
	}
	httpx.JSON(c, http.StatusOK, NewView(t))
}

func (h *Handler) delete(c *gin.Context) {
	ctx := c.Request.Context()
	id, err := httpx.PathUUID(c, "id")
	if err == nil {
		err = h.svc.Delete(ctx, auth.UserFrom(ctx), id)
	}
	if err != nil {
		httpx.WriteError(c, h.log, err)
		return
	}
	httpx.JSON(c, http.StatusOK, "OK")
}
