package widgetconfig

import (
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/dashboard"
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
	api.GET("/widget-config", h.list)
	api.POST("/widget-config", h.create)
	api.GET("/widget-config/:id", h.get)
	api.PUT("/widget-config/:id", h.update)
	api.DELETE("/widget-config/:id", h.delete)
}

func (h *Handler) list(c *gin.Context) {
	ctx := c.Request.Context()
	page, err := httpx.ParsePage(c, 25)
	if err != nil {
		h.Fail(c, err)
		return
	}
	ws, total, err := h.svc.List(ctx, auth.UserFrom(ctx), c.QueryArray("filter"), dashboard.Page{Number: page.Page, Size: page.PageSize})
	if err != nil {
		h.Fail(c, err)
		return
	}
	httpx.WriteList(c, "widgets", httpx.Views(ws, NewView), httpx.NewPagination(page, total))
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
	w, err := h.svc.Create(ctx, auth.UserFrom(ctx), id, newRequest(body))
	if err != nil {
		h.Fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusCreated, NewView(w))
}

func (h *Handler) get(c *gin.Context) {
	ctx := c.Request.Context()
	id, err := httpx.PathUUID(c, "id")
	if err != nil {
		h.Fail(c, err)
		return
	}
	w, err := h.svc.Get(ctx, auth.UserFrom(ctx), id)
	if err != nil {
		h.Fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, NewView(w))
}

// update answers a missing config (404) before it reads the body, and the
// body's errors before the access check, as it always has.
func (h *Handler) update(c *gin.Context) {
	ctx := c.Request.Context()
	id, err := httpx.PathUUID(c, "id")
	if err != nil {
		h.Fail(c, err)
		return
	}
	w, err := h.svc.Load(ctx, id, "Widget config not found")
	if err != nil {
		h.Fail(c, err)
		return
	}
	body, err := httpx.ReadBody(c, h.maxBody, RequestSchema)
	if err != nil {
		h.Fail(c, err)
		return
	}
	if w, err = h.svc.Update(ctx, auth.UserFrom(ctx), w, newRequest(body)); err != nil {
		h.Fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, NewView(w))
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
