package admin

import (
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/user"
)

// Users serves /api/admin/user*.
type Users struct {
	svc     *UserService
	log     *slog.Logger
	maxBody int64
}

// NewUsers builds the handler.
func NewUsers(d *db.DB, users *user.Store, projects *project.Store, log *slog.Logger, maxBody int64, bcryptCost int) *Users {
	return &Users{svc: NewUserService(NewStore(d), users, projects, bcryptCost), log: log, maxBody: maxBody}
}

// Register mounts the routes on the authenticated API group.
func (h *Users) Register(api gin.IRouter) {
	api.GET("/admin/user", listAsSuperadmin(httpx.ErrorWriter(h.log), "users", h.list))
	api.POST("/admin/user", h.create)
	api.GET("/admin/user/:id", h.get)
	api.PUT("/admin/user/:id", h.update)
	api.DELETE("/admin/user/:id", h.delete)
}

// userSchema is the User schema plus the admin-only writable `password`
// and `projects` (membership, objects with an `id`).
var userSchema = httpx.Schema{
	"email": {Kind: httpx.String}, "name": {Kind: httpx.String, Nullable: true},
	"group_id": {Kind: httpx.String, Nullable: true}, "is_superadmin": {Kind: httpx.Boolean},
	"is_active": {Kind: httpx.Boolean}, "password": {Kind: httpx.String}, "projects": {Kind: httpx.Array, Nullable: true},
}

// body reads and validates a User body (email required) into a request;
// withProjects also reads the membership list (PUT only).
func (h *Users) body(c *gin.Context, withProjects bool) (UserRequest, error) {
	body, err := httpx.ReadJSONObject(c, h.maxBody)
	if err == nil {
		err = httpx.Required(body, "email")
	}
	if err == nil {
		err = userSchema.Validate(body)
	}
	if err == nil {
		err = httpx.EmailFormat(body, "email")
	}
	if err != nil {
		return UserRequest{}, err
	}
	req := UserRequest{ID: httpx.Str(body, "id"), Email: body["email"].(string), Profile: user.ProfileFromBody(body),
		GroupID: model.NullableOf[string](body, "group_id")}
	if v, ok := body["is_superadmin"].(bool); ok {
		req.IsSuperadmin = &v
	}
	if v, ok := body["is_active"].(bool); ok {
		req.IsActive = &v
	}
	if withProjects {
		req.Projects, err = membership(body)
	}
	return req, err
}

// membership reads `projects` (objects with an `id`); absent or null means
// no projects, as upstream replaces the membership with the given list.
func membership(body map[string]any) ([]uuid.UUID, error) {
	list, _ := body["projects"].([]any)
	ids := make([]uuid.UUID, 0, len(list))
	for _, e := range list {
		obj, ok := e.(map[string]any)
		s, _ := obj["id"].(string)
		id, valid := httpx.ParseUUID(s)
		if !ok || !valid {
			return nil, apperr.Problem(http.StatusBadRequest, "every item of 'projects' must be an object with a project 'id' (UUID)")
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func (h *Users) list(c *gin.Context, caller *model.User, page httpx.Page) ([]UserView, int64, error) {
	return h.svc.List(c.Request.Context(), caller, c.QueryArray("filter"), page.Page, page.PageSize)
}

// load reads the path id (400), checks the role (403), loads (404 problem).
func (h *Users) load(c *gin.Context) (caller, target *model.User, err error) {
	caller, id, err := pathIDAsSuperadmin(c)
	if err != nil {
		return nil, nil, err
	}
	target, err = h.svc.Load(c.Request.Context(), caller, id)
	return caller, target, err
}

func (h *Users) get(c *gin.Context) {
	_, u, err := h.load(c)
	var v UserView
	if err == nil {
		v, err = h.svc.View(c.Request.Context(), u)
	}
	h.reply(c, http.StatusOK, v, err)
}

func (h *Users) create(c *gin.Context) {
	ctx := c.Request.Context()
	caller := auth.UserFrom(ctx)
	err := RequireSuperadmin(caller)
	var req UserRequest
	if err == nil {
		req, err = h.body(c, false)
	}
	var u *model.User
	if err == nil {
		u, err = h.svc.Create(ctx, caller, req)
	}
	h.replyUser(c, http.StatusCreated, u, err)
}

func (h *Users) update(c *gin.Context) {
	ctx := c.Request.Context()
	_, u, err := h.load(c)
	var req UserRequest
	if err == nil {
		req, err = h.body(c, true)
	}
	if err == nil {
		err = h.svc.Update(ctx, u, req)
	}
	h.replyUser(c, http.StatusOK, u, err)
}

func (h *Users) delete(c *gin.Context) {
	caller, u, err := h.load(c)
	if err == nil {
		err = h.svc.Delete(c.Request.Context(), caller, u)
	}
	h.reply(c, http.StatusOK, "OK", err)
}

// replyUser answers with u's plain view, or err.
func (h *Users) replyUser(c *gin.Context, status int, u *model.User, err error) {
	httpx.Reply(c, httpx.ErrorWriter(h.log), status, u, err, user.NewView)
}

// reply answers with v, or err.
func (h *Users) reply(c *gin.Context, status int, v any, err error) {
	httpx.Reply(c, httpx.ErrorWriter(h.log), status, v, err, httpx.Same[any])
}
