package admin

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
	"github.com/ibutsu-go/ibutsu/pkg/platform/listing"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/user"
)

// Users serves /api/admin/user*.
type Users struct {
	db         *db.DB
	users      *user.Store
	projects   *project.Store
	log        *slog.Logger
	maxBody    int64
	bcryptCost int
}

// NewUsers builds the handler.
func NewUsers(d *db.DB, users *user.Store, projects *project.Store, log *slog.Logger, maxBody int64, bcryptCost int) *Users {
	return &Users{db: d, users: users, projects: projects, log: log, maxBody: maxBody, bcryptCost: bcryptCost}
}

// Register mounts the routes on the authenticated API group.
func (h *Users) Register(api gin.IRouter) {
	api.GET("/admin/user", h.list)
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

// UserView is a user with their project memberships (admin GET routes).
type UserView struct {
	user.View
	Projects []project.View `json:"projects"`
}

func (h *Users) fail(c *gin.Context, err error) { httpx.WriteError(c, h.log, err) }

// body reads and validates a User body (email required).
func (h *Users) body(c *gin.Context) (map[string]any, error) {
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
	return body, err
}

// views renders users with their member projects, one query per relation.
func (h *Users) views(ctx context.Context, us []model.User) ([]UserView, error) {
	ids := make([]uuid.UUID, len(us))
	for i := range us {
		ids[i] = us[i].ID
	}
	var links []model.UserProject
	if len(ids) > 0 {
		if err := h.db.Conn(ctx).Where("user_id IN ?", ids).Find(&links).Error; err != nil {
			return nil, err
		}
	}
	pids := make([]uuid.UUID, 0, len(links))
	for _, l := range links {
		pids = append(pids, l.ProjectID)
	}
	var ps []model.Project
	if len(pids) > 0 {
		if err := h.db.Conn(ctx).Where("id IN ?", pids).Order("name, id").Find(&ps).Error; err != nil {
			return nil, err
		}
	}
	pviews, err := h.projects.Views(ctx, ps, false)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]project.View, len(pviews))
	for _, v := range pviews {
		byID[v.ID] = v
	}
	member := map[uuid.UUID]map[string]bool{}
	for _, l := range links {
		if member[l.UserID] == nil {
			member[l.UserID] = map[string]bool{}
		}
		member[l.UserID][l.ProjectID.String()] = true
	}
	out := make([]UserView, len(us))
	for i := range us {
		out[i] = UserView{View: user.NewView(&us[i]), Projects: []project.View{}}
		for _, v := range pviews {
			if member[us[i].ID][v.ID] {
				out[i].Projects = append(out[i].Projects, byID[v.ID])
			}
		}
	}
	return out, nil
}

