package query

import (
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
)

// Handler serves GET /api/task/{id}.
type Handler struct {
	svc *Service
	log *slog.Logger
}

// NewHandler builds the handler.
func NewHandler(svc *Service, log *slog.Logger) *Handler { return &Handler{svc: svc, log: log} }

// Register mounts the route on the authenticated API group.
func (h *Handler) Register(api gin.IRouter) { api.GET("/task/:id", h.get) }

var messages = map[queue.State]string{
	queue.StatePending: "Task not yet started or invalid, check back later",
	queue.StateStarted: "Task has started but is still running, check back later",
	queue.StateRetry:   "Task has been retried, possibly due to failure",
	queue.StateSuccess: "Task has succeeded",
	queue.StateFailure: "Task has failed!",
}

func (h *Handler) get(c *gin.Context) {
	ctx := c.Request.Context()
	id, err := httpx.PathUUID(c, "id")
	if err != nil {
		httpx.WriteError(c, h.log, err)
		return
	}
	a, err := h.svc.Lookup(ctx, auth.UserFrom(ctx), id)
	if err != nil {
		httpx.WriteError(c, h.log, err)
		return
	}
	out := map[string]any{"state": string(a.State), "message": messages[a.State]}
	switch a.State {
	case queue.StateSuccess:
		for k, v := range a.Body {
			out[k] = v
		}
		httpx.JSON(c, http.StatusOK, out)
	case queue.StateFailure:
		out["error"] = a.Error
		httpx.JSON(c, http.StatusNonAuthoritativeInfo, out)
	default:
		httpx.JSON(c, http.StatusPartialContent, out)
	}
}
