package cluster

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
	"github.com/ibutsu-go/ibutsu/pkg/run"
)

// Handler serves GET /api/run/{id}/clusters (an extension of this server).
type Handler struct {
	svc *Service
	log *slog.Logger
}

// NewHandler builds the handler.
func NewHandler(svc *Service, log *slog.Logger) *Handler { return &Handler{svc: svc, log: log} }

// Register mounts the route on the authenticated API group.
func (h *Handler) Register(api gin.IRouter) {
	api.GET("/run/:id/clusters", h.runClusters)
}

func (h *Handler) runClusters(c *gin.Context) {
	ctx := c.Request.Context()
	id, err := httpx.PathUUID(c, "id")
	if err == nil {
		var v *View
		if v, err = h.svc.RunClusters(ctx, auth.UserFrom(ctx), id); err == nil {
			httpx.JSON(c, http.StatusOK, v)
			return
		}
	}
	if errors.Is(err, run.ErrNotFound) {
		err = apperr.NotFound("Run not found")
	}
	httpx.WriteError(c, h.log, err)
}
