package artifact

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/gabriel-vasile/mimetype"
	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
	"github.com/ibutsu-go/ibutsu/pkg/platform/listing"
	"github.com/ibutsu-go/ibutsu/pkg/project"
)

// metaColumns are every column but the bytes, for lists and lookups.
const metaColumns = "id, result_id, run_id, filename, data, upload_date"

// Handler serves /api/artifact*.
type Handler struct {
	db       *db.DB
	projects *project.Store
	log      *slog.Logger
	maxFile  int64
}

// NewHandler builds the handler; maxFile is the upload cap (5 MiB upstream).
func NewHandler(d *db.DB, projects *project.Store, log *slog.Logger, maxFile int64) *Handler {
	return &Handler{db: d, projects: projects, log: log, maxFile: maxFile}
}

// Register mounts the routes on the authenticated API group.
func (h *Handler) Register(api gin.IRouter) {
	api.GET("/artifact", h.list)
	api.POST("/artifact", h.upload)
	api.GET("/artifact/:id", h.get)
	api.GET("/artifact/:id/view", h.view)
	api.GET("/artifact/:id/download", h.download)
	api.DELETE("/artifact/:id", h.delete)
}

func (h *Handler) fail(c *gin.Context, err error) { httpx.WriteError(c, h.log, err) }

func (h *Handler) list(c *gin.Context) {
	ctx := c.Request.Context()
	page, err := httpx.ParsePage(c, 25)
	if err != nil {
		h.fail(c, err)
		return
	}
	u := auth.UserFrom(ctx)
	var ids []uuid.UUID
	if !u.IsSuperadmin {
		if ids, err = h.projects.MemberProjectIDs(ctx, u); err != nil {
			h.fail(c, err)
			return
		}
	}
	conds := map[string]string{}
	for col, names := range map[string][]string{"result_id": {"result_id", "resultId"}, "run_id": {"runId"}} {
		for _, n := range names {
			if v, ok := httpx.LastQuery(c, n); ok {
				conds[col] = v
				break
			}
		}
	}
	for col, v := range conds {
		if _, ok := httpx.ParseUUID(v); !ok {
			h.fail(c, apperr.Problem(http.StatusBadRequest, "'%s' is not a 'uuid' - '%s'", v, col))
			return
		}
	}
	scope := func(tx *gorm.DB) *gorm.DB {
		tx = tx.Select(metaColumns)
		for col, v := range conds {
			tx = tx.Where(col+" = ?", v)
		}
		if !u.IsSuperadmin {
			if len(ids) == 0 {
				return tx.Where("1 = 0")
			}
			tx = tx.Where("(result_id IN (SELECT id FROM results WHERE project_id IN ?) OR run_id IN (SELECT id FROM runs WHERE project_id IN ?))", ids, ids)
		}
		return tx
	}
	var arts []model.Artifact
	total, err := listing.Run(ctx, h.db, &model.Artifact{}, &arts, listing.Query{Scope: scope, Page: page, Order: "upload_date, id"})
	if err != nil {
		h.fail(c, err)
		return
	}
	httpx.WriteList(c, "artifacts", httpx.Views(arts, NewView), httpx.NewPagination(page, total))
}

// targetProject returns the project of the result or run an artifact hangs on.
func (h *Handler) targetProject(ctx context.Context, resultID, runID *uuid.UUID) (*uuid.UUID, bool, error) {
	var row struct{ ProjectID *uuid.UUID }
	table, id := "results", resultID
	if id == nil {
		table, id = "runs", runID
	}
	if id == nil {
		return nil, false, nil
	}
	err := h.db.Conn(ctx).Table(table).Select("project_id").Where("id = ?", *id).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("load artifact target: %w", err)
	}
	return row.ProjectID, true, nil
}

// checkAccess enforces the project access rule on the artifact's result or
// run (upstream only looks at the result and crashes for run artifacts).
func (h *Handler) checkAccess(ctx context.Context, projectID *uuid.UUID) error {
	u := auth.UserFrom(ctx)
	if u.IsSuperadmin {
		return nil
	}
	if projectID == nil {
		return apperr.Forbidden()
	}
	ok, err := h.projects.CanAccess(ctx, u, *projectID)
	if err != nil {
		return err
	}
	if !ok {
		return apperr.Forbidden()
	}
	return nil
}

