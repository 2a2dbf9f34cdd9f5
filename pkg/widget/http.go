package widget

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

// Handler serves /api/widget/*.
type Handler struct {
	svc *Service
	log *slog.Logger
}

// NewHandler builds the handler and its service; without WithLimits it
// applies upstream's caps.
func NewHandler(d *db.DB, access Access, log *slog.Logger, opts ...Option) *Handler {
	lim := DefaultLimits()
	for _, o := range opts {
		o(&lim)
	}
	return &Handler{svc: NewService(d, access, lim), log: log}
}

// Register mounts the routes; /widget/types is registered first so it is
// never taken for a widget id.
func (h *Handler) Register(api gin.IRouter) {
	api.GET("/widget/types", h.types)
	api.GET("/widget/:id", h.get)
}

// types lists the catalogue, optionally only widgets or only views; the
// pagination is fixed at one page holding everything.
func (h *Handler) types(c *gin.Context) {
	want, filtered := httpx.LastQuery(c, "type")
	if filtered && want != "widget" && want != "view" {
		httpx.WriteError(c, h.log, apperr.Problem(http.StatusBadRequest, "'%s' is not one of ['widget', 'view'] - 'type'", want))
		return
	}
	out := catalogue(want)
	n := int64(len(out))
	httpx.WriteList(c, "types", out, httpx.Pagination{Page: 1, PageSize: len(out), TotalItems: n, TotalPages: 1})
}

func (h *Handler) get(c *gin.Context) {
	ctx := c.Request.Context()
	id := c.Param("id")
	out, err := h.svc.Compute(ctx, auth.UserFrom(ctx), id, c.Request.URL.Query())
	var ce *computeError
	if errors.As(err, &ce) {
		h.fail(c, id, ce.err)
		return
	}
	if err != nil {
		httpx.WriteError(c, h.log, err)
		return
	}
	httpx.JSON(c, http.StatusOK, out)
}

// fail maps a widget error as upstream's controller does: argument errors
// keep their 400 (so do database errors the client's input caused, such as
// a regex PostgreSQL rejects), database failures and timeouts are 504, the
// rest 500.
func (h *Handler) fail(c *gin.Context, id string, err error) {
	if _, ok := apperr.As(err); ok {
		httpx.WriteError(c, h.log, err)
		return
	}
	if errors.Is(err, filter.ErrInvalid) {
		httpx.WriteError(c, h.log, apperr.BadRequest("Parameter error for widget '%s': %s", id, err.Error()))
		return
	}
	if e := httpx.ClientDBError(err); e != nil {
		h.log.Warn("widget failed on client input", "widget", id, "error", err)
		httpx.WriteError(c, h.log, apperr.BadRequest("Parameter error for widget '%s': %s", id, e.Message))
		return
	}
	var pg *pgconn.PgError
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &pg) && (strings.HasPrefix(pg.Code, "57") || strings.HasPrefix(pg.Code, "08"))) {
		h.log.Warn("widget query failed", "widget", id, "error", err)
		httpx.JSON(c, http.StatusGatewayTimeout, "Database error or timeout")
		return
	}
	h.log.Error("widget failed", "widget", id, "error", err)
	httpx.JSON(c, http.StatusInternalServerError, "Error processing widget '"+id+"'")
}
