package admin

import (
	"fmt"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

// superadminPage starts every admin list: the role check, then the page
// parameters, so a non-admin gets the 403 even with a bad page.
func superadminPage(c *gin.Context) (*model.User, httpx.Page, error) {
	caller := auth.UserFrom(c.Request.Context())
	if err := RequireSuperadmin(caller); err != nil {
		return nil, httpx.Page{}, err
	}
	page, err := httpx.ParsePage(c, 25)
	if err != nil {
		return nil, httpx.Page{}, fmt.Errorf("admin list page: %w", err)
	}
	return caller, page, nil
}

// pathIDAsSuperadmin reads the path id (a malformed one is the 400 even
// for non-admins), then checks the role.
func pathIDAsSuperadmin(c *gin.Context) (*model.User, uuid.UUID, error) {
	id, err := httpx.PathUUID(c, "id")
	if err != nil {
		return nil, uuid.Nil, err
	}
	caller := auth.UserFrom(c.Request.Context())
	return caller, id, RequireSuperadmin(caller)
}

// listAsSuperadmin is the handler of an admin list: superadminPage, then
// list, then the list envelope with the views under key.
func listAsSuperadmin[V any](fail httpx.Fail, key string, list func(c *gin.Context, caller *model.User, page httpx.Page) ([]V, int64, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		caller, page, err := superadminPage(c)
		var views []V
		var total int64
		if err == nil {
			views, total, err = list(c, caller, page)
		}
		if err != nil {
			fail(c, err)
			return
		}
		httpx.WriteList(c, key, views, httpx.NewPagination(page, total))
	}
}