func (h *Handler) upload(c *gin.Context) {
	ctx := c.Request.Context()
	f, err := readForm(c, h.maxFile)
	if err != nil {
		h.fail(c, err)
		return
	}
	a, err := h.validate(ctx, f)
	if err != nil {
		h.fail(c, err)
		return
	}
	if err := h.db.Conn(ctx).Create(a).Error; err != nil {
		h.fail(c, fmt.Errorf("store artifact: %w", err))
		return
	}
	httpx.JSON(c, http.StatusCreated, NewView(a))
}

// validate applies upstream's checks in upstream's order
// (docs/api-compatibility.md#endpoint-behaviour).
func (h *Handler) validate(ctx context.Context, f *form) (*model.Artifact, error) {
	if !f.hasFile {
		return nil, apperr.BadRequest("Bad request, no file uploaded")
	}
	resultRef, hasResult := f.field("resultId", "result_id")
	runRef, hasRun := f.field("runId", "run_id")
	switch {
	case !hasResult && !hasRun:
		return nil, apperr.BadRequest("Bad request, either resultId or runId must be provided")
	case hasResult && hasRun:
		return nil, apperr.BadRequest("Bad request, cannot provide both resultId and runId")
	}
	filename, ok := f.field("filename")
	if !ok {
		return nil, apperr.BadRequest("Bad request, filename is required")
	}
	a := &model.Artifact{ID: uuid.New(), Filename: &filename, UploadDate: time.Now().UTC().Truncate(time.Microsecond)}
	kind, ref := "Result", resultRef
	if hasRun {
		kind, ref = "Run", runRef
	}
	id, ok := httpx.ParseUUID(ref)
	if !ok {
		return nil, apperr.BadRequest("%s ID %s is not in UUID format", kind, ref)
	}
	if hasRun {
		a.RunID = &id
	} else {
		a.ResultID = &id
	}
	projectID, found, err := h.targetProject(ctx, a.ResultID, a.RunID)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, apperr.NotFound(fmt.Sprintf("%s ID %s not found", kind, id))
	}
	if err := h.checkAccess(ctx, projectID); err != nil {
		return nil, err
	}
	if f.tooLarge {
		return nil, apperr.BadRequest("Bad request, file size exceeds maximum allowed size of %dMB", h.maxFile/(1024*1024))
	}
	if len(f.file) == 0 {
		return nil, apperr.BadRequest("Bad request, uploaded file is empty")
	}
	a.Content = f.file
	a.Data = model.JSON{}
	if raw, ok := f.field("additionalMetadata", "additional_metadata"); ok {
		v, err := httpx.DecodeJSONField("additionalMetadata", raw, apperr.BadRequest("Bad request, additionalMetadata is not valid JSON"))
		if err != nil {
			return nil, err
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil, apperr.BadRequest("Bad request, additionalMetadata must be a JSON object, not a list or primitive")
		}
		a.Data = m
	}
	return a, nil
}

// load fetches an artifact (with bytes when withContent) and checks access.
func (h *Handler) load(c *gin.Context, withContent bool) (*model.Artifact, error) {
	ctx := c.Request.Context()
	id, err := httpx.PathUUID(c, "id")
	if err != nil {
		return nil, err
	}
	var a model.Artifact
	q := h.db.Conn(ctx).Where("id = ?", id)
	if !withContent {
		q = q.Select(metaColumns)
	}
	if err := q.Take(&a).Error; errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, apperr.NotFound("Not Found")
	} else if err != nil {
		return nil, fmt.Errorf("load artifact: %w", err)
	}
	projectID, _, err := h.targetProject(ctx, a.ResultID, a.RunID)
	if err != nil {
		return nil, err
	}
	return &a, h.checkAccess(ctx, projectID)
}

func (h *Handler) get(c *gin.Context) {
	a, err := h.load(c, false)
	if err != nil {
		h.fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, NewView(a))
}

// ContentType sniffs the bytes (like upstream's libmagic): the UI renders
// text/* in a log viewer and image/* inline.
func ContentType(b []byte) string { return mimetype.Detect(b).String() }

func (h *Handler) view(c *gin.Context) { h.serve(c, false) }

func (h *Handler) download(c *gin.Context) { h.serve(c, true) }

func (h *Handler) delete(c *gin.Context) {
	a, err := h.load(c, false)
	if err != nil {
		h.fail(c, err)
		return
	}
	if err := h.db.Conn(c.Request.Context()).Delete(&model.Artifact{}, "id = ?", a.ID).Error; err != nil {
		h.fail(c, fmt.Errorf("delete artifact: %w", err))
		return
	}
	httpx.JSON(c, http.StatusOK, "OK")
}
