package group

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

// Handler serves /api/group*: it decodes requests, calls the Service and
// renders its answers.
type Handler struct {
	svc *Service
	httpx.Failer
	maxBody int64
}

// NewHandler builds the handler with its service and store.
func NewHandler(d *db.DB, log *slog.Logger, maxBody int64) *Handler {
	return &Handler{svc: NewService(NewStore(d)), Failer: httpx.Failer{Log: log}, maxBody: maxBody}
}

// Register mounts the routes on the authenticated API group.
func (h *Handler) Register(api gin.IRouter) {
	api.GET("/group", httpx.ListPage(h.Fail, "groups", h.list, NewView))
	api.POST("/group", h.create)
	api.GET("/group/:id", httpx.GetByID(h.Fail, h.svc.Get, NewView))
	api.PUT("/group/:id", h.update)
}

func (h *Handler) list(c *gin.Context, page httpx.Page) ([]model.Group, int64, error) {
	return h.svc.List(c.Request.Context(), page.Page, page.PageSize)
}

// create answers 403 to a non-superadmin before it reads the body.
func (h *Handler) create(c *gin.Context) {
	ctx := c.Request.Context()
	u := auth.UserFrom(ctx)
	err := h.svc.CanWrite(u)
	var body map[string]any
	if err == nil {
		body, err = httpx.ReadBody(c, h.maxBody, RequestSchema)
	}
	var id *uuid.UUID
	if err == nil {
		id, err = chosenID(body)
	}
	var g *model.Group
	if err == nil {
		g, err = h.svc.Create(ctx, u, id, newRequest(body))
	}
	httpx.Reply(c, h.Fail, http.StatusCreated, g, err, NewView)
}

// update answers 403 to a non-superadmin before it reads the path id.
func (h *Handler) update(c *gin.Context) {
	ctx := c.Request.Context()
	err := h.svc.CanWrite(auth.UserFrom(ctx))
	var g *model.Group
	var body map[string]any
	if err == nil {
		g, body, err = httpx.LoadThenBody(c, h.maxBody, RequestSchema, h.editable)
	}
	if err == nil {
		g, err = h.svc.Update(ctx, g, newRequest(body))
	}
	httpx.Reply(c, h.Fail, http.StatusOK, g, err, NewView)
}

func (h *Handler) editable(ctx context.Context, id uuid.UUID) (*model.Group, error) {
	return h.svc.Editable(ctx, auth.UserFrom(ctx), id)
}
