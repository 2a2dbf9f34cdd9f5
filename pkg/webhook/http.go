package webhook

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

var errEventsStrings = apperr.BadRequest("Bad request, 'events' must be a list of strings")

// Handler serves /api/project/{id}/webhooks (an extension of this server).
type Handler struct {
	httpx.Failer
	svc     *Service
	maxBody int64
}

// NewHandler builds the handler.
func NewHandler(svc *Service, log *slog.Logger, maxBody int64) *Handler {
	return &Handler{Failer: httpx.Failer{Log: log}, svc: svc, maxBody: maxBody}
}

// Register mounts the routes on the authenticated API group.
func (h *Handler) Register(api gin.IRouter) {
	api.GET("/project/:id/webhooks", h.list)
	api.POST("/project/:id/webhooks", h.create)
	api.GET("/project/:id/webhooks/:hook", h.get)
	api.PUT("/project/:id/webhooks/:hook", h.update)
	api.DELETE("/project/:id/webhooks/:hook", h.delete)
	api.GET("/project/:id/webhooks/:hook/deliveries", h.deliveries)
	api.POST("/project/:id/webhooks/:hook/test", h.test)
}

// ids reads the project id and, when hook, the webhook id from the path.
func ids(c *gin.Context, hook bool) (uuid.UUID, uuid.UUID, error) {
	pid, err := httpx.PathUUID(c, "id")
	if err != nil || !hook {
		return pid, uuid.Nil, err
	}
	id, err := httpx.PathUUID(c, "hook")
	return pid, id, err
}

// request reads what a create or update needs, in this order: the path
// ids (the webhook's too when hook), then the body as an Input.
func (h *Handler) request(c *gin.Context, hook bool) (pid, id uuid.UUID, in Input, err error) {
	if pid, id, err = ids(c, hook); err != nil {
		return pid, id, in, err
	}
	body, err := httpx.ReadBody(c, h.maxBody, bodySchema)
	if err == nil {
		err = bodySchema.RejectUnknown(body)
	}
	if err != nil {
		return pid, id, in, err
	}
	in, err = inputOf(body)
	return pid, id, in, err
}

// onHook reads the path ids of a webhook route and calls call with the
// caller's context and user.
func onHook[T any](c *gin.Context, call func(context.Context, *model.User, uuid.UUID, uuid.UUID) (T, error)) (T, error) {
	pid, id, err := ids(c, true)
	if err != nil {
		var zero T
		return zero, err
	}
	ctx, u := caller(c)
	return call(ctx, u, pid, id)
}

func caller(c *gin.Context) (context.Context, *model.User) {
	ctx := c.Request.Context()
	return ctx, auth.UserFrom(ctx)
}

func (h *Handler) list(c *gin.Context) {
	pid, _, err := ids(c, false)
	var subs []Subscription
	if err == nil {
		ctx, u := caller(c)
		subs, err = h.svc.List(ctx, u, pid)
	}
	if err != nil {
		h.Fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, gin.H{"webhooks": httpx.Views(subs, NewView), "events": Events, "formats": Formats})
}

func (h *Handler) create(c *gin.Context) {
	pid, _, in, err := h.request(c, false)
	var sub *Subscription
	if err == nil {
		ctx, u := caller(c)
		sub, err = h.svc.Create(ctx, u, pid, in)
	}
	httpx.Reply(c, h.Fail, http.StatusCreated, sub, err, NewView)
}

func (h *Handler) get(c *gin.Context) {
	sub, err := onHook(c, h.svc.Get)
	httpx.Reply(c, h.Fail, http.StatusOK, sub, err, NewView)
}

func (h *Handler) update(c *gin.Context) {
	pid, id, in, err := h.request(c, true)
	var sub *Subscription
	if err == nil {
		ctx, u := caller(c)
		sub, err = h.svc.Update(ctx, u, pid, id, in)
	}
	httpx.Reply(c, h.Fail, http.StatusOK, sub, err, NewView)
}

func (h *Handler) delete(c *gin.Context) {
	_, err := onHook(c, func(ctx context.Context, u *model.User, pid, id uuid.UUID) (struct{}, error) {
		return struct{}{}, h.svc.Delete(ctx, u, pid, id)
	})
	httpx.Reply(c, h.Fail, http.StatusOK, "OK", err, httpx.Same[string])
}

func (h *Handler) deliveries(c *gin.Context) {
	ds, err := onHook(c, h.svc.Deliveries)
	if err != nil {
		h.Fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusOK, gin.H{"deliveries": httpx.Views(ds, NewDeliveryView)})
}

// test answers a test asked for too soon as the other throttles do
// (platform/costly): 429, a JSON string, Retry-After in whole seconds.
func (h *Handler) test(c *gin.Context) {
	d, err := onHook(c, h.svc.SendTest)
	if soon, ok := errors.AsType[*TooSoon](err); ok {
		c.Header("Retry-After", strconv.Itoa(max(1, int(math.Ceil(soon.RetryAfter.Seconds())))))
		err = apperr.New(http.StatusTooManyRequests, "%s", soon.Error())
	}
	httpx.Reply(c, h.Fail, http.StatusAccepted, d, err, NewDeliveryView)
}
