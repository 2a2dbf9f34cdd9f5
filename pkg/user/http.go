package user

import (
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

// Handler serves GET/PUT /api/user: the caller's own account.
type Handler struct {
	svc     *Service
	log     *slog.Logger
	maxBody int64
}

// NewHandler builds the handler.
func NewHandler(store *Store, log *slog.Logger, maxBody int64, bcryptCost int) *Handler {
	return &Handler{svc: NewService(store, bcryptCost), log: log, maxBody: maxBody}
}

// Register mounts the routes on the authenticated API group.
func (h *Handler) Register(api gin.IRouter) {
	api.GET("/user", h.get)
	api.PUT("/user", h.update)
}

// selfSchema types the only keys a user may change on their own account;
// everything else the profile page sends back (is_superadmin, is_active,
// group_id, id) is ignored.
var selfSchema = httpx.Schema{
	"name": {Kind: httpx.String, Nullable: true}, "email": {Kind: httpx.String}, "password": {Kind: httpx.String},
}

// ProfileFromBody reads the profile keys of a body already validated
// against a schema typing them as selfSchema does.
func ProfileFromBody(body map[string]any) ProfileRequest {
	return ProfileRequest{Name: model.NullableOf[string](body, "name"), Email: httpx.Str(body, "email"), Password: httpx.Str(body, "password")}
}

func (h *Handler) get(c *gin.Context) {
	ctx := c.Request.Context()
	u, err := h.svc.Current(ctx, auth.UserFrom(ctx))
	httpx.Reply(c, httpx.ErrorWriter(h.log), http.StatusOK, u, err, NewView)
}

func (h *Handler) update(c *gin.Context) {
	ctx := c.Request.Context()
	body, err := httpx.ReadBody(c, h.maxBody, selfSchema)
	if err == nil {
		err = httpx.EmailFormat(body, "email")
	}
	var u *model.User
	if err == nil {
		u, err = h.svc.UpdateOwn(ctx, auth.UserFrom(ctx), ProfileFromBody(body))
	}
	httpx.Reply(c, httpx.ErrorWriter(h.log), http.StatusOK, u, err, NewView)
}
