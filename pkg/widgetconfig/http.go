package widgetconfig

import (
	"context"
	"log/slog"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/dashboard"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
	"github.com/ibutsu-go/ibutsu/pkg/project"
)

// Handler serves /api/widget-config*: it decodes requests, calls the
// Service and renders its answers.
type Handler struct {
	svc *Service
	httpx.Failer
	maxBody int64
}

// NewHandler builds the handler with its service and store.
func NewHandler(d *db.DB, projects *project.Store, log *slog.Logger, maxBody int64) *Handler {
	return &Handler{svc: NewService(NewStore(d), projects), Failer: httpx.Failer{Log: log}, maxBody: maxBody}
}

// Register mounts the routes on the authenticated API group.
func (h *Handler) Register(api gin.IRouter) {
	api.GET("/widget-config", httpx.ListPage(h.Fail, "widgets", h.list, NewView))
	api.POST("/widget-config", httpx.CreateWithID(h.Fail, h.maxBody, RequestSchema, h.create, NewView))
	api.GET("/widget-config/:id", httpx.GetByID(h.Fail, h.get, NewView))
	// A PUT answers a missing config (404) before it reads the body, and
	// the body's errors before the access check, as it always has.
	api.PUT("/widget-config/:id", httpx.UpdateLoaded(h.Fail, h.maxBody, RequestSchema, h.load, h.update, NewView))
	api.DELETE("/widget-config/:id", httpx.DeleteByID(h.Fail, h.delete))
}

func (h *Handler) list(c *gin.Context, page httpx.Page) ([]model.WidgetConfig, int64, error) {
	ctx := c.Request.Context()
	return h.svc.List(ctx, auth.UserFrom(ctx), c.QueryArray("filter"), dashboard.Page{Number: page.Page, Size: page.PageSize})
}

func (h *Handler) create(ctx context.Context, id uuid.UUID, body map[string]any) (*model.WidgetConfig, error) {
	return h.svc.Create(ctx, auth.UserFrom(ctx), id, newRequest(body))
}

func (h *Handler) get(ctx context.Context, id uuid.UUID) (*model.WidgetConfig, error) {
	return h.svc.Get(ctx, auth.UserFrom(ctx), id)
}

func (h *Handler) update(ctx context.Context, w *model.WidgetConfig, body map[string]any) (*model.WidgetConfig, error) {
	return h.svc.Update(ctx, auth.UserFrom(ctx), w, newRequest(body))
}

func (h *Handler) load(ctx context.Context, id uuid.UUID) (*model.WidgetConfig, error) {
	return h.svc.Load(ctx, id, "Widget config not found")
}

func (h *Handler) delete(ctx context.Context, id uuid.UUID) error {
	return h.svc.Delete(ctx, auth.UserFrom(ctx), id)
}
