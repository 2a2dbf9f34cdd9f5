// Package health serves the liveness, readiness and info endpoints that
// probes, pytest-ibutsu and the UI call (docs/api-compatibility.md#health).
package health

import (
	"context"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
	"github.com/ibutsu-go/ibutsu/pkg/platform/version"
)

// Pinger is a dependency readiness depends on (the database, Redis).
type Pinger interface {
	Ping(ctx context.Context) error
}

// Status is the body of the health endpoints.
type Status struct {
	Status  string `json:"status"`
	Message string `json:"message"`
}

// Info is the body of GET /api/health/info.
type Info struct {
	Frontend string `json:"frontend"`
	Backend  string `json:"backend"`
	APIUI    string `json:"api_ui"`
	Version  string `json:"version"`
	Commit   string `json:"commit"`
}

// Handler serves the health routes.
type Handler struct {
	db          Pinger
	queue       Pinger // nil in the embedded mode
	frontendURL string
	backendURL  string
	// Ready is cleared when shutdown starts, so load balancers stop sending
	// new requests before the server stops accepting them.
	Ready atomic.Bool
}

// NewHandler builds the handler; it starts ready.
func NewHandler(db, queue Pinger, frontendURL, backendURL string) *Handler {
	h := &Handler{db: db, queue: queue, frontendURL: frontendURL, backendURL: backendURL}
	h.Ready.Store(true)
	return h
}

// Live answers GET /api/health: the process is up.
func (h *Handler) Live(c *gin.Context) {
	httpx.JSON(c, http.StatusOK, Status{"OK", "Service is running"})
}

// Database answers GET /api/health/database with the intended upstream
// behaviour (upstream always answers 503 because of a broken import).
func (h *Handler) Database(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 5*time.Second)
	defer cancel()
	if err := h.db.Ping(ctx); err != nil {
		httpx.JSON(c, http.StatusServiceUnavailable, Status{"Error", "Unable to connect to the database"})
		return
	}
	httpx.JSON(c, http.StatusOK, Status{"OK", "Service is running"})
}

// Info answers GET /api/health/info.
func (h *Handler) Info(c *gin.Context) {
	v := version.Get()
	httpx.JSON(c, http.StatusOK, Info{
		Frontend: h.frontendURL, Backend: h.backendURL, APIUI: h.backendURL + "/api/ui/",
		Version: v.Version, Commit: v.Commit,
	})
}

// Readiness answers the readiness probe: 503 while shutting down or when
// the database (or Redis, when configured) does not answer.
func (h *Handler) Readiness(c *gin.Context) {
	if !h.Ready.Load() {
		httpx.JSON(c, http.StatusServiceUnavailable, Status{"Error", "Shutting down"})
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()
	if err := h.db.Ping(ctx); err != nil {
		httpx.JSON(c, http.StatusServiceUnavailable, Status{"Error", "Unable to connect to the database"})
		return
	}
	if h.queue != nil {
		if err := h.queue.Ping(ctx); err != nil {
			httpx.JSON(c, http.StatusServiceUnavailable, Status{"Error", "Unable to connect to Redis"})
			return
		}
	}
	httpx.JSON(c, http.StatusOK, Status{"OK", "Service is ready"})
}
