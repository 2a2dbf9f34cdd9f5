package project

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

// Handler serves /api/project*.
type Handler struct {
	svc     *Service
	store   *Store
	log     *slog.Logger
	maxBody int64
}

// NewHandler builds the handler. The database argument is unused (the
// store carries it); it stays so the router's call does not change.
func NewHandler(_ *db.DB, store *Store, log *slog.Logger, maxBody int64) *Handler {
	return &Handler{svc: NewService(store), store: store, log: log, maxBody: maxBody}
}

// Register mounts the routes on the authenticated API group.
func (h *Handler) Register(api gin.IRouter) {
	fail := httpx.ErrorWriter(h.log)
	api.GET("/project", httpx.ListPage(fail, "projects", h.list, httpx.Deref[View]))
	api.POST("/project", h.create)
	api.GET("/project/:id", h.get)
	api.PUT("/project/:id", h.update)
	api.GET("/project/filter-params/:id", httpx.GetByID(fail, h.filterParams, httpx.Same[[]string]))
}

// fields types the keys of a project body, shared by every project route.
var fields = httpx.Schema{
	"id": {Kind: httpx.String}, "name": {Kind: httpx.String}, "title": {Kind: httpx.String, Nullable: true},
	"owner_id": {Kind: httpx.String, Nullable: true}, "group_id": {Kind: httpx.String, Nullable: true},
	"default_dashboard_id": {Kind: httpx.String, Nullable: true}, "users": {Kind: httpx.Array, Nullable: true},
}

// Schema returns the schema of the named project body keys plus extra
// (the admin routes add `retention`).
func Schema(extra httpx.Schema, keys ...string) httpx.Schema {
	out := httpx.Schema{}
	for _, k := range keys {
		out[k] = fields[k]
	}
	for k, f := range extra {
		out[k] = f
	}
	return out
}

var (
	createSchema = Schema(nil, "id", "name", "title", "owner_id", "group_id", "default_dashboard_id")
	updateSchema = Schema(nil, "name", "title", "owner_id", "group_id", "default_dashboard_id", "users")
)

// ListRequestFrom reads GET /project's query (the page already parsed).
func ListRequestFrom(c *gin.Context, page httpx.Page) ListRequest {
	req := ListRequest{Filters: c.QueryArray("filter"), Page: page.Page, PageSize: page.PageSize}
	if v, ok := httpx.LastQuery(c, "ownerId"); ok {
		req.OwnerID = &v
	}
	if v, ok := httpx.LastQuery(c, "groupId"); ok {
		req.GroupID = &v
	}
	return req
}

// refsFrom reads the id fields of a validated project body.
func refsFrom(body map[string]any) Refs {
	return Refs{OwnerID: model.NullableOf[string](body, "owner_id"), GroupID: model.NullableOf[string](body, "group_id"),
		DefaultDashboardID: model.NullableOf[string](body, "default_dashboard_id")}
}

// CreateRequestFrom reads a validated POST /project body.
func CreateRequestFrom(body map[string]any) CreateRequest {
	return CreateRequest{ID: httpx.Str(body, "id"), Name: httpx.Str(body, "name"), Title: httpx.Str(body, "title"), Refs: refsFrom(body)}
}

// UpdateRequestFrom reads a validated PUT /project/{id} body; `users`
// items that are not strings are ignored.
func UpdateRequestFrom(body map[string]any) UpdateRequest {
	req := UpdateRequest{Name: httpx.Str(body, "name"), Title: model.NullableOf[string](body, "title"), Refs: refsFrom(body)}
	list, _ := body["users"].([]any)
	for _, e := range list {
		if s, ok := e.(string); ok {
			req.Users = append(req.Users, s)
		}
	}
	return req
}

func (h *Handler) list(c *gin.Context, page httpx.Page) ([]View, int64, error) {
	ctx := c.Request.Context()
	return h.svc.List(ctx, auth.UserFrom(ctx), ListRequestFrom(c, page), false)
}

func (h *Handler) create(c *gin.Context) {
	ctx := c.Request.Context()
	body, err := httpx.ReadBody(c, h.maxBody, createSchema)
	var p *model.Project
	if err == nil {
		p, err = h.svc.Create(ctx, auth.UserFrom(ctx), CreateRequestFrom(body))
	}
	h.respond(c, http.StatusCreated, p, err)
}

func (h *Handler) get(c *gin.Context) {
	p, err := httpx.OnPathID(c, func(ctx context.Context, id uuid.UUID) (*model.Project, error) {
		return h.svc.Readable(ctx, auth.UserFrom(ctx), id)
	})
	h.respond(c, http.StatusOK, p, err)
}

func (h *Handler) update(c *gin.Context) {
	ctx := c.Request.Context()
	id, body, err := httpx.PathUUIDAndBody(c, "id", h.maxBody, updateSchema)
	var p *model.Project
	if err == nil {
		p, err = h.svc.UpdateOwned(ctx, auth.UserFrom(ctx), id, UpdateRequestFrom(body))
	}
	h.respond(c, http.StatusOK, p, err)
}

// respond renders p (without owner details) as the body of a status
// answer, or err.
func (h *Handler) respond(c *gin.Context, status int, p *model.Project, err error) {
	var v View
	if err == nil {
		v, err = h.store.View(c.Request.Context(), p, false)
	}
	httpx.Reply(c, httpx.ErrorWriter(h.log), status, v, err, httpx.Same[View])
}

func (h *Handler) filterParams(ctx context.Context, id uuid.UUID) ([]string, error) {
	return h.svc.FilterParams(ctx, auth.UserFrom(ctx), id)
}
