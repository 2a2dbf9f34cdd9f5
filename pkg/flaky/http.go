package flaky

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

// Handler serves GET /api/flaky and /api/project/{id}/flaky-settings (our
// extensions).
type Handler struct {
	httpx.Failer
	svc         *Service
	maxBody     int64
	maxPageSize int
}

// NewHandler builds the handler.
func NewHandler(svc *Service, log *slog.Logger, maxBody int64, maxPageSize int) *Handler {
	return &Handler{Failer: httpx.Failer{Log: log}, svc: svc, maxBody: maxBody, maxPageSize: maxPageSize}
}

// Register mounts the routes on the authenticated API group.
func (h *Handler) Register(api gin.IRouter) {
	api.GET("/flaky", h.list)
	api.GET("/project/:id/flaky-settings", h.getSettings)
	api.PUT("/project/:id/flaky-settings", h.putSettings)
}

// defaultPageSize is the list's page size when none is asked for.
const defaultPageSize = 25

func (h *Handler) list(c *gin.Context) {
	ctx := c.Request.Context()
	req, err := decodeList(c, h.maxPageSize)
	if err != nil {
		h.Fail(c, err)
		return
	}
	rows, total, err := h.svc.List(ctx, auth.UserFrom(ctx), req)
	if err != nil {
		h.Fail(c, err)
		return
	}
	httpx.WriteList(c, "flaky", httpx.Views(rows, NewView), httpx.NewPagination(req.Page, total))
}

// decodeList reads GET /api/flaky's query: project (required), component,
// env, job, window (days), page, pageSize.
func decodeList(c *gin.Context, maxPageSize int) (ListRequest, error) {
	var req ListRequest
	raw, ok := httpx.LastQuery(c, "project")
	if !ok || strings.TrimSpace(raw) == "" {
		return req, apperr.BadRequest("project is required")
	}
	id, ok := httpx.ParseUUID(strings.TrimSpace(raw))
	if !ok {
		return req, apperr.BadRequest("project is not a valid UUID: %q", raw)
	}
	req.Project = id
	for name, dst := range map[string]**string{"component": &req.Component, "env": &req.Env, "job": &req.Job} {
		if v, ok := httpx.LastQuery(c, name); ok {
			*dst = &v
		}
	}
	if v, ok := httpx.LastQuery(c, "window"); ok {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 1 || n > maxWindowDays {
			return req, apperr.BadRequest("window must be a number of days between 1 and %d", maxWindowDays)
		}
		req.WindowDays = &n
	}
	p, err := httpx.ParsePage(c, defaultPageSize)
	if err != nil {
		return req, err
	}
	if p.Page < 1 {
		return req, apperr.BadRequest("page must be at least 1")
	}
	if p.PageSize > maxPageSize {
		return req, apperr.BadRequest("pageSize must be at most %d", maxPageSize)
	}
	req.Page = p
	return req, nil
}

func (h *Handler) getSettings(c *gin.Context) {
	httpx.GetByID(h.Fail, func(ctx context.Context, id uuid.UUID) (Settings, error) {
		return h.svc.GetSettings(ctx, auth.UserFrom(ctx), id)
	}, httpx.Same[Settings])(c)
}

var settingsSchema = httpx.Schema{
	"min_flips": {Kind: httpx.Integer}, "last_runs": {Kind: httpx.Integer}, "window_days": {Kind: httpx.Integer},
}

func (h *Handler) putSettings(c *gin.Context) {
	ctx := c.Request.Context()
	id, body, err := httpx.PathUUIDAndBody(c, "id", h.maxBody, settingsSchema)
	if err == nil {
		err = settingsSchema.RejectUnknown(body)
	}
	var st Settings
	if err == nil {
		var req SettingsRequest
		if req, err = decodeSettings(body); err == nil {
			st, err = h.svc.PutSettings(ctx, auth.UserFrom(ctx), id, req)
		}
	}
	httpx.Reply(c, h.Fail, http.StatusOK, st, err, httpx.Same[Settings])
}

// decodeSettings turns the checked body into the request; a number beyond
// int range is a 400.
func decodeSettings(body map[string]any) (SettingsRequest, error) {
	var req SettingsRequest
	for name, dst := range map[string]**int{"min_flips": &req.MinFlips, "last_runs": &req.LastRuns, "window_days": &req.WindowDays} {
		n, ok := body[name].(json.Number)
		if !ok {
			continue
		}
		v, err := strconv.ParseInt(n.String(), 10, 32)
		if err != nil {
			return req, apperr.BadRequest("%s is out of range", name)
		}
		i := int(v)
		*dst = &i
	}
	return req, nil
}
