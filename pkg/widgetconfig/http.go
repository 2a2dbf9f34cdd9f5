package widgetconfig

import (
	"log/slog"
	"net/http"
	"reflect"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/dashboard"
	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
	"github.com/ibutsu-go/ibutsu/pkg/platform/listing"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/widget"
)

// Handler serves /api/widget-config*.
type Handler struct {
	db       *db.DB
	projects *project.Store
	access   *dashboard.Access
	log      *slog.Logger
	maxBody  int64
}

// NewHandler builds the handler.
func NewHandler(d *db.DB, projects *project.Store, log *slog.Logger, maxBody int64) *Handler {
	return &Handler{db: d, projects: projects, access: dashboard.NewAccess(projects), log: log, maxBody: maxBody}
}

// Register mounts the routes on the authenticated API group.
func (h *Handler) Register(api gin.IRouter) {
	api.GET("/widget-config", h.list)
	api.POST("/widget-config", h.create)
	api.GET("/widget-config/:id", h.get)
	api.PUT("/widget-config/:id", h.update)
	api.DELETE("/widget-config/:id", h.delete)
}

var bodySchema = httpx.Schema{
	"id": {Kind: httpx.String}, "type": {Kind: httpx.String, Enum: []string{"widget", "view"}},
	"widget": {Kind: httpx.String}, "title": {Kind: httpx.String, Nullable: true},
	"params": {Kind: httpx.Object, Nullable: true}, "weight": {Kind: httpx.Integer, Nullable: true},
	"project": {Kind: httpx.String, Nullable: true}, "project_id": {Kind: httpx.String, Nullable: true},
	"dashboard_id": {Kind: httpx.String, Nullable: true}, "navigable": {Kind: httpx.Any, Nullable: true},
}

func (h *Handler) fail(c *gin.Context, err error) { httpx.WriteError(c, h.log, err) }

func (h *Handler) list(c *gin.Context) {
	ctx := c.Request.Context()
	page, err := httpx.ParsePage(c, 25)
	if err != nil {
		h.fail(c, err)
		return
	}
	where, args, err := filter.Build(filter.DialectOf(h.db), filter.WidgetConfigs, filter.Split(c.QueryArray("filter")))
	if err != nil {
		h.fail(c, err)
		return
	}
	var ws []model.WidgetConfig
	total, err := listing.Run(ctx, h.db, &model.WidgetConfig{}, &ws, listing.Query{Where: where, Args: args, Scope: readableScope(auth.UserFrom(ctx)), Page: page, Order: "weight, id"})
	if err != nil {
		h.fail(c, err)
		return
	}
	httpx.WriteList(c, "widgets", httpx.Views(ws, NewView), httpx.NewPagination(page, total))
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
	w := &model.WidgetConfig{ID: id}
	if err := h.apply(ctx, w, body, true); err != nil {
		h.fail(c, err)
		return
	}
	if err := h.access.CanWrite(ctx, auth.UserFrom(ctx), w.ProjectID); err != nil {
		h.fail(c, err)
		return
	}
	if err := h.db.Conn(ctx).Create(w).Error; err != nil {
		h.fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusCreated, NewView(w))
}

// load reads the path's config; a missing one is msg as a 404.
func (h *Handler) load(c *gin.Context, msg string) (*model.WidgetConfig, error) {
	return httpx.LoadByPathID[model.WidgetConfig](c, h.db.Conn(c.Request.Context()), msg)
}

// get also re-cleans stored params against the widget type and saves them
// when that changed anything, as upstream does.
func (h *Handler) get(c *gin.Context) {
	ctx := c.Request.Context()
	w, err := h.load(c, "Widget config not found")
	if err != nil {
		h.fail(c, err)
		return
	}
	// Scoped, unlike upstream (docs/api-compatibility.md#project-scoping): a
	// foreign config is a 403.
	if err := h.check(ctx, auth.UserFrom(ctx), w, h.access.CanRead); err != nil {
		h.fail(c, err)
		return
	}
	if w.Widget != nil && w.Params != nil {
		if cleaned := widget.CleanParams(*w.Widget, w.Params); !reflect.DeepEqual(map[string]any(cleaned), map[string]any(w.Params)) {
			w.Params = cleaned
			if err := h.db.Conn(ctx).Model(w).Update("params", w.Params).Error; err != nil {
				h.fail(c, err)
				return
			}
		}
	}
	httpx.JSON(c, http.StatusOK, NewView(w))
}

func (h *Handler) update(c *gin.Context) {
	ctx := c.Request.Context()
	w, err := h.load(c, "Widget config not found")
	if err != nil {
		h.fail(c, err)
		return
	}
	body, err := httpx.ReadBody(c, h.maxBody, bodySchema)
	if err != nil {
		h.fail(c, err)
		return
	}
	u := auth.UserFrom(ctx)
	if err := h.check(ctx, u, w, h.access.CanWrite); err != nil {
		h.fail(c, err)
		return
	}
	if err := h.apply(ctx, w, body, false); err != nil {
		h.fail(c, err)
		return
	}
	if err := h.access.CanWrite(ctx, u, w.ProjectID); err != nil {
		h.fail(c, err)
		return
	}
	if err := h.db.Conn(ctx).Save(w).Error; err != nil {
		h.fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, NewView(w))
}

func (h *Handler) delete(c *gin.Context) {
	ctx := c.Request.Context()
	w, err := h.load(c, "Not Found")
	if err != nil {
		h.fail(c, err)
		return
	}
	if err := h.canDelete(ctx, auth.UserFrom(ctx), w); err != nil {
		h.fail(c, err)
		return
	}
	if err := h.db.Conn(ctx).Delete(&model.WidgetConfig{}, "id = ?", w.ID).Error; err != nil {
		h.fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, "OK")
}
