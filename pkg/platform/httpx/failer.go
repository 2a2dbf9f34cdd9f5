package httpx

import (
	"log/slog"

	"github.com/gin-gonic/gin"
)

// Failer is a handler's error exit. Feature handlers embed it, built with
// their logger, and call h.Fail(c, err); return — so every package answers
// errors through WriteError without declaring its own forwarding method.
type Failer struct {
	Log *slog.Logger
}

// Fail writes err as the response, as WriteError does.
func (f Failer) Fail(c *gin.Context, err error) { WriteError(c, f.Log, err) }
