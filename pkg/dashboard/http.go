package dashboard

import (
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
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
	api.GET("/dashboard", h.list)
	api.POST("/dashboard", h.create)
	api.GET("/dashboard/:id", h.get)
	api.PUT("/dashboard/:id", h.update)
	api.DELETE("/dashboard/:id", h.delete)
}

func (h *Handler) list(c *gin.Context) {
	ctx := c.Request.Context()
	page, err := httpx.ParsePage(c, 25)
	if err != nil {
		h.Fail(c, err)
		return
	}
	q := ListQuery{Filters: c.QueryArray("filter"), Page: Page{Number: page.Page, Size: page.PageSize}}
	q.Project, q.HasProject = httpx.LastQuery(c, "project_id")
	ds, total, err := h.svc.List(ctx, auth.UserFrom(ctx), q)
	if err != nil {
		h.Fail(c, err)
		return
	}
	httpx.WriteList(c, "dashboards", httpx.Views(ds, NewView), httpx.NewPagination(page, total))
}

func (h *Handler) create(c *gin.Context) {
	ctx := c.Request.Context()
	body, err := httpx.ReadBody(c, h.maxBody, RequestSchema)
	if err != nil {
		h.Fail(c, err)
		return
	}
	id, err := httpx.BodyIDOrNew(body)
	if err != nil {
		h.Fail(c, err)
		return
	}
	r := newRequest(body)
	if err := r.requireTitle(); err != nil {
		h.Fail(c, err)
		return
	}
	d, err := h.svc.Create(ctx, auth.UserFrom(ctx), id, r)
	if err != nil {
		h.Fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusCreated, NewView(d))
}

func (h *Handler) get(c *gin.Context) {
	ctx := c.Request.Context()
	id, err := httpx.PathUUID(c, "id")
	if err != nil {
		h.Fail(c, err)
		return
	}
	d, err := h.svc.Get(ctx, auth.UserFrom(ctx), id)
	if err != nil {
		h.Fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, NewView(d))
}

// update checks the dashboard and the caller's right to change it before
// it reads the body, as upstream answers 404/403 first.
func (h *Handler) update(c *gin.Context) {
	ctx := c.Request.Context()
	u := auth.UserFrom(ctx)
	id, err := httpx.PathUUID(c, "id")
	if err != nil {
		h.Fail(c, err)
		return
	}
	d, err := h.svc.Editable(ctx, u, id)
	if err != nil {
		h.Fail(c, err)
		return
	}
	body, err := httpx.ReadBody(c, h.maxBody, RequestSchema)
	if err != nil {
		h.Fail(c, err)
		return
	}
	if d, err = h.svc.Update(ctx, u, d, newRequest(body)); err != nil {
		h.Fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, NewView(d))
}

func (h *Handler) delete(c *gin.Context) {
	ctx := c.Request.Context()
	id, err := httpx.PathUUID(c, "id")
	if err != nil {
		h.Fail(c, err)
		return
	}
	if err := h.svc.Delete(ctx, auth.UserFrom(ctx), id); err != nil {
		h.Fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, "OK")
}
