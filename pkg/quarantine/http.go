package quarantine

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

// Handler serves /api/project/{id}/quarantine* (an extension of this server).
type Handler struct {
	httpx.Failer
	svc     *Service
	maxBody int64
}

// NewHandler builds the handler.
func NewHandler(svc *Service, log *slog.Logger, maxBody int64) *Handler {
	return &Handler{Failer: httpx.Failer{Log: log}, svc: svc, maxBody: maxBody}
}

// Register mounts the routes on the authenticated API group.
func (h *Handler) Register(api gin.IRouter) {
	api.GET("/project/:id/quarantine", h.list)
	api.POST("/project/:id/quarantine", h.create)
	api.PUT("/project/:id/quarantine/:entry", h.update)
	api.DELETE("/project/:id/quarantine/:entry", h.remove)
	api.GET("/project/:id/quarantine.txt", h.text)
}

// bodySchema types the create and update bodies.
var bodySchema = httpx.Schema{
	"pattern": {Kind: httpx.String}, "reason": {Kind: httpx.String},
	"owner": {Kind: httpx.String, Nullable: true}, "expires": {Kind: httpx.String, Nullable: true},
}

func (h *Handler) list(c *gin.Context) {
	ctx := c.Request.Context()
	id, err := httpx.PathUUID(c, "id")
	if err != nil {
		h.Fail(c, err)
		return
	}
	page, err := httpx.ParsePage(c, 100)
	if err != nil {
		h.Fail(c, err)
		return
	}
	rows, total, err := h.svc.List(ctx, auth.UserFrom(ctx), id, (page.Page-1)*page.PageSize, page.PageSize)
	if err != nil {
		h.Fail(c, err)
		return
	}
	now := h.svc.now()
	views := make([]View, len(rows))
	for i := range rows {
		views[i] = NewView(&rows[i], now)
	}
	httpx.WriteList(c, "quarantine", views, httpx.NewPagination(page, total))
}

// request reads the project id, then the body decoded into req.
func (h *Handler) request(c *gin.Context, req any) (uuid.UUID, error) {
	id, body, err := httpx.PathUUIDAndBody(c, "id", h.maxBody, bodySchema)
	if err == nil {
		err = bodySchema.RejectUnknown(body)
	}
	if err == nil {
		err = decode(body, req)
	}
	return id, err
}

func (h *Handler) create(c *gin.Context) {
	ctx := c.Request.Context()
	var req CreateRequest
	id, err := h.request(c, &req)
	var e *Entry
	if err == nil {
		e, err = h.svc.Create(ctx, auth.UserFrom(ctx), id, req)
	}
	h.reply(c, http.StatusCreated, e, err)
}

func (h *Handler) update(c *gin.Context) {
	ctx := c.Request.Context()
	var req UpdateRequest
	entryID, err := httpx.PathUUID(c, "entry")
	var id uuid.UUID
	if err == nil {
		id, err = h.request(c, &req)
	}
	var e *Entry
	if err == nil {
		e, err = h.svc.Update(ctx, auth.UserFrom(ctx), id, entryID, req)
	}
	h.reply(c, http.StatusOK, e, err)
}

func (h *Handler) remove(c *gin.Context) {
	ctx := c.Request.Context()
	id, err := httpx.PathUUID(c, "id")
	var entryID uuid.UUID
	if err == nil {
		entryID, err = httpx.PathUUID(c, "entry")
	}
	if err == nil {
		err = h.svc.Delete(ctx, auth.UserFrom(ctx), id, entryID)
	}
	httpx.Reply(c, h.Fail, http.StatusOK, "OK", err, httpx.Same[string])
}

func (h *Handler) text(c *gin.Context) {
	ctx := c.Request.Context()
	id, err := httpx.PathUUID(c, "id")
	var txt string
	if err == nil {
		txt, err = h.svc.Text(ctx, auth.UserFrom(ctx), id)
	}
	if err != nil {
		h.Fail(c, err)
		return
	}
	c.Data(http.StatusOK, "text/plain; charset=utf-8", []byte(txt))
}

func (h *Handler) reply(c *gin.Context, status int, e *Entry, err error) {
	now := h.svc.now()
	httpx.Reply(c, h.Fail, status, e, err, func(e *Entry) View { return NewView(e, now) })
}

// decode turns a schema-checked body into a typed request.
func decode(body map[string]any, dst any) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("encode request body: %w", err)
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return fmt.Errorf("decode request body: %w", err)
	}
	return nil
}
