package run

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
	"github.com/ibutsu-go/ibutsu/pkg/result"
)

// Handler serves /api/run* and /api/runs/bulk-update.
type Handler struct {
	svc                    *Service
	async                  result.AsyncQueries
	log                    *slog.Logger
	maxBody                int64
	maxPageSize, threshold int
}

// NewHandler builds the handler.
func NewHandler(svc *Service, async result.AsyncQueries, log *slog.Logger, maxBody int64, maxPageSize, estimateThreshold int) *Handler {
	return &Handler{svc: svc, async: async, log: log, maxBody: maxBody, maxPageSize: maxPageSize, threshold: estimateThreshold}
}

// Register mounts the routes on the authenticated API group.
func (h *Handler) Register(api gin.IRouter) {
	api.GET("/run", result.ListHandler(h.fail, h.async, "runs", h.maxPageSize, h.threshold, h.svc.List))
	api.POST("/run", result.CreateHandler(h.fail, h.maxBody, createSchema, result.Rendered(h.svc.Create, h.svc.RenderOne), httpx.Same[View]))
	api.GET("/run/:id", httpx.GetByID(h.fail, h.view, httpx.Same[View]))
	api.POST("/run/:id/finish", httpx.GetByID(h.fail, h.finish, httpx.Same[View]))
	api.GET("/run/:id/previous", h.previous)
	api.PUT("/run/:id", result.UpdateHandler(h.fail, h.maxBody, createSchema, result.RenderedByID(h.svc.Update, h.svc.RenderOne), httpx.Same[View]))
	api.POST("/runs/bulk-update", h.bulkUpdate)
}

var createSchema = httpx.Schema{
	"id": {Kind: httpx.String}, "created": {Kind: httpx.String, Nullable: true}, "start_time": {Kind: httpx.String, Nullable: true},
	"duration": {Kind: httpx.Number, Nullable: true}, "source": {Kind: httpx.String, Nullable: true},
	"component": {Kind: httpx.String, Nullable: true}, "env": {Kind: httpx.String, Nullable: true},
	"project_id": {Kind: httpx.String, Nullable: true}, "metadata": {Kind: httpx.Object, Nullable: true},
	"summary": {Kind: httpx.Object, Nullable: true},
}

func (h *Handler) fail(c *gin.Context, err error) {
	switch {
	case errors.Is(err, ErrNotFound):
		err = apperr.NotFound("Run not found")
	}
	httpx.WriteError(c, h.log, err)
}

// get loads the run and checks the caller may see it.
func (h *Handler) get(ctx context.Context, id uuid.UUID) (*model.Run, error) {
	return h.svc.Readable(ctx, auth.UserFrom(ctx), id)
}

// view loads the run with its live state.
func (h *Handler) view(ctx context.Context, id uuid.UUID) (View, error) {
	return h.svc.View(ctx, auth.UserFrom(ctx), id)
}

// finish marks the run finished by its client.
func (h *Handler) finish(ctx context.Context, id uuid.UUID) (View, error) {
	return h.svc.Finish(ctx, auth.UserFrom(ctx), id)
}

// maxBulk is the most runs one bulk update may touch.
const maxBulk = 25

func (h *Handler) bulkUpdate(c *gin.Context) {
	ctx := c.Request.Context()
	req, err := decodeBulkRequest(c, h.maxBody)
	var runs []model.Run
	if err == nil {
		runs, err = h.svc.BulkUpdate(ctx, auth.UserFrom(ctx), req.Filters, req.PageSize, req.Metadata)
	}
	if err == nil && len(runs) == 0 {
		err = apperr.NotFound(fmt.Sprintf("No runs found with %v", pyList(req.Filters)))
	}
	httpx.Reply(c, h.fail, http.StatusOK, runs, err, Views)
}

// decodeBulkRequest reads the body's metadata, then page size and filters,
// answering upstream's statuses: no metadata is a 401, more than maxBulk
// runs a 405.
func decodeBulkRequest(c *gin.Context, maxBody int64) (BulkUpdateRequest, error) {
	body, err := httpx.ReadJSONObject(c, maxBody)
	if err != nil {
		return BulkUpdateRequest{}, err
	}
	md := httpx.Obj(body, "metadata")
	if len(md) == 0 {
		return BulkUpdateRequest{}, apperr.New(http.StatusUnauthorized, "Bad request, can only update metadata")
	}
	page, err := httpx.ParsePage(c, 1)
	if err != nil {
		return BulkUpdateRequest{}, err
	}
	if page.PageSize > maxBulk {
		return BulkUpdateRequest{}, apperr.New(http.StatusMethodNotAllowed, "Bad request, cannot update more than %d runs at a time", maxBulk)
	}
	filters := filter.Split(c.QueryArray("filter"))
	if len(filters) == 0 {
		return BulkUpdateRequest{}, apperr.BadRequest("Bad request, at least one filter is required")
	}
	return BulkUpdateRequest{Filters: filters, PageSize: page.PageSize, Metadata: md}, nil
}

// pyList renders filters as Python prints a list of strings.
func pyList(ss []string) string {
	out := "["
	for i, s := range ss {
		if i > 0 {
			out += ", "
		}
		out += "'" + s + "'"
	}
	return out + "]"
}
