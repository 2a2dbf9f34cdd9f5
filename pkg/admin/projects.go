package admin

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
	"github.com/ibutsu-go/ibutsu/pkg/project"
)

// Projects serves /api/admin/project*, reusing the project handler's list,
// create and update logic without its access scoping.
type Projects struct {
	db       *db.DB
	store    *project.Store
	projects *project.Handler
	log      *slog.Logger
	maxBody  int64
}

// NewProjects builds the handler.
func NewProjects(d *db.DB, store *project.Store, log *slog.Logger, maxBody int64) *Projects {
	return &Projects{db: d, store: store, projects: project.NewHandler(d, store, log, maxBody), log: log, maxBody: maxBody}
}

// Register mounts the routes on the authenticated API group.
func (h *Projects) Register(api gin.IRouter) {
	api.GET("/admin/project", h.list)
	api.POST("/admin/project", h.create)
	api.GET("/admin/project/:id", h.get)
	api.PUT("/admin/project/:id", h.update)
	api.DELETE("/admin/project/:id", h.delete)
}

var projectSchema = httpx.Schema{
	"id": {Kind: httpx.String}, "name": {Kind: httpx.String}, "title": {Kind: httpx.String, Nullable: true},
	"owner_id": {Kind: httpx.String, Nullable: true}, "group_id": {Kind: httpx.String, Nullable: true},
	"default_dashboard_id": {Kind: httpx.String, Nullable: true}, "users": {Kind: httpx.Array, Nullable: true},
	"retention": {Kind: httpx.Object, Nullable: true},
}

func (h *Projects) fail(c *gin.Context, err error) { httpx.WriteError(c, h.log, err) }

func (h *Projects) body(c *gin.Context) (map[string]any, error) {
	body, err := httpx.ReadBody(c, h.maxBody, projectSchema)
	return body, err
}

func (h *Projects) list(c *gin.Context) {
	ctx := c.Request.Context()
	page, err := superadminPage(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	views, pag, err := h.projects.List(ctx, c, page, true)
	if err != nil {
		h.fail(c, err)
		return
	}
	httpx.WriteList(c, "projects", views, pag)
}

func (h *Projects) create(c *gin.Context) {
	ctx := c.Request.Context()
	caller, err := requireSuperadmin(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	body, err := h.body(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	// The caller becomes owner whatever owner_id the body names.
	delete(body, "owner_id")
	ret, hasRet := body["retention"]
	var r project.Retention
	if hasRet {
		if r, err = project.ParseRetention(ret, r); err != nil {
			h.fail(c, err)
			return
		}
	}
	var p *model.Project
	err = h.db.WithTx(ctx, func(ctx context.Context) error {
		var err error
		if p, err = h.projects.Create(ctx, body, caller); err != nil {
			return err
		}
		return h.store.SetRetention(ctx, p.ID, r)
	})
	if err != nil {
		h.fail(c, err)
		return
	}
	h.respond(c, http.StatusCreated, p)
}

func (h *Projects) respond(c *gin.Context, status int, p *model.Project) {
	v, err := h.store.View(c.Request.Context(), p, true)
	if err != nil {
		h.fail(c, err)
		return
	}
	httpx.JSON(c, status, v)
}

// load parses the path id (400), checks the role (403), loads (404 problem).
func (h *Projects) load(c *gin.Context) (*model.Project, error) {
	ctx := c.Request.Context()
	id, err := httpx.PathUUID(c, "id")
	if err != nil {
		return nil, err
	}
	if _, err := requireSuperadmin(ctx); err != nil {
		return nil, err
	}
	p, err := h.store.ByID(ctx, id)
	if errors.Is(err, project.ErrNotFound) {
		return nil, notFound()
	}
	return p, err
}

func (h *Projects) get(c *gin.Context) {
	p, err := h.load(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.respond(c, http.StatusOK, p)
}

func (h *Projects) update(c *gin.Context) {
	p, err := h.load(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	body, err := h.body(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	delete(body, "owner")
	ctx := c.Request.Context()
	ret, hasRet := body["retention"]
	var r project.Retention
	if hasRet {
		cur, err := h.store.Retention(ctx, p.ID)
		if err == nil {
			r, err = project.ParseRetention(ret, cur)
		}
		if err != nil {
			h.fail(c, err)
			return
		}
	}
	err = h.db.WithTx(ctx, func(ctx context.Context) error {
		if err := h.projects.Update(ctx, p, body, true); err != nil {
			return err
		}
		if hasRet {
			return h.store.SetRetention(ctx, p.ID, r)
		}
		return nil
	})
	if err != nil {
		h.fail(c, err)
		return
	}
	h.respond(c, http.StatusOK, p)
}

func (h *Projects) delete(c *gin.Context) {
	p, err := h.load(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	err = deleteProject(c.Request.Context(), h.db, p.ID)
	invalidateProjectCaches(h.store)
	if err != nil {
		h.fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, "OK")
}

// orphaned lists the tables whose rows outlive their project: their
// project_id is set to NULL instead of deleting test history.
var orphaned = []string{"results", "runs", "dashboards", "widget_configs"}

// deleteProject removes a project and its memberships in one transaction.
func deleteProject(ctx context.Context, d *db.DB, id uuid.UUID) error {
	return d.WithTx(ctx, func(ctx context.Context) error {
		conn := d.Conn(ctx)
		for _, table := range orphaned {
			if err := conn.Table(table).Where("project_id = ?", id).Update("project_id", nil).Error; err != nil {
				return err
			}
		}
		if err := conn.Where("project_id = ?", id).Delete(&model.UserProject{}).Error; err != nil {
			return err
		}
		if err := conn.Exec("DELETE FROM "+project.RetentionTable+" WHERE project_id = ?", id).Error; err != nil {
			return err
		}
		return conn.Where("id = ?", id).Delete(&model.Project{}).Error
	})
}
