package classify

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
	"github.com/ibutsu-go/ibutsu/pkg/result"
)

// Handler serves the classification routes (extensions of this server).
type Handler struct {
	httpx.Failer
	svc     *Service
	maxBody int64
}

// NewHandler builds the handler.
func NewHandler(svc *Service, f httpx.Failer, maxBody int64) *Handler {
	return &Handler{Failer: f, svc: svc, maxBody: maxBody}
}

// Register mounts the routes on the authenticated API group.
func (h *Handler) Register(api gin.IRouter) {
	api.GET("/result/:id/classification-history", httpx.GetByID(h.Fail, h.history, httpx.Same[*HistoryView]))
	api.GET("/project/:id/triage-settings", httpx.GetByID(h.Fail, h.settings, httpx.Same[*SettingsView]))
	api.PUT("/project/:id/triage-settings", h.setSettings)
}

// settingsSchema types the settings body.
var settingsSchema = httpx.Schema{"auto_classify": {Kind: httpx.Boolean}}

func (h *Handler) history(ctx context.Context, id uuid.UUID) (*HistoryView, error) {
	return h.svc.History(ctx, auth.UserFrom(ctx), id)
}

func (h *Handler) settings(ctx context.Context, id uuid.UUID) (*SettingsView, error) {
	return h.svc.Settings(ctx, auth.UserFrom(ctx), id)
}

func (h *Handler) setSettings(c *gin.Context) {
	ctx := c.Request.Context()
	var req SettingsRequest
	id, body, err := httpx.PathUUIDAndBody(c, "id", h.maxBody, settingsSchema)
	if err == nil {
		err = settingsSchema.RejectUnknown(body)
	}
	if err == nil {
		err = result.DecodeRequest(body, settingsSchema, &req)
	}
	var v *SettingsView
	if err == nil {
		v, err = h.svc.SetSettings(ctx, auth.UserFrom(ctx), id, req)
	}
	httpx.Reply(c, h.Fail, http.StatusOK, v, err, httpx.Same[*SettingsView])
}
