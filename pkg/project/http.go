package project

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"strings"

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

// Handler serves /api/project*.
type Handler struct {
	db      *db.DB
	store   *Store
	log     *slog.Logger
	maxBody int64
}

// NewHandler builds the handler.
func NewHandler(d *db.DB, store *Store, log *slog.Logger, maxBody int64) *Handler {
	return &Handler{db: d, store: store, log: log, maxBody: maxBody}
}

// Register mounts the routes on the authenticated API group.
func (h *Handler) Register(api gin.IRouter) {
	api.GET("/project", h.list)
	api.POST("/project", h.create)
	api.GET("/project/:id", h.get)
	api.PUT("/project/:id", h.update)
	api.GET("/project/filter-params/:id", h.filterParams)
}

var createSchema = httpx.Schema{
	"id": {Kind: httpx.String}, "name": {Kind: httpx.String}, "title": {Kind: httpx.String, Nullable: true},
	"owner_id": {Kind: httpx.String, Nullable: true}, "group_id": {Kind: httpx.String, Nullable: true},
	"default_dashboard_id": {Kind: httpx.String, Nullable: true},
}

var updateSchema = httpx.Schema{
	"name": {Kind: httpx.String}, "title": {Kind: httpx.String, Nullable: true},
	"owner_id": {Kind: httpx.String, Nullable: true}, "group_id": {Kind: httpx.String, Nullable: true},
	"default_dashboard_id": {Kind: httpx.String, Nullable: true}, "users": {Kind: httpx.Array, Nullable: true},
}

func (h *Handler) fail(c *gin.Context, err error) { httpx.WriteError(c, h.log, err) }

func (h *Handler) list(c *gin.Context) {
	ctx := c.Request.Context()
	page, err := httpx.ParsePage(c, 25)
	if err != nil {
		h.fail(c, err)
		return
	}
	views, pag, err := h.List(ctx, c, page, false)
	if err != nil {
		h.fail(c, err)
		return
	}
	httpx.WriteList(c, "projects", views, pag)
}

// List serves GET /project and (admin=true, unscoped, with owners) GET /admin/project.
func (h *Handler) List(ctx context.Context, c *gin.Context, page httpx.Page, admin bool) ([]View, httpx.Pagination, error) {
	u := auth.UserFrom(ctx)
	where, args, err := filter.Build(filter.DialectOf(h.db), filter.Projects, filter.Split(c.QueryArray("filter")))
	if err != nil {
		return nil, httpx.Pagination{}, err
	}
	var badID bool
	scope := func(tx *gorm.DB) *gorm.DB {
		if !admin && !u.IsSuperadmin {
			tx = tx.Where("id IN (SELECT project_id FROM users_projects WHERE user_id = ?)", u.ID)
		}
		for param, col := range map[string]string{"ownerId": "owner_id", "groupId": "group_id"} {
			if v, ok := httpx.LastQuery(c, param); ok {
				id, ok := httpx.ParseUUID(v)
				if !ok {
					badID = true
				}
				tx = tx.Where(col+" = ?", id)
			}
		}
		return tx
	}
	var ps []model.Project
	total, err := listing.Run(ctx, h.db, &model.Project{}, &ps, listing.Query{Where: where, Args: args, Scope: scope, Page: page, Order: "name, id"})
	if badID {
		return nil, httpx.Pagination{}, apperr.Problem(http.StatusBadRequest, "ownerId and groupId must be UUIDs")
	}
	if err != nil {
		return nil, httpx.Pagination{}, err
	}
	views, err := h.store.Views(ctx, ps, admin)
	return views, httpx.NewPagination(page, total), err
}

func (h *Handler) create(c *gin.Context) {
	ctx := c.Request.Context()
	body, err := httpx.ReadBody(c, h.maxBody, createSchema)
	if err != nil {
		h.fail(c, err)
		return
	}
	p, err := h.Create(ctx, body, auth.UserFrom(ctx))
	if err != nil {
		h.fail(c, err)
		return
	}
	h.respond(c, http.StatusCreated, p)
}

