package result

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

// The handlers below are the ones /result and /run share (package run
// mounts them with its own service, schemas and views), so the order of
// their checks and their answers cannot drift apart.

// ListHandler is GET /result and /run: the list parameters, then a page
// over maxPageSize submitted as a task on table (201), else the page of
// views from list.
func ListHandler[V any](fail httpx.Fail, async AsyncQueries, table string, maxPageSize, threshold int,
	list func(context.Context, *model.User, ListParams) ([]V, ListInfo, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx := c.Request.Context()
		p, ok := ParseListParams(c, maxPageSize, threshold, fail)
		if !ok {
			return
		}
		if p.PageSize > maxPageSize {
			SubmitAsync(c, async, table, p, fail)
			return
		}
		views, info, err := list(ctx, auth.UserFrom(ctx), p)
		if err != nil {
			fail(c, err)
			return
		}
		httpx.WriteList(c, table, views, WirePagination(info))
	}
}

// CreateHandler is POST /result and /run: the body checked against s and
// decoded into a Req, then create for the caller; 201 with the view.
func CreateHandler[Req, T, V any](fail httpx.Fail, maxBody int64, s httpx.Schema,
	create func(context.Context, *model.User, Req) (T, error), render func(T) V) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx := c.Request.Context()
		var req Req
		body, err := httpx.ReadBody(c, maxBody, s)
		if err == nil {
			err = DecodeRequest(body, s, &req)
		}
		var v T
		if err == nil {
			v, err = create(ctx, auth.UserFrom(ctx), req)
		}
		httpx.Reply(c, fail, http.StatusCreated, v, err, render)
	}
}

// UpdateHandler is PUT /result/:id and /run/:id: the path id, the body
// checked against s and decoded into a Req, then update for the caller;
// 200 with the view.
func UpdateHandler[Req, T, V any](fail httpx.Fail, maxBody int64, s httpx.Schema,
	update func(context.Context, *model.User, uuid.UUID, Req) (T, error), render func(T) V) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx := c.Request.Context()
		var req Req
		id, body, err := httpx.PathUUIDAndBody(c, "id", maxBody, s)
		if err == nil {
			err = DecodeRequest(body, s, &req)
		}
		var v T
		if err == nil {
			v, err = update(ctx, auth.UserFrom(ctx), id, req)
		}
		httpx.Reply(c, fail, http.StatusOK, v, err, render)
	}
}

// Rendered is a create call followed by render (a service's RenderOne), as
// CreateHandler's create: POST /result and /run answer the stored row with
// the markers the GET of it shows.
func Rendered[Req, M, V any](create func(context.Context, *model.User, Req) (*M, error),
	render func(context.Context, *M) (V, error)) func(context.Context, *model.User, Req) (V, error) {
	return func(ctx context.Context, u *model.User, req Req) (V, error) {
		m, err := create(ctx, u, req)
		if err != nil {
			var zero V
			return zero, err
		}
		return render(ctx, m)
	}
}

// RenderedByID is Rendered for UpdateHandler's update (PUT /result/:id and
// /run/:id).
func RenderedByID[Req, M, V any](update func(context.Context, *model.User, uuid.UUID, Req) (*M, error),
	render func(context.Context, *M) (V, error)) func(context.Context, *model.User, uuid.UUID, Req) (V, error) {
	return func(ctx context.Context, u *model.User, id uuid.UUID, req Req) (V, error) {
		m, err := update(ctx, u, id, req)
		if err != nil {
			var zero V
			return zero, err
		}
		return render(ctx, m)
	}
}
