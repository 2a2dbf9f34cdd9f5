package importer

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
	"github.com/ibutsu-go/ibutsu/pkg/platform/listing"
	"github.com/ibutsu-go/ibutsu/pkg/project"
)

// Handler serves /api/import.
type Handler struct {
	svc *Service
	log *slog.Logger
}

// NewHandler builds the handler.
func NewHandler(svc *Service, log *slog.Logger) *Handler { return &Handler{svc: svc, log: log} }

// Register mounts the routes on the authenticated API group.
func (h *Handler) Register(api gin.IRouter) {
	api.POST("/import", h.create)
	api.GET("/import", h.list)
	api.GET("/import/:id", h.get)
}

func (h *Handler) fail(c *gin.Context, err error) { httpx.WriteError(c, h.log, err) }

// errQueueUnavailable answers an upload whose task could not be queued
// (Redis down or unreachable).
var errQueueUnavailable = apperr.Problem(http.StatusServiceUnavailable, "The task queue is unavailable; try again later")

// taskType picks the importer by the case-sensitive file name suffix, as
// upstream does.
func taskType(filename string) (string, bool) {
	switch {
	case strings.HasSuffix(filename, ".xml"):
		return TypeJUnitImport, true
	case strings.HasSuffix(filename, ".tar.gz"):
		return TypeArchiveImport, true
	}
	return "", false
}

func (h *Handler) create(c *gin.Context) {
	ctx := c.Request.Context()
	u, err := readUpload(c, h.svc.limits.MaxFileBytes)
	if err != nil {
		h.fail(c, err)
		return
	}
	defer u.Close()
	imp, err := h.validate(ctx, u)
	if err != nil {
		h.fail(c, err)
		return
	}
	typ, ok := taskType(u.filename)
	if !ok {
		// Upstream stores the import first and leaves it pending forever;
		// nothing would ever run it, so nothing is stored.
		httpx.JSON(c, http.StatusUnsupportedMediaType, "Unsupported Media Type")
		return
	}
	src, err := u.reader()
	if err != nil {
		h.fail(c, err)
		return
	}
	if err := h.svc.create(ctx, imp, src); err != nil {
		h.fail(c, err)
		return
	}
	if err := h.svc.enqueueImport(ctx, typ, imp.ID); err != nil {
		// Nothing would ever run the import: take it back so the client's
		// retry starts clean, and say the queue (not the file) is at fault.
		h.log.Error("import not queued; discarding it", "import_id", imp.ID, "error", err)
		if derr := h.svc.discard(context.WithoutCancel(ctx), imp.ID); derr != nil {
			h.log.Error("could not discard the unqueued import", "import_id", imp.ID, "error", derr)
		}
		c.Header("Retry-After", "30")
		h.fail(c, errQueueUnavailable)
		return
	}
	httpx.JSON(c, http.StatusAccepted, NewView(imp))
}

// validate applies upstream's checks in upstream's order
// (docs/api-compatibility.md#endpoint-behaviour) and builds
// the import row.
func (h *Handler) validate(ctx context.Context, u *upload) (*model.Import, error) {
	if u.file == nil {
		return nil, apperr.BadRequest("Bad request, no file uploaded")
	}
	data := model.JSON{"metadata": nil, uploaderKey: auth.UserFrom(ctx).ID.String()}
	if ref := u.fields["project"]; ref != "" {
		p, err := h.svc.projects.Resolve(ctx, ref)
		if errors.Is(err, project.ErrNotFound) {
			return nil, apperr.BadRequest("Project %s doesn't exist", ref)
		}
		if err != nil {
			return nil, err
		}
		ok, err := h.svc.projects.CanAccess(ctx, auth.UserFrom(ctx), p.ID)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, apperr.Forbidden()
		}
		data["project_id"] = p.ID.String()
	}
	if raw := u.fields["metadata"]; raw != "" {
		v, err := httpx.DecodeJSONField("metadata", raw, apperr.BadRequest("Bad request, metadata is not valid JSON"))
		if err != nil {
			return nil, err
		}
		if v != nil {
			m, ok := v.(map[string]any)
			if !ok {
				return nil, apperr.BadRequest("Bad request, metadata must be a JSON object")
			}
			data["metadata"] = m
		}
	}
	if src, ok := u.fields["source"]; ok && src != "" {
		data["source"] = src
	}
	status, format, name := StatusPending, "", u.filename
	return &model.Import{ID: uuid.New(), Filename: &name, Format: &format, Status: &status, Data: data,
		Created: h.svc.now()}, nil
}

func (h *Handler) get(c *gin.Context) {
	ctx := c.Request.Context()
	id, err := httpx.PathUUID(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	imp, err := h.svc.loadImport(ctx, id)
	if errors.Is(err, gorm.ErrRecordNotFound) {
		h.fail(c, apperr.NotFound("Not Found"))
		return
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	if err := h.canRead(ctx, imp); err != nil {
		h.fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, NewView(imp))
}

// list is GET /api/import: filtered on import columns, newest first,
// scoped by listScope (upstream lists every import to everyone).
func (h *Handler) list(c *gin.Context) {
	ctx := c.Request.Context()
	page, err := httpx.ParsePage(c, 25)
	if err != nil {
		h.fail(c, err)
		return
	}
	where, args, err := filter.Build(filter.DialectOf(h.svc.db), filter.Imports, filter.Split(c.QueryArray("filter")))
	if err != nil {
		if errors.Is(err, filter.ErrInvalid) {
			h.fail(c, apperr.BadRequest("%s", err.Error()))
			return
		}
		h.fail(c, err)
		return
	}
	scope, err := h.listScope(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	var rows []model.Import
	total, err := listing.Run(ctx, h.svc.db, &model.Import{}, &rows, listing.Query{Where: where, Args: args, Scope: scope, Order: "created DESC, id", Page: page})
	if err != nil {
		h.fail(c, err)
		return
	}
	httpx.WriteList(c, "imports", httpx.Views(rows, NewView), httpx.NewPagination(page, total))
}
