package run

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

// previous serves GET /run/{id}/previous (this server's own route): the
// previous build of the run's series, 204 when there is none, 400/403/404
// for the run itself as GET /run/{id}.
func (h *Handler) previous(c *gin.Context) {
	ctx := c.Request.Context()
	r, ok := h.loadReadable(c)
	if !ok {
		return
	}
	prev, err := h.svc.Previous(ctx, r)
	if errors.Is(err, ErrNotFound) {
		// Not an error: the first build of a series has no previous one. A
		// 404 here would read as a failed request in every browser console.
		c.Status(http.StatusNoContent)
		return
	}
	var v View
	if err == nil {
		v, err = h.svc.RenderOne(ctx, prev)
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, v)
}

// loadReadable loads the run named by the path's id and checks the caller
// may read it; on failure it has answered (400, 403 or 404) and ok is false.
func (h *Handler) loadReadable(c *gin.Context) (*model.Run, bool) {
	id, err := httpx.PathUUID(c, "id")
	var r *model.Run
	if err == nil {
		r, err = h.get(c.Request.Context(), id)
	}
	if err != nil {
		h.fail(c, err)
		return nil, false
	}
	return r, true
}
