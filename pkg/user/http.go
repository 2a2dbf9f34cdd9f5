package user

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

// Handler serves GET/PUT /api/user: the caller's own account.
type Handler struct {
	store      *Store
	log        *slog.Logger
	maxBody    int64
	bcryptCost int
}

// NewHandler builds the handler.
func NewHandler(store *Store, log *slog.Logger, maxBody int64, bcryptCost int) *Handler {
	return &Handler{store: store, log: log, maxBody: maxBody, bcryptCost: bcryptCost}
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

func (h *Handler) fail(c *gin.Context, err error) { httpx.WriteError(c, h.log, err) }

// current reloads the caller so the answer reflects the stored row; a user
// deleted since the token was checked is upstream's 401 "Unauthorized".
func (h *Handler) current(ctx context.Context) (*model.User, error) {
	u, err := h.store.ByID(ctx, auth.UserFrom(ctx).ID)
	if errors.Is(err, auth.ErrUserNotFound) {
		return nil, apperr.Unauthorized()
	}
	return u, err
}

func (h *Handler) get(c *gin.Context) {
	u, err := h.current(c.Request.Context())
	if err != nil {
		h.fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, NewView(u))
}

func (h *Handler) update(c *gin.Context) {
	ctx := c.Request.Context()
	body, err := httpx.ReadBody(c, h.maxBody, selfSchema)
	if err == nil {
		err = httpx.EmailFormat(body, "email")
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	u, err := h.current(ctx)
	if err == nil {
		err = h.store.WithTx(ctx, func(ctx context.Context) error {
			if err := ApplyProfile(ctx, h.store, u, body, h.bcryptCost); err != nil {
				return err
			}
			return h.store.Save(ctx, u)
		})
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, NewView(u))
}

// ApplyProfile copies name, email and password from a validated body onto
// u: the e-mail must stay unique, the password is re-hashed. Shared by
// PUT /user and PUT /admin/user/{id}.
func ApplyProfile(ctx context.Context, s *Store, u *model.User, body map[string]any, bcryptCost int) error {
	if _, ok := body["name"]; ok {
		u.Name = httpx.Str(body, "name")
	}
	if email := httpx.Str(body, "email"); email != nil && *email != u.Email {
		if err := s.EnsureEmailFree(ctx, *email, u); err != nil {
			return err
		}
		u.Email = *email
	}
	if pw := httpx.Str(body, "password"); pw != nil {
		if *pw == "" {
			return apperr.BadRequest("Bad request, the password must not be empty")
		}
		hash, err := HashPassword(*pw, bcryptCost)
		if errors.Is(err, ErrPasswordTooLong) {
			return PasswordTooLong()
		}
		if err != nil {
			return err
		}
		u.Password = &hash
	}
	return nil
}

// PasswordTooLong is upstream's LoginError for passwords bcrypt cannot take.
func PasswordTooLong() error {
	return &apperr.Error{Status: http.StatusBadRequest, Message: "Password is too long (max 72 bytes)",
		Body: map[string]string{"code": "INVALID", "message": "Password is too long (max 72 bytes)"}}
}

// EnsureEmailFree fails with upstream's 400 when another account (not
// self, which may be nil) already uses email, compared without regard to
// case: two accounts never differ only by case, so an e-mail names one
// account however it is typed. Both sides are lowered by the database, so
// the comparison is the same one ByEmail makes.
//
// Inside a transaction on PostgreSQL it first takes a transaction lock on
// the lowered address, so two requests racing with case variants of one
// address are checked one after the other (the caller inserts or updates in
// the same transaction). SQLite runs one writer at a time.
func (s *Store) EnsureEmailFree(ctx context.Context, email string, self *model.User) error {
	if db.InTx(ctx) && s.db.Dialect == db.Postgres {
		if err := s.db.Conn(ctx).Exec("SELECT pg_advisory_xact_lock(hashtext('ibutsu-email:' || lower(?)))", email).Error; err != nil {
			return fmt.Errorf("lock email: %w", err)
		}
	}
	q := s.db.Conn(ctx).Model(&model.User{}).Where("lower(email) = lower(?)", email)
	if self != nil {
		q = q.Where("id <> ?", self.ID)
	}
	var n int64
	if err := q.Count(&n).Error; err != nil {
		return fmt.Errorf("check email: %w", err)
	}
	if n > 0 {
		return apperr.BadRequest("The user with email %s already exists", email)
	}
	return nil
}
