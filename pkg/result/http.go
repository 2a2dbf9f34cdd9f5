package result

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

// AsyncQueries runs list queries too large to answer inline (pageSize over
// the maximum) as background tasks; package query implements it.
type AsyncQueries interface {
	Submit(ctx context.Context, table string, u *model.User, p ListParams) (taskID string, err error)
}

// Handler serves /api/result* and /api/results/bulk-update.
type Handler struct {
	svc                    *Service
	async                  AsyncQueries
	log                    *slog.Logger
	maxBody                int64
	maxPageSize, threshold int
}

// NewHandler builds the handler.
func NewHandler(svc *Service, async AsyncQueries, log *slog.Logger, maxBody int64, maxPageSize, estimateThreshold int) *Handler {
	return &Handler{svc: svc, async: async, log: log, maxBody: maxBody, maxPageSize: maxPageSize, threshold: estimateThreshold}
}

// Register mounts the routes on the authenticated API group.
func (h *Handler) Register(api gin.IRouter) {
	api.GET("/result", ListHandler(h.fail, h.async, "results", h.maxPageSize, h.threshold, h.svc.List))
	api.POST("/result", CreateHandler(h.fail, h.maxBody, createSchema, h.svc.CreateView, httpx.Same[View]))
	api.GET("/result/:id", httpx.GetByID(h.fail, h.getView, httpx.Same[View]))
	api.PUT("/result/:id", UpdateHandler(h.fail, h.maxBody, updateSchema, RenderedByID(h.svc.Update, h.svc.RenderOne), httpx.Same[View]))
	api.POST("/results/bulk-update", h.bulkUpdate)
}

// createSchema is the Result schema's typing
// (docs/api-compatibility.md#request-bodies).
var createSchema = httpx.Schema{
	"id": {Kind: httpx.String}, "test_id": {Kind: httpx.String}, "start_time": {Kind: httpx.String},
	"duration": {Kind: httpx.Number}, "result": {Kind: httpx.String, Enum: Statuses},
	"metadata": {Kind: httpx.Object}, "params": {Kind: httpx.Object}, "source": {Kind: httpx.String},
	"component": {Kind: httpx.String, Nullable: true}, "env": {Kind: httpx.String, Nullable: true},
	"run_id": {Kind: httpx.String, Nullable: true}, "project_id": {Kind: httpx.String, Nullable: true},
}

// updateSchema accepts null everywhere: the UI PUTs whole fetched results,
// whose nulls mean "unchanged" (upstream rejects them with a 400).
var updateSchema = func() httpx.Schema {
	s := httpx.Schema{}
	for k, f := range createSchema {
		f.Nullable = true
		s[k] = f
	}
	return s
}()

func (h *Handler) fail(c *gin.Context, err error) {
	switch {
	case errors.Is(err, ErrNotFound):
		err = apperr.NotFound("Result not found")
	}
	httpx.WriteError(c, h.log, err)
}

// WirePagination is the list envelope's pagination object for info.
func WirePagination(info ListInfo) httpx.Pagination {
	pag := httpx.NewPagination(httpx.Page{Page: info.Page, PageSize: info.PageSize}, info.Total)
	pag.Estimated = info.Estimated
	return pag
}

// ParseListParams reads filter/sort/page/pageSize/estimate for /result and
// /run. The sort is validated where it is used (Service.List), so the async
// path rejects a bad one with the same 400 before submitting.
func ParseListParams(c *gin.Context, maxPageSize, threshold int, fail func(*gin.Context, error)) (ListParams, bool) {
	page, err := httpx.ParsePage(c, 25)
	if err != nil {
		fail(c, err)
		return ListParams{}, false
	}
	est, err := httpx.BoolQuery(c, "estimate")
	if err != nil {
		fail(c, err)
		return ListParams{}, false
	}
	var sort string
	if ss := c.QueryArray("sort"); len(ss) > 0 {
		sort = ss[len(ss)-1] // a repeated scalar parameter: the last wins (docs/api-compatibility.md#query-strings)
	}
	return ListParams{Filters: filter.Split(c.QueryArray("filter")), Sort: sort, Page: page.Page, PageSize: page.PageSize,
		Estimate: est, EstimateThreshold: threshold}, true
}

// SubmitAsync answers a large list query with 201 and the task to poll
// (docs/api-compatibility.md#large-list-queries).
func SubmitAsync(c *gin.Context, async AsyncQueries, table string, p ListParams, fail func(*gin.Context, error)) {
	ctx := c.Request.Context()
	id, err := async.Submit(ctx, table, auth.UserFrom(ctx), p)
	if err != nil {
		fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusCreated, gin.H{
		"task_id":        id,
		"message":        "Due to the page_size: " + strconv.Itoa(p.PageSize) + ", this query is being evaluated in a task. Once complete, the result of the query can be found by performing a GET on/task/" + id,
		"query_endpoint": "/task/" + id,
	})
}

func (h *Handler) get(ctx context.Context, id uuid.UUID) (*model.Result, error) {
	return h.svc.Readable(ctx, auth.UserFrom(ctx), id)
}

// getView is get rendered with the markers.
func (h *Handler) getView(ctx context.Context, id uuid.UUID) (View, error) {
	r, err := h.get(ctx, id)
	if err != nil {
		return View{}, err
	}
	return h.svc.RenderOne(ctx, r)
}
