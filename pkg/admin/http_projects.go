package admin

import (
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
	"github.com/ibutsu-go/ibutsu/pkg/project"
)

// Projects serves /api/admin/project*.
type Projects struct {
	svc     *ProjectService
	store   *project.Store
	log     *slog.Logger
	maxBody int64
}

// NewProjects builds the handler.
func NewProjects(d *db.DB, store *project.Store, log *slog.Logger, maxBody int64) *Projects {
	return &Projects{svc: NewProjectService(NewStore(d), store), store: store, log: log, maxBody: maxBody}
}

// Register mounts the routes on the authenticated API group.
func (h *Projects) Register(api gin.IRouter) {
	api.GET("/admin/project", listAsSuperadmin(httpx.ErrorWriter(h.log), "projects", h.list))
	api.POST("/admin/project", h.create)
	api.GET("/admin/project/:id", h.get)
	api.PUT("/admin/project/:id", h.update)
	api.DELETE("/admin/project/:id", h.delete)
}

// projectSchema is the project body plus the admin-only `retention`.
var projectSchema = project.Schema(httpx.Schema{"retention": {Kind: httpx.Object, Nullable: true}},
	"id", "name", "title", "owner_id", "group_id", "default_dashboard_id", "users")

// retentionFrom reads the `retention` key of a validated body.
func retentionFrom(body map[string]any) model.Nullable[map[string]any] {
	v, set := body["retention"]
	m, ok := v.(map[string]any)
	if !ok {
		return model.Nullable[map[string]any]{Set: set}
	}
	return model.Nullable[map[string]any]{Set: true, Value: &m}
}

func (h *Projects) list(c *gin.Context, caller *model.User, page httpx.Page) ([]project.View, int64, error) {
	return h.svc.List(c.Request.Context(), caller, project.ListRequestFrom(c, page))
}

func (h *Projects) create(c *gin.Context) {
	ctx := c.Request.Context()
	caller := auth.UserFrom(ctx)
	err := RequireSuperadmin(caller)
	var body map[string]any
	if err == nil {
		body, err = httpx.ReadBody(c, h.maxBody, projectSchema)
	}
	var p *model.Project
	if err == nil {
		req := ProjectCreateRequest{CreateRequest: project.CreateRequestFrom(body), Retention: retentionFrom(body)}
		// The caller becomes owner whatever owner_id the body names.
		req.OwnerID = model.Nullable[string]{}
		p, err = h.svc.Create(ctx, caller, req)
	}
	h.respond(c, http.StatusCreated, p, err)
}

// load reads the path id (400), checks the role (403), loads (404 problem).
func (h *Projects) load(c *gin.Context) (*model.Project, error) {
	caller, id, err := pathIDAsSuperadmin(c)
	if err != nil {
		return nil, err
	}
	return h.svc.Load(c.Request.Context(), caller, id)
}

func (h *Projects) get(c *gin.Context) {
	p, err := h.load(c)
	h.respond(c, http.StatusOK, p, err)
}

func (h *Projects) update(c *gin.Context) {
	ctx := c.Request.Context()
	p, err := h.load(c)
	var body map[string]any
	if err == nil {
		body, err = httpx.ReadBody(c, h.maxBody, projectSchema)
	}
	if err == nil {
		err = h.svc.Update(ctx, p, ProjectUpdateRequest{UpdateRequest: project.UpdateRequestFrom(body), Retention: retentionFrom(body)})
	}
	h.respond(c, http.StatusOK, p, err)
}

func (h *Projects) delete(c *gin.Context) {
	p, err := h.load(c)
	if err == nil {
		err = h.svc.Delete(c.Request.Context(), p)
	}
	httpx.Reply(c, httpx.ErrorWriter(h.log), http.StatusOK, "OK", err, httpx.Same[string])
}

// respond renders p with owner and retention, or err.
func (h *Projects) respond(c *gin.Context, status int, p *model.Project, err error) {
	var v project.View
	if err == nil {
		v, err = h.store.View(c.Request.Context(), p, true)
	}
	httpx.Reply(c, httpx.ErrorWriter(h.log), status, v, err, httpx.Same[project.View])
}
