package auth

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

// ErrUserNotFound is what a UserLookup returns for an unknown id.
var ErrUserNotFound = errors.New("user not found")

// ErrTokenRevoked is what a UserLookup returns when an API token's row is
// gone (the user deleted it).
var ErrTokenRevoked = errors.New("token revoked")

// UserLookup loads the account a token speaks for.
type UserLookup interface {
	// ByID loads the user of a login token.
	ByID(ctx context.Context, id uuid.UUID) (*model.User, error)
	// ByAPIToken loads the user of an API token in one indexed query, and
	// fails with ErrTokenRevoked when the user has no tokens row holding
	// exactly that JWT: deleting a token revokes it at once.
	ByAPIToken(ctx context.Context, id uuid.UUID, token string) (*model.User, error)
}

// userKey stores the authenticated user in the gin context and in the
// request context.
type userKey struct{}

// Authenticator is the one authentication middleware of the API.
type Authenticator struct {
	signer *Signer
	users  UserLookup
	log    *slog.Logger
	cache  *userCache
}

// NewAuthenticator builds the middleware.
func NewAuthenticator(signer *Signer, users UserLookup, log *slog.Logger) *Authenticator {
	return &Authenticator{signer: signer, users: users, log: log, cache: newUserCache()}
}

// Invalidate forgets every cached token→user answer; called after any change
// to accounts or tokens so revocation and deactivation apply at once here.
func (a *Authenticator) Invalidate() { a.cache.clear() }

// InvalidateOnWrite is middleware for routes that change accounts or tokens:
// after a successful write it clears the cache.
func (a *Authenticator) InvalidateOnWrite() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Next()
		if c.Request.Method != http.MethodGet && c.Writer.Status() < 400 {
			a.Invalidate()
		}
	}
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
		claims, err := a.signer.Parse(token)
		if err != nil {
			httpx.Problem(c, http.StatusUnauthorized, "Invalid or expired token")
			c.Abort()
			return
		}
		ctx := c.Request.Context()
		now := time.Now()
		// Administration always re-reads the account: rights there are
		// checked against the database on every request, never a cache.
		cacheable := !strings.HasPrefix(c.FullPath(), "/api/admin/")
		if u, ok := a.cache.get(token, now); ok && cacheable {
			c.Request = c.Request.WithContext(WithUser(ctx, u))
			c.Next()
			return
		}
		var u *model.User
		if a.signer.IsLogin(claims) {
			// Several browsers share one login-token row, so a login token is
			// accepted on signature, expiry, an active user and no password
			// change since it was issued.
			u, err = a.loginUser(ctx, claims)
		} else {
			u, err = a.users.ByAPIToken(ctx, claims.Subject, token)
		}
		if errors.Is(err, ErrTokenRevoked) {
			httpx.Problem(c, http.StatusUnauthorized, "Token has been revoked")
			c.Abort()
			return
		}
		if !a.admit(c, u, err, "User for this token does not exist") {
			return
		}
		if cacheable {
			a.cache.put(token, u, now)
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

// admit is the check of the user a token or ticket names, the same for
// both: it reports whether the request may go on, having answered it
// otherwise (notFound's 401 when the user lookup found none, the lookup's
// error, or a 401 for an inactive account).
func (a *Authenticator) admit(c *gin.Context, u *model.User, err error, notFound string) bool {
	switch {
	case errors.Is(err, ErrUserNotFound):
		httpx.Problem(c, http.StatusUnauthorized, notFound)
	case err != nil:
		httpx.WriteError(c, a.log, err)
	case !u.IsActive:
		httpx.Problem(c, http.StatusUnauthorized, "User account is inactive")
	default:
		return true
	}
	c.Abort()
	return false
}
