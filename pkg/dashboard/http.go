package dashboard

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
	"github.com/ibutsu-go/ibutsu/pkg/platform/listing"
)

// Projects is what dashboards need from the project store (an interface
// because package project renders dashboards and so imports this one).
type Projects interface {
	CanAccess(ctx context.Context, u *model.User, projectID uuid.UUID) (bool, error)
	InvalidateCaches()
}

// Handler serves /api/dashboard* (pkg/openapi/spec/paths/dashboards.yaml).
type Handler struct {
	db       *db.DB
	projects Projects
	access   *Access
	log      *slog.Logger
	maxBody  int64
}

// NewHandler builds the handler.
func NewHandler(d *db.DB, projects Projects, log *slog.Logger, maxBody int64) *Handler {
	return &Handler{db: d, projects: projects, access: NewAccess(projects), log: log, maxBody: maxBody}
}

// Register mounts the routes on the authenticated API group.
func (h *Handler) Register(api gin.IRouter) {
	api.GET("/dashboard", h.list)
	api.POST("/dashboard", h.create)
	api.GET("/dashboard/:id", h.get)
	api.PUT("/dashboard/:id", h.update)
	api.DELETE("/dashboard/:id", h.delete)
}

var bodySchema = httpx.Schema{
	"id": {Kind: httpx.String}, "title": {Kind: httpx.String},
	"description": {Kind: httpx.String, Nullable: true}, "filters": {Kind: httpx.String, Nullable: true},
	"project_id": {Kind: httpx.String, Nullable: true}, "user_id": {Kind: httpx.String, Nullable: true},
}

func (h *Handler) fail(c *gin.Context, err error) { httpx.WriteError(c, h.log, err) }

func (h *Handler) list(c *gin.Context) {
	ctx := c.Request.Context()
	u := auth.UserFrom(ctx)
	page, err := httpx.ParsePage(c, 25)
	if err != nil {
		h.fail(c, err)
		return
	}
	where, args, err := filter.Build(filter.DialectOf(h.db), filter.Dashboards, filter.Split(c.QueryArray("filter")))
	if err != nil {
		h.fail(c, err)
		return
	}
	var scopeTo *uuid.UUID
	if s, ok := httpx.LastQuery(c, "project_id"); ok {
		// Upstream: an id naming an existing project restricts (and is
		// access-checked); anything else silently means no restriction.
		if id, valid := httpx.ParseUUID(s); valid {
			var n int64
			if err := h.db.Conn(ctx).Model(&model.Project{}).Where("id = ?", id).Count(&n).Error; err != nil {
				h.fail(c, err)
				return
			}
			if n > 0 {
				if err := h.access.CanRead(ctx, u, &id); err != nil {
					h.fail(c, err)
					return
				}
				scopeTo = &id
			}
		}
	}
	// A project_id inside `filter` is not access-checked (as on /run and
	// /result); the readable scope simply leaves foreign rows out.
	readable, readableArgs := ReadableScope(u, "project_id")
	scope := func(tx *gorm.DB) *gorm.DB {
		if readable != "" {
			tx = tx.Where(readable, readableArgs...)
		}
		if scopeTo != nil {
			tx = tx.Where("project_id = ?", *scopeTo)
		}
		return tx
	}
	var ds []model.Dashboard
	total, err := listing.Run(ctx, h.db, &model.Dashboard{}, &ds, listing.Query{Where: where, Args: args, Scope: scope, Page: page, Order: "title, id"})
	if err != nil {
		h.fail(c, err)
		return
	}
	httpx.WriteList(c, "dashboards", httpx.Views(ds, NewView), httpx.NewPagination(page, total))
}

func (h *Handler) create(c *gin.Context) {
	ctx := c.Request.Context()
	body, err := httpx.ReadBody(c, h.maxBody, bodySchema)
	if err != nil {
		h.fail(c, err)
		return
	}
	id, err := httpx.BodyIDOrNew(body)
	if err != nil {
		h.fail(c, err)
		return
	}
	// Upstream's model defaults description and filters to '' when the
	// request leaves them out (an explicit null stays NULL).
	d := &model.Dashboard{ID: id, Description: model.Ptr(""), Filters: model.Ptr("")}
	if s := httpx.Str(body, "title"); s == nil || *s == "" {
		h.fail(c, apperr.Problem(http.StatusBadRequest, "'title' is a required property"))
		return
	}
	if err := h.apply(ctx, d, body); err != nil {
		h.fail(c, err)
		return
	}
	if err := h.access.CanWrite(ctx, auth.UserFrom(ctx), d.ProjectID); err != nil {
		h.fail(c, err)
		return
	}
	if err := h.db.Conn(ctx).Create(d).Error; err != nil {
		h.fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusCreated, NewView(d))
}