// Create validates and inserts a project from a request body; the caller
// becomes owner and member (shared by POST /project and POST /admin/project).
func (h *Handler) Create(ctx context.Context, body map[string]any, caller *model.User) (*model.Project, error) {
	p := &model.Project{OwnerID: &caller.ID, Title: httpx.Str(body, "title")}
	if s := httpx.Str(body, "id"); s != nil {
		id, ok := httpx.ParseUUID(*s)
		if !ok {
			return nil, apperr.BadRequest("Project ID %s is not in UUID format", *s)
		}
		if _, err := h.store.ByID(ctx, id); err == nil {
			return nil, apperr.BadRequest("Project id %s already exist", id)
		}
		p.ID = id
	}
	name := httpx.Str(body, "name")
	if name == nil || strings.TrimSpace(*name) == "" {
		return nil, apperr.BadRequest("Bad request, project name is required")
	}
	p.Name = name
	if _, err := h.store.ByName(ctx, *p.Name); err == nil {
		return nil, apperr.BadRequest("Project with name %s already exists", *p.Name)
	} else if !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	if err := h.applyRefs(ctx, p, body); err != nil {
		return nil, err
	}
	p.OwnerID = &caller.ID
	if err := h.store.Create(ctx, p, caller); err != nil {
		return nil, err
	}
	return p, nil
}

// applyRefs copies group_id/default_dashboard_id (and owner_id) from body,
// checking that what they point at exists so a bad id is a 400, not a 500,
// and that a default dashboard is one of the project's own.
func (h *Handler) applyRefs(ctx context.Context, p *model.Project, body map[string]any) error {
	if err := h.applyDefaultDashboard(ctx, p, body); err != nil {
		return err
	}
	refs := []struct {
		key, table, msg string
		dst             **uuid.UUID
	}{
		{"group_id", "groups", "Group id %s doesn't exist", &p.GroupID},
		{"owner_id", "users", "User id %s doesn't exist", &p.OwnerID},
	}
	for _, r := range refs {
		v, present := body[r.key]
		if !present {
			continue
		}
		if v == nil {
			*r.dst = nil
			continue
		}
		s := v.(string)
		id, ok := httpx.ParseUUID(s)
		if !ok {
			return apperr.BadRequest(r.msg, s)
		}
		var n int64
		if err := h.db.Conn(ctx).Table(r.table).Where("id = ?", id).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return apperr.BadRequest(r.msg, s)
		}
		*r.dst = &id
	}
	return nil
}

// applyDefaultDashboard copies default_dashboard_id from body. A new value
// must name a dashboard of p itself (404 when no such dashboard, 400 when
// it belongs to another project or to none), so a project cannot point its
// members at another project's dashboard. The value p already has passes
// unchecked: clients (the admin page) send it back unchanged with every
// save, and a database adopted from upstream may hold any value there.
func (h *Handler) applyDefaultDashboard(ctx context.Context, p *model.Project, body map[string]any) error {
	v, present := body["default_dashboard_id"]
	if !present {
		return nil
	}
	if v == nil {
		p.DefaultDashboardID = nil
		return nil
	}
	s := v.(string)
	id, ok := httpx.ParseUUID(s)
	if !ok {
		return apperr.BadRequest("Dashboard id %s doesn't exist", s)
	}
	if p.DefaultDashboardID != nil && *p.DefaultDashboardID == id {
		return nil
	}
	var d model.Dashboard
	err := h.db.Conn(ctx).Where("id = ?", id).Take(&d).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return apperr.NotFound("Dashboard id " + id.String() + " doesn't exist")
	}
	if err != nil {
		return fmt.Errorf("load default dashboard: %w", err)
	}
	if d.ProjectID == nil || *d.ProjectID != p.ID {
		return apperr.BadRequest("Dashboard %s does not belong to project %s", id, p.ID)
	}
	p.DefaultDashboardID = &id
	return nil
}

