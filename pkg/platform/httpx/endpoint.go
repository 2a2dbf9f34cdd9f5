package httpx

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
)

// The helpers below are the steps the feature handlers used to spell out
// one by one (read the path id, call the service, write the error or the
// view). They keep the order of the checks, so a malformed id is still the
// 400 a client sees before any 403/404, and they write through the
// handler's own Fail, so a package can still map its errors first.

// Fail writes the answer of a failed request.
type Fail func(*gin.Context, error)

// ErrorWriter is the Fail of a handler with no errors of its own to map:
// WriteError with its logger.
func ErrorWriter(log *slog.Logger) Fail {
	return func(c *gin.Context, err error) { WriteError(c, log, err) }
}

// Reply ends a handler: a non-nil err is written by fail, otherwise
// render(v) as JSON with status. render is not called on failure, so it
// may assume v is set.
func Reply[T, V any](c *gin.Context, fail Fail, status int, v T, err error, render func(T) V) {
	if err != nil {
		fail(c, err)
		return
	}
	JSON(c, status, render(v))
}

// Same is the render of a value that is its own view.
func Same[T any](v T) T { return v }

// Deref is the render of rows that are already views (ListPage).
func Deref[T any](v *T) T { return *v }

// OnPathID calls fn with the request context and the "id" path UUID; a
// malformed id is PathUUID's 400 and fn is not called.
func OnPathID[T any](c *gin.Context, fn func(ctx context.Context, id uuid.UUID) (T, error)) (T, error) {
	id, err := PathUUID(c, "id")
	if err != nil {
		var zero T
		return zero, err
	}
	return fn(c.Request.Context(), id)
}

// GetByID is the handler of GET /<thing>/:id: the path id, then get, then
// render of the row with 200.
func GetByID[T, V any](fail Fail, get func(ctx context.Context, id uuid.UUID) (T, error), render func(T) V) gin.HandlerFunc {
	return func(c *gin.Context) {
		v, err := OnPathID(c, get)
		Reply(c, fail, http.StatusOK, v, err, render)
	}
}

// DeleteByID is the handler of DELETE /<thing>/:id: the path id, then del;
// success is upstream's 200 "OK".
func DeleteByID(fail Fail, del func(ctx context.Context, id uuid.UUID) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		_, err := OnPathID(c, func(ctx context.Context, id uuid.UUID) (struct{}, error) { return struct{}{}, del(ctx, id) })
		Reply(c, fail, http.StatusOK, "OK", err, Same[string])
	}
}

// ListPage is the handler of a plain GET /<thing> list: the page
// parameters (25 a page unless asked), then list, then the list envelope
// with the rows rendered under key. list gets the request to read its
// other parameters (filters) from.
func ListPage[M, V any](fail Fail, key string, list func(c *gin.Context, page Page) ([]M, int64, error), render func(*M) V) gin.HandlerFunc {
	return func(c *gin.Context) {
		page, err := ParsePage(c, 25)
		var rows []M
		var total int64
		if err == nil {
			rows, total, err = list(c, page)
		}
		if err != nil {
			fail(c, err)
			return
		}
		WriteList(c, key, Views(rows, render), NewPagination(page, total))
	}
}

// BodyAndID reads a POST body checked against s and the id of the row it
// creates (BodyIDOrNew), in that order.
func BodyAndID(c *gin.Context, maxBytes int64, s Schema) (uuid.UUID, map[string]any, error) {
	body, err := ReadBody(c, maxBytes, s)
	if err != nil {
		return uuid.Nil, nil, err
	}
	id, err := BodyIDOrNew(body)
	return id, body, err
}

// LoadThenBody reads what a PUT /<thing>/:id needs when the row's absence
// or the caller's rights are answered before the body: the path id, the
// row from load, then the body checked against s.
func LoadThenBody[T any](c *gin.Context, maxBytes int64, s Schema, load func(ctx context.Context, id uuid.UUID) (T, error)) (T, map[string]any, error) {
	row, err := OnPathID(c, load)
	if err != nil {
		return row, nil, err
	}
	body, err := ReadBody(c, maxBytes, s)
	return row, body, err
}

// CreateWithID is the handler of POST /<thing> for tables whose rows the
// client may name: the body checked against s, its id (BodyIDOrNew), then
// create; 201 with render of the new row.
func CreateWithID[T, V any](fail Fail, maxBytes int64, s Schema, create func(ctx context.Context, id uuid.UUID, body map[string]any) (T, error), render func(T) V) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, body, err := BodyAndID(c, maxBytes, s)
		var v T
		if err == nil {
			v, err = create(c.Request.Context(), id, body)
		}
		Reply(c, fail, http.StatusCreated, v, err, render)
	}
}

// UpdateLoaded is the handler of PUT /<thing>/:id when the row's absence
// or the caller's rights are answered before the body (LoadThenBody), then
// update of the loaded row; 200 with render of the result.
func UpdateLoaded[T, V any](fail Fail, maxBytes int64, s Schema, load func(ctx context.Context, id uuid.UUID) (T, error),
	update func(ctx context.Context, row T, body map[string]any) (T, error), render func(T) V) gin.HandlerFunc {
	return func(c *gin.Context) {
		row, body, err := LoadThenBody(c, maxBytes, s, load)
		if err == nil {
			row, err = update(c.Request.Context(), row, body)
		}
		Reply(c, fail, http.StatusOK, row, err, render)
	}
}