// apply copies body onto d (docs/api-compatibility.md#update-merge-semantics:
// present keys
// replace), checking that user_id names a user. Callers check access to
// the resulting project.
func (h *Handler) apply(ctx context.Context, d *model.Dashboard, body map[string]any) error {
	if s := httpx.Str(body, "title"); s != nil {
		d.Title = s
	}
	if _, ok := body["description"]; ok {
		d.Description = httpx.Str(body, "description")
	}
	if _, ok := body["filters"]; ok {
		d.Filters = httpx.Str(body, "filters")
	}
	for key, dst := range map[string]**uuid.UUID{"project_id": &d.ProjectID, "user_id": &d.UserID} {
		if _, ok := body[key]; !ok {
			continue
		}
		*dst = nil
		if s := httpx.Str(body, key); s != nil {
			id, valid := httpx.ParseUUID(*s)
			if !valid {
				return apperr.BadRequest("%s %s is not a valid UUID", key, *s)
			}
			*dst = &id
		}
	}
	if d.UserID != nil {
		var n int64
		if err := h.db.Conn(ctx).Model(&model.User{}).Where("id = ?", *d.UserID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return apperr.BadRequest("User with ID %s doesn't exist", d.UserID)
		}
	}
	return nil
}

// load reads the path's dashboard and applies check (CanRead or CanWrite)
// to its project: 404 when missing, 403 when not allowed.
func (h *Handler) load(c *gin.Context, notFound string, check func(context.Context, *model.User, *uuid.UUID) error) (*model.Dashboard, error) {
	ctx := c.Request.Context()
	d, err := httpx.LoadByPathID[model.Dashboard](c, h.db.Conn(ctx), notFound)
	if err != nil {
		return nil, err
	}
	return d, check(ctx, auth.UserFrom(ctx), d.ProjectID)
}

func (h *Handler) get(c *gin.Context) {
	d, err := h.load(c, "Dashboard not found", h.access.CanRead)
	if err != nil {
		h.fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, NewView(d))
}

func (h *Handler) update(c *gin.Context) {
	ctx := c.Request.Context()
	u := auth.UserFrom(ctx)
	d, err := h.load(c, "Dashboard not found", h.access.CanWrite)
	if err != nil {
		h.fail(c, err)
		return
	}
	body, err := httpx.ReadBody(c, h.maxBody, bodySchema)
	if err != nil {
		h.fail(c, err)
		return
	}
	from := d.ProjectID
	if err := h.apply(ctx, d, body); err != nil {
		h.fail(c, err)
		return
	}
	if err := h.access.CanWrite(ctx, u, d.ProjectID); err != nil {
		h.fail(c, err)
		return
	}
	err = h.db.WithTx(ctx, func(ctx context.Context) error {
		if !sameProject(from, d.ProjectID) {
			if err := h.move(ctx, u, d); err != nil {
				return err
			}
		}
		return h.db.Conn(ctx).Save(d).Error
	})
	if err != nil {
		h.fail(c, err)
		return
	}
	if !sameProject(from, d.ProjectID) {
		h.projects.InvalidateCaches()
	}
	httpx.JSON(c, http.StatusOK, NewView(d))
}

// delete removes the dashboard and what hangs on it in one transaction:
// projects lose it as their default, its widget configs go with it.
func (h *Handler) delete(c *gin.Context) {
	ctx := c.Request.Context()
	d, err := h.load(c, "Not Found", h.access.CanWrite)
	if err != nil {
		h.fail(c, err)
		return
	}
	err = h.db.WithTx(ctx, func(ctx context.Context) error {
		conn := h.db.Conn(ctx)
		if err := conn.Model(&model.Project{}).Where("default_dashboard_id = ?", d.ID).Update("default_dashboard_id", nil).Error; err != nil {
			return err
		}
		if err := conn.Where("dashboard_id = ?", d.ID).Delete(&model.WidgetConfig{}).Error; err != nil {
			return err
		}
		return conn.Delete(&model.Dashboard{}, "id = ?", d.ID).Error
	})
	if err != nil {
		h.fail(c, err)
		return
	}
	h.projects.InvalidateCaches()
	httpx.JSON(c, http.StatusOK, "OK")
}
