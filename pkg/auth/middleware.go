package auth

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

// ErrUserNotFound is what a UserLookup returns for an unknown id.
var ErrUserNotFound = errors.New("user not found")

// UserLookup loads the account a token speaks for.
type UserLookup interface {
	ByID(ctx context.Context, id uuid.UUID) (*model.User, error)
}

// userKey stores the authenticated user in the gin context and in the
// request context.
type userKey struct{}

// Authenticator is the one authentication middleware of the API.
type Authenticator struct {
	signer *Signer
	users  UserLookup
	log    *slog.Logger
}

// NewAuthenticator builds the middleware.
func NewAuthenticator(signer *Signer, users UserLookup, log *slog.Logger) *Authenticator {
	return &Authenticator{signer: signer, users: users, log: log}
}

// Require rejects requests without a valid bearer token with a 401 problem
// (never a 500: the upstream UI logs out only on 401) and stores the user.
func (a *Authenticator) Require() gin.HandlerFunc {
	return func(c *gin.Context) {
		header := c.GetHeader("Authorization")
		scheme, token, _ := strings.Cut(strings.TrimSpace(header), " ")
		if header == "" || !strings.EqualFold(scheme, "Bearer") {
			httpx.Problem(c, http.StatusUnauthorized, "No authorization token provided")
			c.Abort()
			return
		}
		token = strings.TrimSpace(token)
		if token == "" {
			httpx.Problem(c, http.StatusUnauthorized, "Invalid authorization header")
			c.Abort()
			return
		}
		id, err := a.signer.Verify(token)
		if err != nil {
			httpx.Problem(c, http.StatusUnauthorized, "Invalid or expired token")
			c.Abort()
			return
		}
		ctx := c.Request.Context()
		u, err := a.users.ByID(ctx, id)
		if errors.Is(err, ErrUserNotFound) {
			httpx.Problem(c, http.StatusUnauthorized, "User for this token does not exist")
			c.Abort()
			return
		}
		if err != nil {
			httpx.WriteError(c, a.log, err)
			c.Abort()
			return
		}
		if !u.IsActive {
			httpx.Problem(c, http.StatusUnauthorized, "User account is inactive")
			c.Abort()
			return
		}
		c.Request = c.Request.WithContext(WithUser(ctx, u))
		c.Next()
	}
}

// WithUser returns ctx carrying the authenticated user.
func WithUser(ctx context.Context, u *model.User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// UserFrom returns the authenticated user of a request context, or nil.
func UserFrom(ctx context.Context) *model.User {
	u, _ := ctx.Value(userKey{}).(*model.User)
	return u
}
