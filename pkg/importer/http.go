package importer

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

// Handler serves /api/import.
type Handler struct {
	svc *Service
	httpx.Failer
}

// NewHandler builds the handler.
func NewHandler(svc *Service, log *slog.Logger) *Handler {
	return &Handler{svc: svc, Failer: httpx.Failer{Log: log}}
}

// Register mounts the routes on the authenticated API group.
func (h *Handler) Register(api gin.IRouter) {
	api.POST("/import", h.create)
	api.GET("/import", h.list)
	api.GET("/import/:id", h.get)
	api.GET("/import/formats", h.formats)
}

// formats is GET /api/import/formats (this server's own): the report
// formats POST /api/import detects, in detection order.
func (h *Handler) formats(c *gin.Context) {
	httpx.JSON(c, http.StatusOK, gin.H{"formats": Formats()})
}

func (h *Handler) create(c *gin.Context) {
	ctx := c.Request.Context()
	u, err := readUpload(c, h.svc.limits.MaxFileBytes)
	if err != nil {
		h.Fail(c, err)
		return
	}
	defer u.Close()
	up, err := h.decode(c, u)
	if err != nil {
		h.Fail(c, err)
		return
	}
	imp := h.svc.NewImport(auth.UserFrom(ctx), up)
	err = h.svc.Submit(ctx, imp, u.reader)
	switch {
	case errors.Is(err, errUnsupported):
		httpx.ProblemWith(c, http.StatusUnsupportedMediaType, errUnsupported.Error(), map[string]any{"formats": errUnsupported.Formats()})
		return
	case errors.Is(err, ErrQueueUnavailable):
		c.Header("Retry-After", "30")
	}
	if err != nil {
		h.Fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusAccepted, NewView(imp))
}

// decode applies upstream's checks of the form in upstream's order
// (docs/api-compatibility.md#endpoint-behaviour): a file, a project that
// exists and the caller may write to, metadata that is a JSON object.
func (h *Handler) decode(c *gin.Context, u *upload) (Upload, error) {
	if u.file == nil {
		return Upload{}, apperr.BadRequest("Bad request, no file uploaded")
	}
	up := Upload{Filename: u.filename, Source: u.fields["source"]}
	if ref := u.fields["project"]; ref != "" {
		pid, err := h.svc.UploadProject(c.Request.Context(), auth.UserFrom(c.Request.Context()), ref)
		if err != nil {
			return Upload{}, err
		}
		up.Project = &pid
	}
	if raw := u.fields["metadata"]; raw != "" {
		v, err := httpx.DecodeJSONField("metadata", raw, apperr.BadRequest("Bad request, metadata is not valid JSON"))
		if err != nil {
			return Upload{}, err
		}
		if v != nil {
			m, ok := v.(map[string]any)
			if !ok {
				return Upload{}, apperr.BadRequest("Bad request, metadata must be a JSON object")
			}
			up.Metadata = m
		}
	}
	return up, nil
}

func (h *Handler) get(c *gin.Context) {
	ctx := c.Request.Context()
	id, err := httpx.PathUUID(c, "id")
	if err != nil {
		h.Fail(c, err)
		return
	}
	imp, err := h.svc.Get(ctx, auth.UserFrom(ctx), id)
	if err != nil {
		h.Fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, NewView(imp))
}

// list is GET /api/import: filtered on import columns, newest first,
// scoped to what the caller may see (upstream lists every import to
// everyone).
func (h *Handler) list(c *gin.Context) {
	ctx := c.Request.Context()
	page, err := httpx.ParsePage(c, 25)
	if err != nil {
		h.Fail(c, err)
		return
	}
	rows, total, err := h.svc.List(ctx, auth.UserFrom(ctx), c.QueryArray("filter"), page)
	if err != nil {
		h.Fail(c, err)
		return
	}
	httpx.WriteList(c, "imports", httpx.Views(rows, NewView), httpx.NewPagination(page, total))
}