func (h *Handler) get(c *gin.Context) {
	p, err := h.loadReadable(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.respond(c, http.StatusOK, p)
}

// respond renders p (without owner details) as the body of a status answer.
func (h *Handler) respond(c *gin.Context, status int, p *model.Project) {
	v, err := h.store.View(c.Request.Context(), p, false)
	if err != nil {
		h.fail(c, err)
		return
	}
	httpx.JSON(c, status, v)
}

// loadReadable loads the path's project; no access is upstream's 401.
func (h *Handler) loadReadable(c *gin.Context) (*model.Project, error) {
	ctx := c.Request.Context()
	id, err := httpx.PathUUID(c, "id")
	if err != nil {
		return nil, err
	}
	p, err := h.store.ByID(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return nil, apperr.NotFound("Project not found")
	}
	if err != nil {
		return nil, err
	}
	ok, err := h.store.CanAccess(ctx, auth.UserFrom(ctx), p.ID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, apperr.Unauthorized()
	}
	return p, nil
}

func (h *Handler) update(c *gin.Context) {
	ctx := c.Request.Context()
	id, body, err := httpx.PathUUIDAndBody(c, "id", h.maxBody, updateSchema)
	if err != nil {
		h.fail(c, err)
		return
	}
	p, err := h.store.ByID(ctx, id)
	if errors.Is(err, ErrNotFound) {
		h.fail(c, apperr.NotFound("Project not found"))
		return
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	u := auth.UserFrom(ctx)
	if !u.IsSuperadmin && (p.OwnerID == nil || *p.OwnerID != u.ID) {
		h.fail(c, apperr.Forbidden())
		return
	}
	if err := h.Update(ctx, p, body, false); err != nil {
		h.fail(c, err)
		return
	}
	h.respond(c, http.StatusOK, p)
}

// Update applies a PUT body: `users` e-mails are added as members (nobody is
// removed), other known keys overwrite columns. addOwner also makes a new
// owner_id a member (the admin route's rule).
func (h *Handler) Update(ctx context.Context, p *model.Project, body map[string]any, addOwner bool) error {
	return h.db.WithTx(ctx, func(ctx context.Context) error {
		if name := httpx.Str(body, "name"); name != nil && (p.Name == nil || *name != *p.Name) {
			if strings.TrimSpace(*name) == "" {
				return apperr.BadRequest("Bad request, project name is required")
			}
			if other, err := h.store.ByName(ctx, *name); err == nil && other.ID != p.ID {
				return apperr.BadRequest("Project with name %s already exists", *name)
			}
			p.Name = name
		}
		if _, ok := body["title"]; ok {
			p.Title = httpx.Str(body, "title")
		}
		if err := h.applyRefs(ctx, p, body); err != nil {
			return err
		}
		if err := h.store.Save(ctx, p); err != nil {
			return err
		}
		var emails []string
		if list, ok := body["users"].([]any); ok {
			for _, e := range list {
				if s, ok := e.(string); ok {
					emails = append(emails, s)
				}
			}
		}
		users, err := h.store.UsersByEmail(ctx, emails)
		if err != nil {
			return err
		}
		ids := make([]uuid.UUID, 0, len(users)+1)
		for _, u := range users {
			ids = append(ids, u.ID)
		}
		if addOwner && p.OwnerID != nil {
			ids = append(ids, *p.OwnerID)
		}
		return h.store.AddMembers(ctx, p.ID, ids...)
	})
}

func (h *Handler) filterParams(c *gin.Context) {
	ctx := c.Request.Context()
	p, err := h.loadReadable(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	var r model.Result
	err = h.db.Conn(ctx).Where("project_id = ?", p.ID).Order("start_time DESC").Limit(1).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		httpx.JSON(c, http.StatusOK, []string{})
		return
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, FilterParams(&r))
}

// FilterParams lists the dotted field names of a result: its columns, then
// flattened JSON paths with metadata reported under `data.` (upstream's naming).
func FilterParams(r *model.Result) []string {
	keys := []string{"id", "project_id", "run_id", "test_id", "result", "duration", "start_time", "source", "env", "component"}
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		names := make([]string, 0, len(m))
		for k := range m {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			if sub, ok := m[k].(map[string]any); ok && len(sub) > 0 {
				walk(prefix+k+".", sub)
				continue
			}
			keys = append(keys, prefix+k)
		}
	}
	walk("data.", r.Data)
	walk("params.", r.Params)
	return keys
}
