package artifact

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/gabriel-vasile/mimetype"
	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
	"github.com/ibutsu-go/ibutsu/pkg/project"
)

// Handler serves /api/artifact*.
type Handler struct {
	svc *Service
	httpx.Failer
	maxFile int64
	bufs    buffers
}

// NewHandler builds the handler and its service; maxFile is the upload cap
// (5 MiB upstream); objects keeps large artifacts in the object store (nil:
// all in the database).
func NewHandler(d *db.DB, projects *project.Store, objects *Objects, log *slog.Logger, maxFile int64) *Handler {
	return &Handler{svc: NewService(d, projects, maxFile, objects), Failer: httpx.Failer{Log: log}, maxFile: maxFile}
}

// Register mounts the routes on the authenticated API group.
func (h *Handler) Register(api gin.IRouter) {
	api.GET("/artifact", httpx.ListPage(h.Fail, "artifacts", h.list, NewView))
	api.POST("/artifact", h.upload)
	api.GET("/artifact/:id", httpx.GetByID(h.Fail, h.get, NewView))
	api.GET("/artifact/:id/view", h.view)
	api.GET("/artifact/:id/download", h.download)
	api.DELETE("/artifact/:id", httpx.DeleteByID(h.Fail, h.delete))
}

func (h *Handler) list(c *gin.Context, page httpx.Page) ([]model.Artifact, int64, error) {
	ctx := c.Request.Context()
	req, err := decodeListRequest(c, page)
	if err != nil {
		return nil, 0, err
	}
	return h.svc.List(ctx, auth.UserFrom(ctx), req)
}

// decodeListRequest reads the result (result_id or resultId) and run
// (runId) to list the artifacts of; the last occurrence of a parameter
// wins.
func decodeListRequest(c *gin.Context, page httpx.Page) (ListRequest, error) {
	req := ListRequest{Page: page.Page, PageSize: page.PageSize}
	for _, f := range []struct {
		col   string
		names []string
		dst   **string
	}{{"result_id", []string{"result_id", "resultId"}, &req.ResultID}, {"run_id", []string{"runId"}, &req.RunID}} {
		for _, n := range f.names {
			if v, ok := httpx.LastQuery(c, n); ok {
				if _, ok := httpx.ParseUUID(v); !ok {
					return ListRequest{}, apperr.Problem(http.StatusBadRequest, "'%s' is not a 'uuid' - '%s'", v, f.col)
				}
				*f.dst = &v
				break
			}
		}
	}
	return req, nil
}

func (h *Handler) upload(c *gin.Context) {
	ctx := c.Request.Context()
	u := auth.UserFrom(ctx)
	f, err := uploader{ctx: ctx, u: u, svc: h.svc, bufs: &h.bufs, maxFile: h.maxFile}.readForm(c)
	var a *model.Artifact
	switch {
	case err != nil:
	case f.stored != nil:
		// The file went to the store from the body, after the checks.
		a = f.prepared
	default:
		a, err = h.svc.Validate(ctx, u, f.request())
	}
	if err == nil {
		err = setMetadata(a, f)
	}
	switch {
	case err != nil:
		if f != nil && f.stored != nil {
			h.svc.DiscardObject(ctx, f.stored)
		}
	case f.stored != nil:
		err = h.svc.CreateStored(ctx, a, f.stored)
	default:
		err = h.svc.Create(ctx, a)
	}
	if err == nil {
		// After a failed upload the store's client may still read the
		// bytes; that buffer is left to the GC.
		f.release()
	}
	httpx.Reply(c, h.Fail, http.StatusCreated, a, err, NewView)
}

// setMetadata parses the form's additionalMetadata (additional_metadata)
// into a's data: a JSON object, with the checks JSON bodies get.
func setMetadata(a *model.Artifact, f *form) error {
	raw, ok := f.field("additionalMetadata", "additional_metadata")
	if !ok {
		return nil
	}
	v, err := httpx.DecodeJSONField("additionalMetadata", raw, apperr.BadRequest("Bad request, additionalMetadata is not valid JSON"))
	if err != nil {
		return err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return apperr.BadRequest("Bad request, additionalMetadata must be a JSON object, not a list or primitive")
	}
	a.Data = m
	return nil
}

// get fetches the artifact (without its content) for the caller.
func (h *Handler) get(ctx context.Context, id uuid.UUID) (*model.Artifact, error) {
	return h.svc.Load(ctx, auth.UserFrom(ctx), id, false)
}

// ContentType sniffs the bytes (like upstream's libmagic): the UI renders
// text/* in a log viewer and image/* inline.
func ContentType(b []byte) string { return mimetype.Detect(b).String() }

func (h *Handler) view(c *gin.Context) { h.serve(c, false) }

func (h *Handler) download(c *gin.Context) { h.serve(c, true) }

func (h *Handler) delete(ctx context.Context, id uuid.UUID) error {
	return h.svc.Delete(ctx, auth.UserFrom(ctx), id)
}
