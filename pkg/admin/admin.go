// Package admin serves the superadmin-only routes under /api/admin
// (the operations of pkg/openapi/spec/paths/admin.yaml): managing every
// account and every project,
// with the guards that keep the server administrable (no self-deletion, no
// removing the last superadmin) and the clean-ups that keep foreign keys
// valid when a user or project goes away.
package admin

import (
	"context"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

// requireSuperadmin is the role check of every admin route: a 403 problem
// for everyone else (authentication already happened).
func requireSuperadmin(ctx context.Context) (*model.User, error) {
	u := auth.UserFrom(ctx)
	if u == nil {
		return nil, apperr.Problem(http.StatusUnauthorized, "No authorization token provided")
	}
	if !u.IsSuperadmin {
		return nil, apperr.Problem(http.StatusForbidden, "You don't have the permission to access the requested resource. It is either read-protected or not readable by the server.")
	}
	return u, nil
}

// superadminPage starts every admin list: the role check, then the page
// parameters, so a non-admin gets the 403 even with a bad page.
func superadminPage(c *gin.Context) (httpx.Page, error) {
	if _, err := requireSuperadmin(c.Request.Context()); err != nil {
		return httpx.Page{}, err
	}
	page, err := httpx.ParsePage(c, 25)
	if err != nil {
		return httpx.Page{}, fmt.Errorf("admin list page: %w", err)
	}
	return page, nil
}

// notFound is the admin routes' 404 problem.
func notFound() error {
	return apperr.Problem(http.StatusNotFound, "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.")
}

// invalidateProjectCaches drops the project store's cached access answers
// after membership or project rows were changed behind its back, so an
// admin's change takes effect at once.
func invalidateProjectCaches(s any) {
	if c, ok := s.(interface{ InvalidateCaches() }); ok {
		c.InvalidateCaches()
	}
}
