package group

import (
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
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
	api.GET("/group", h.list)
	api.POST("/group", h.create)
	api.GET("/group/:id", h.get)
	api.PUT("/group/:id", h.update)
}

func (h *Handler) list(c *gin.Context) {
	page, err := httpx.ParsePage(c, 25)
	if err != nil {
		h.Fail(c, err)
		return
	}
	gs, total, err := h.svc.List(c.Request.Context(), page.Page, page.PageSize)
	if err != nil {
		h.Fail(c, err)
		return
	}
	httpx.WriteList(c, "groups", httpx.Views(gs, NewView), httpx.NewPagination(page, total))
}

// create answers 403 to a non-superadmin before it reads the body.
func (h *Handler) create(c *gin.Context) {
	ctx := c.Request.Context()
	u := auth.UserFrom(ctx)
	if err := h.svc.CanWrite(u); err != nil {
		h.Fail(c, err)
		return
	}
	body, err := httpx.ReadBody(c, h.maxBody, RequestSchema)
	if err != nil {
		h.Fail(c, err)
		return
	}
	id, err := chosenID(body)
	if err != nil {
		h.Fail(c, err)
		return
	}
	g, err := h.svc.Create(ctx, u, id, newRequest(body))
	if err != nil {
		h.Fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusCreated, NewView(g))
}

func (h *Handler) get(c *gin.Context) {
	id, err := httpx.PathUUID(c, "id")
	if err != nil {
		h.Fail(c, err)
		return
	}
	g, err := h.svc.Get(c.Request.Context(), id)
	if err != nil {
		h.Fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, NewView(g))
}

func (h *Handler) update(c *gin.Context) {
	ctx := c.Request.Context()
	u := auth.UserFrom(ctx)
	if err := h.svc.CanWrite(u); err != nil {
		h.Fail(c, err)
		return
	}
	id, err := httpx.PathUUID(c, "id")
	if err != nil {
		h.Fail(c, err)
		return
	}
	g, err := h.svc.Editable(ctx, u, id)
	if err != nil {
		h.Fail(c, err)
		return
	}
	body, err := httpx.ReadBody(c, h.maxBody, RequestSchema)
	if err != nil {
		h.Fail(c, err)
		return
	}
	if g, err = h.svc.Update(ctx, g, newRequest(body)); err != nil {
		h.Fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, NewView(g))
}
