package dashboard

import (
	"context"
	"log/slog"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

// Handler serves /api/dashboard* (pkg/openapi/spec/paths/dashboards.yaml): it decodes requests,
// calls the Service and renders its answers.
type Handler struct {
	svc *Service
	httpx.Failer
	maxBody int64
}

// NewHandler builds the handler with its service and store.
func NewHandler(d *db.DB, projects Projects, log *slog.Logger, maxBody int64) *Handler {
	return &Handler{svc: NewService(NewStore(d), projects), Failer: httpx.Failer{Log: log}, maxBody: maxBody}
}

// Register mounts the routes on the authenticated API group.
func (h *Handler) Register(api gin.IRouter) {
	api.GET("/dashboard", httpx.ListPage(h.Fail, "dashboards", h.list, NewView))
	api.POST("/dashboard", httpx.CreateWithID(h.Fail, h.maxBody, RequestSchema, h.create, NewView))
	api.GET("/dashboard/:id", httpx.GetByID(h.Fail, h.get, NewView))
	// A PUT checks the dashboard and the caller's right to change it
	// before it reads the body, as upstream answers 404/403 first.
	api.PUT("/dashboard/:id", httpx.UpdateLoaded(h.Fail, h.maxBody, RequestSchema, h.editable, h.update, NewView))
	api.DELETE("/dashboard/:id", httpx.DeleteByID(h.Fail, h.delete))
}

func (h *Handler) list(c *gin.Context, page httpx.Page) ([]model.Dashboard, int64, error) {
	ctx := c.Request.Context()
	q := ListQuery{Filters: c.QueryArray("filter"), Page: Page{Number: page.Page, Size: page.PageSize}}
	q.Project, q.HasProject = httpx.LastQuery(c, "project_id")
	return h.svc.List(ctx, auth.UserFrom(ctx), q)
}

func (h *Handler) create(ctx context.Context, id uuid.UUID, body map[string]any) (*model.Dashboard, error) {
	r := newRequest(body)
	if err := r.requireTitle(); err != nil {
		return nil, err
	}
	return h.svc.Create(ctx, auth.UserFrom(ctx), id, r)
}

func (h *Handler) get(ctx context.Context, id uuid.UUID) (*model.Dashboard, error) {
	return h.svc.Get(ctx, auth.UserFrom(ctx), id)
}

func (h *Handler) update(ctx context.Context, d *model.Dashboard, body map[string]any) (*model.Dashboard, error) {
	return h.svc.Update(ctx, auth.UserFrom(ctx), d, newRequest(body))
}

func (h *Handler) editable(ctx context.Context, id uuid.UUID) (*model.Dashboard, error) {
	return h.svc.Editable(ctx, auth.UserFrom(ctx), id)
}

func (h *Handler) delete(ctx context.Context, id uuid.UUID) error {
	return h.svc.Delete(ctx, auth.UserFrom(ctx), id)
}
