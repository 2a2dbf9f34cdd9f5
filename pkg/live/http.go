package live

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/events"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

// Handler serves the event streams and the ticket endpoint.
type Handler struct {
	svc *Service
	httpx.Failer
	heartbeat time.Duration
	slots     *Slots
}

// NewHandler builds the handler; heartbeat is the interval of the comment
// lines that keep idle streams open through proxies, and slots caps the
// streams open at once.
func NewHandler(svc *Service, log *slog.Logger, heartbeat time.Duration, slots *Slots) *Handler {
	if heartbeat <= 0 {
		heartbeat = 15 * time.Second
	}
	if slots == nil {
		slots = NewSlots(0, 0)
	}
	return &Handler{svc: svc, Failer: httpx.Failer{Log: log}, heartbeat: heartbeat, slots: slots}
}

// retryAfter is the Retry-After of a refused stream: a slot frees as soon
// as any stream closes, so a short wait is enough to try again.
const retryAfter = "5"

// Register mounts the ticket routes on the authenticated group and the
// two streams on the public one behind authn.TicketOrBearer: a stream
// takes a ticket (?ticket=, for EventSource) or a bearer header.
func (h *Handler) Register(pub, api gin.IRouter, authn *auth.Authenticator) {
	api.POST("/run/:id/events/ticket", h.ticket("run:"))
	api.POST("/project/:id/events/ticket", h.ticket("project:"))
	pub.GET("/run/:id/events", authn.TicketOrBearer(scope("run:")), h.stream("run:", h.svc.AuthorizeRun))
	pub.GET("/project/:id/events", authn.TicketOrBearer(scope("project:")), h.stream("project:", h.svc.AuthorizeProject))
}

// scope is the stream a route's ticket must name.
func scope(prefix string) func(c *gin.Context) string {
	return func(c *gin.Context) string { return prefix + strings.ToLower(c.Param("id")) }
}

// ticket answers POST /<kind>/{id}/events/ticket.
func (h *Handler) ticket(prefix string) gin.HandlerFunc {
	return func(c *gin.Context) {
		t, err := httpx.OnPathID(c, func(ctx context.Context, id uuid.UUID) (Ticket, error) {
			return h.svc.IssueTicket(ctx, auth.UserFrom(ctx), prefix, id)
		})
		httpx.Reply(c, h.Fail, http.StatusCreated, t, err, httpx.Same[Ticket])
	}
}

// recheck is how often an open stream re-checks the caller's access, so a
// member removed from a project stops receiving its events.
const recheck = time.Minute

// stream serves one kind of stream as text/event-stream.
func (h *Handler) stream(prefix string, authorize func(ctx context.Context, u *model.User, id uuid.UUID) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx := c.Request.Context()
		id, err := httpx.PathUUID(c, "id")
		u := auth.UserFrom(ctx)
		if err == nil {
			err = authorize(ctx, u, id)
		}
		if err == nil {
			err = h.slots.acquire(u.ID)
			if err != nil {
				c.Header("Retry-After", retryAfter)
			}
		}
		if err != nil {
			h.Fail(c, err)
			return
		}
		// The handler returns when the client goes away (its context ends)
		// or the stream is dropped, so the slot is back at once either way.
		defer h.slots.release(u.ID)
		after := lastEventID(c)
		sub, replay, gap := h.svc.Subscribe(prefix+id.String(), after)
		defer sub.Close()

		w := c.Writer
		// The server's read and write timeouts are for ordinary requests
		// (an expiring read deadline would cancel the request); a stream
		// stays open until the client leaves.
		rc := http.NewResponseController(w)
		_ = rc.SetReadDeadline(time.Time{})
		_ = rc.SetWriteDeadline(time.Time{})
		hd := w.Header()
		hd.Set("Content-Type", "text/event-stream")
		hd.Set("Cache-Control", "no-cache")
		hd.Set("X-Accel-Buffering", "no")
		w.WriteHeader(http.StatusOK)
		_, _ = fmt.Fprint(w, "retry: 3000\n: open\n\n")
		if gap {
			writeEvent(w, events.Event{ID: after, Type: events.Reset, Data: []byte(`{}`)})
		}
		for _, ev := range replay {
			writeEvent(w, ev)
		}
		w.Flush()

		beat := time.NewTicker(h.heartbeat)
		defer beat.Stop()
		checked := time.Now()
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-sub.C:
				if !ok {
					return // dropped for lagging, or shutting down: the client reconnects with Last-Event-ID
				}
				writeEvent(w, ev)
				if len(sub.C) == 0 {
					w.Flush()
				}
			case <-beat.C:
				if time.Since(checked) >= recheck {
					if authorize(ctx, u, id) != nil {
						return
					}
					checked = time.Now()
				}
				_, _ = fmt.Fprint(w, ": ping\n\n")
				w.Flush()
			}
		}
	}
}

// lastEventID is the Last-Event-ID header (sent by EventSource when it
// reconnects) or the last_event_id query parameter (for a new
// EventSource resuming); 0 when absent or unreadable.
func lastEventID(c *gin.Context) uint64 {
	v := c.GetHeader("Last-Event-ID")
	if v == "" {
		v = c.Query("last_event_id")
	}
	n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
	if err != nil {
		return 0
	}
	return n
}

// writeEvent writes one event in the text/event-stream format (the JSON
// payload is one line).
func writeEvent(w gin.ResponseWriter, ev events.Event) { _, _ = w.Write(ev.Frame()) }
