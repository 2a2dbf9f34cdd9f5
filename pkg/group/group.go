// Package group owns groups: an organisational label on projects and users.
// Upstream has no delete endpoint; neither do we. Upstream lets any user
// create and change groups; here every user still reads them, but only
// superadmins write them, since a group is shared by every project that
// names it (see docs/security.md).
package group

import (
	"fmt"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
	"github.com/ibutsu-go/ibutsu/pkg/platform/listing"
)

// View is a group as the API shows it.
type View struct {
	ID       string         `json:"id"`
	Name     *string        `json:"name"`
	Metadata map[string]any `json:"metadata"`
}

// NewView renders g.
func NewView(g *model.Group) View {
	return View{ID: g.ID.String(), Name: g.Name, Metadata: g.Data.OrEmpty()}
}

// Handler serves /api/group*.
type Handler struct {
	db      *db.DB
	log     *slog.Logger
	maxBody int64
}

// NewHandler builds the handler.
func NewHandler(d *db.DB, log *slog.Logger, maxBody int64) *Handler {
	return &Handler{db: d, log: log, maxBody: maxBody}
}

// Register mounts the routes on the authenticated API group.
func (h *Handler) Register(api gin.IRouter) {
	api.GET("/group", h.list)
	api.POST("/group", h.create)
	api.GET("/group/:id", h.get)
	api.PUT("/group/:id", h.update)
}

var schema = httpx.Schema{"id": {Kind: httpx.String}, "name": {Kind: httpx.String, Nullable: true}, "metadata": {Kind: httpx.Object, Nullable: true}}

func (h *Handler) fail(c *gin.Context, err error) { httpx.WriteError(c, h.log, err) }

func (h *Handler) list(c *gin.Context) {
	page, err := httpx.ParsePage(c, 25)
	if err != nil {
		h.fail(c, err)
		return
	}
	var gs []model.Group
	total, err := listing.Run(c.Request.Context(), h.db, &model.Group{}, &gs, listing.Query{Page: page, Order: "name, id"})
	if err != nil {
		h.fail(c, err)
		return
	}
	httpx.WriteList(c, "groups", httpx.Views(gs, NewView), httpx.NewPagination(page, total))
}

// requireSuperadmin is the 403 for a non-superadmin writing a group.
func requireSuperadmin(c *gin.Context) error {
	if u := auth.UserFrom(c.Request.Context()); u == nil || !u.IsSuperadmin {
		return apperr.Forbidden()
	}
	return nil
}

func (h *Handler) body(c *gin.Context) (map[string]any, error) {
	body, err := httpx.ReadJSONObject(c, h.maxBody)
	if err != nil {
		return nil, err
	}
	return body, schema.Validate(body)
}

func (h *Handler) create(c *gin.Context) {
	ctx := c.Request.Context()
	if err := requireSuperadmin(c); err != nil {
		h.fail(c, err)
		return
	}
	body, err := h.body(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	g := model.Group{ID: uuid.New(), Name: httpx.Str(body, "name"), Data: httpx.Obj(body, "metadata")}
	if s := httpx.Str(body, "id"); s != nil {
		id, ok := httpx.ParseUUID(*s)
		if !ok {
			h.fail(c, apperr.BadRequest("Group ID %s is not in UUID format", *s))
			return
		}
		var n int64
		if err := h.db.Conn(ctx).Model(&model.Group{}).Where("id = ?", id).Count(&n).Error; err != nil {
			h.fail(c, err)
			return
		}
		if n > 0 {
			h.fail(c, apperr.BadRequest("The group with ID %s already exists", id))
			return
		}
		g.ID = id
	}
	if err := h.db.Conn(ctx).Create(&g).Error; err != nil {
		h.fail(c, fmt.Errorf("create group: %w", err))
		return
	}
	httpx.JSON(c, http.StatusCreated, NewView(&g))
}

func (h *Handler) load(c *gin.Context) (*model.Group, error) {
	return httpx.LoadByPathID[model.Group](c, h.db.Conn(c.Request.Context()), "Group not found")
}

func (h *Handler) get(c *gin.Context) {
	g, err := h.load(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, NewView(g))
}

func (h *Handler) update(c *gin.Context) {
	if err := requireSuperadmin(c); err != nil {
		h.fail(c, err)
		return
	}
	g, err := h.load(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	body, err := h.body(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	if _, ok := body["name"]; ok {
		g.Name = httpx.Str(body, "name")
	}
	if md := httpx.Obj(body, "metadata"); md != nil {
		g.Data = model.DeepMerge(g.Data, md)
	}
	if err := h.db.Conn(c.Request.Context()).Save(g).Error; err != nil {
		h.fail(c, fmt.Errorf("update group: %w", err))
		return
	}
	httpx.JSON(c, http.StatusOK, NewView(g))
}