func (h *Users) list(c *gin.Context) {
	ctx := c.Request.Context()
	page, err := superadminPage(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	where, args, err := filter.Build(filter.DialectOf(h.db), filter.Users, filter.Split(c.QueryArray("filter")))
	if err != nil {
		h.fail(c, err)
		return
	}
	var us []model.User
	total, err := listing.Run(ctx, h.db, &model.User{}, &us, listing.Query{Where: where, Args: args, Page: page, Order: "email ASC, id"})
	if err != nil {
		h.fail(c, err)
		return
	}
	views, err := h.views(ctx, us)
	if err != nil {
		h.fail(c, err)
		return
	}
	httpx.WriteList(c, "users", views, httpx.NewPagination(page, total))
}

// load parses the path id (400 first), checks the role (403), then loads
// the user (404 problem).
func (h *Users) load(c *gin.Context) (caller, target *model.User, err error) {
	ctx := c.Request.Context()
	id, err := httpx.PathUUID(c, "id")
	if err != nil {
		return nil, nil, err
	}
	if caller, err = requireSuperadmin(ctx); err != nil {
		return nil, nil, err
	}
	target, err = h.users.ByID(ctx, id)
	if errors.Is(err, auth.ErrUserNotFound) {
		return nil, nil, notFound()
	}
	return caller, target, err
}

func (h *Users) get(c *gin.Context) {
	_, u, err := h.load(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	views, err := h.views(c.Request.Context(), []model.User{*u})
	if err != nil {
		h.fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, views[0])
}

func (h *Users) create(c *gin.Context) {
	ctx := c.Request.Context()
	if _, err := requireSuperadmin(ctx); err != nil {
		h.fail(c, err)
		return
	}
	body, err := h.body(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	u := &model.User{}
	if s := httpx.Str(body, "id"); s != nil {
		id, ok := httpx.ParseUUID(*s)
		if !ok {
			h.fail(c, apperr.BadRequest("User ID %s is not in UUID format", *s))
			return
		}
		if _, err := h.users.ByID(ctx, id); err == nil {
			h.fail(c, apperr.BadRequest("User id %s already exist", id))
			return
		}
		u.ID = id
	}
	err = h.db.WithTx(ctx, func(ctx context.Context) error {
		if err := h.users.EnsureEmailFree(ctx, body["email"].(string), nil); err != nil {
			return err
		}
		if err := h.apply(ctx, u, body); err != nil {
			return err
		}
		return h.users.Create(ctx, u)
	})
	if err != nil {
		h.fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusCreated, user.NewView(u))
}

// apply merges the admin-writable fields of body onto u.
func (h *Users) apply(ctx context.Context, u *model.User, body map[string]any) error {
	if err := user.NewService(h.users, h.bcryptCost).ApplyProfile(ctx, u, user.ProfileFromBody(body)); err != nil {
		return err
	}
	if v, ok := body["is_superadmin"].(bool); ok {
		u.IsSuperadmin = v
	}
	if v, ok := body["is_active"].(bool); ok {
		u.IsActive = v
	}
	if v, present := body["group_id"]; present {
		u.GroupID = nil
		if v != nil {
			s := v.(string)
			id, ok := httpx.ParseUUID(s)
			var n int64
			if ok {
				if err := h.db.Conn(ctx).Model(&model.Group{}).Where("id = ?", id).Count(&n).Error; err != nil {
					return err
				}
			}
			if n == 0 {
				return apperr.BadRequest("Group id %s doesn't exist", s)
			}
			u.GroupID = &id
		}
	}
	return nil
}

func (h *Users) update(c *gin.Context) {
	ctx := c.Request.Context()
	_, u, err := h.load(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	body, err := h.body(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	projectIDs, err := membership(body)
	if err != nil {
		h.fail(c, err)
		return
	}
	wasAdmin := u.IsSuperadmin && u.IsActive
	err = h.db.WithTx(ctx, func(ctx context.Context) error {
		if err := h.apply(ctx, u, body); err != nil {
			return err
		}
		if wasAdmin && !(u.IsSuperadmin && u.IsActive) {
			if err := h.ensureAnotherSuperadmin(ctx, u.ID, "Cannot demote or deactivate the last superadmin user"); err != nil {
				return err
			}
		}
		if err := h.users.Save(ctx, u); err != nil {
			return err
		}
		return h.replaceMembership(ctx, u.ID, projectIDs)
	})
	invalidateProjectCaches(h.projects)
	if err != nil {
		h.fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, user.NewView(u))
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

// replaceMembership makes the user a member of exactly the given projects
// (unknown ids are skipped).
func (h *Users) replaceMembership(ctx context.Context, userID uuid.UUID, projectIDs []uuid.UUID) error {
	if err := h.db.Conn(ctx).Where("user_id = ?", userID).Delete(&model.UserProject{}).Error; err != nil {
		return err
	}
	if len(projectIDs) == 0 {
		return nil
	}
	var existing []uuid.UUID
	if err := h.db.Conn(ctx).Model(&model.Project{}).Where("id IN ?", projectIDs).Pluck("id", &existing).Error; err != nil {
		return err
	}
	for _, pid := range existing {
		if err := h.projects.AddMembers(ctx, pid, userID); err != nil {
			return err
		}
	}
	return nil
}

// ensureAnotherSuperadmin refuses to remove the last active superadmin
// (by deletion, demotion or deactivation): nobody could administer the
// server afterwards.
func (h *Users) ensureAnotherSuperadmin(ctx context.Context, except uuid.UUID, msg string) error {
	var n int64
	err := h.db.Conn(ctx).Model(&model.User{}).Where("is_superadmin = ? AND is_active = ? AND id <> ?", true, true, except).Count(&n).Error
	if err != nil {
		return err
	}
	if n == 0 {
		return apperr.Problem(http.StatusBadRequest, "%s", msg)
	}
	return nil
}

func (h *Users) delete(c *gin.Context) {
	ctx := c.Request.Context()
	caller, u, err := h.load(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	if u.ID == caller.ID {
		h.fail(c, apperr.Problem(http.StatusBadRequest, "Cannot delete yourself"))
		return
	}
	err = h.db.WithTx(ctx, func(ctx context.Context) error {
		if u.IsSuperadmin {
			if err := h.ensureAnotherSuperadmin(ctx, u.ID, "Cannot delete the last superadmin user"); err != nil {
				return err
			}
		}
		return deleteUser(ctx, h.db, u.ID, caller.ID)
	})
	invalidateProjectCaches(h.projects)
	if err != nil {
		h.fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, "OK")
}

// deleteUser removes a user and what points at it: memberships and tokens
// go, owned projects and dashboards pass to newOwner.
func deleteUser(ctx context.Context, d *db.DB, id, newOwner uuid.UUID) error {
	conn := d.Conn(ctx)
	steps := []func() error{
		func() error { return conn.Where("user_id = ?", id).Delete(&model.UserProject{}).Error },
		func() error { return conn.Where("user_id = ?", id).Delete(&model.Token{}).Error },
		func() error {
			return conn.Model(&model.Project{}).Where("owner_id = ?", id).Update("owner_id", newOwner).Error
		},
		func() error {
			return conn.Model(&model.Dashboard{}).Where("user_id = ?", id).Update("user_id", newOwner).Error
		},
		func() error { return conn.Where("id = ?", id).Delete(&model.User{}).Error },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}
