package token

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

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
	fail := httpx.ErrorWriter(h.log)
	api.GET("/user/token", httpx.ListPage(fail, "tokens", h.list, NewView))
	api.POST("/user/token", h.create)
	api.GET("/user/token/:id", httpx.GetByID(fail, h.get, NewView))
	api.DELETE("/user/token/:id", httpx.DeleteByID(fail, h.delete))
}

var createSchema = httpx.Schema{"name": {Kind: httpx.String}, "expires": {Kind: httpx.String, Nullable: true}}

func (h *Handler) list(c *gin.Context, page httpx.Page) ([]model.Token, int64, error) {
	ctx := c.Request.Context()
	return h.svc.List(ctx, auth.UserFrom(ctx), page.Page, page.PageSize)
}

func (h *Handler) create(c *gin.Context) {
	ctx := c.Request.Context()
	body, err := httpx.ReadBody(c, h.maxBody, createSchema)
	if err == nil {
		err = httpx.Required(body, "name", "expires")
	}
	var t *model.Token
	if err == nil {
		t, err = h.svc.Create(ctx, auth.UserFrom(ctx), CreateRequest{Name: body["name"].(string), Expires: httpx.Str(body, "expires")})
	}
	httpx.Reply(c, httpx.ErrorWriter(h.log), http.StatusCreated, t, err, NewView)
}

func (h *Handler) get(ctx context.Context, id uuid.UUID) (*model.Token, error) {
	return h.svc.Get(ctx, auth.UserFrom(ctx), id)
}

func (h *Handler) delete(ctx context.Context, id uuid.UUID) error {
	return h.svc.Delete(ctx, auth.UserFrom(ctx), id)
}
