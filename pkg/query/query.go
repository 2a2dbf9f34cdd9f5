// Package query runs list queries too large to answer inline (GET /result or
// /run with pageSize over the maximum) as background tasks, and serves
// GET /api/task/{id} where clients collect those results.
package query

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
	"github.com/ibutsu-go/ibutsu/pkg/result"
	"github.com/ibutsu-go/ibutsu/pkg/run"
	"github.com/ibutsu-go/ibutsu/pkg/user"
)

// TypeQuery is the task type (upstream's ibutsu_server.tasks.query.query_task).
const TypeQuery = "query.query_task"

// Service submits and executes query tasks.
type Service struct {
	queue     queue.Queue
	users     *user.Store
	results   *result.Service
	runs      *run.Service
	retention time.Duration
	log       *slog.Logger
}

// NewService builds the service; q is the queue tasks are submitted to.
func NewService(q queue.Queue, users *user.Store, results *result.Service, runs *run.Service, retention time.Duration, log *slog.Logger) *Service {
	return &Service{queue: q, users: users, results: results, runs: runs, retention: retention, log: log}
}

type payload struct {
	Table  string            `json:"table"`
	UserID string            `json:"user_id"`
	Params result.ListParams `json:"params"`
}

// stored is the task result: the caller's id (so only they can read it) and
// the list body.
type stored struct {
	Owner string          `json:"owner"`
	Body  json.RawMessage `json:"body"`
}

// Register adds the query task to a registry.
func (s *Service) Register(reg *queue.Registry) {
	reg.Register(TypeQuery, s.handle, queue.MaxRetry(3), queue.Timeout(10*time.Minute), queue.Retention(s.retention))
}

// Submit implements result.AsyncQueries. The query runs with the caller's
// scoping (upstream runs it unscoped).
func (s *Service) Submit(ctx context.Context, table string, u *model.User, p result.ListParams) (string, error) {
	// Check scoping, filters and sort now so a bad request is a 400, not a failed task.
	if _, _, err := s.list(ctx, table, u, result.ListParams{Filters: p.Filters, Sort: p.Sort, Page: 1, PageSize: 1}); err != nil {
		return "", err
	}
	b, err := json.Marshal(payload{Table: table, UserID: u.ID.String(), Params: p})
	if err != nil {
		return "", fmt.Errorf("query payload: %w", err)
	}
	id := uuid.NewString()
	if _, err := s.queue.Enqueue(ctx, TypeQuery, b, queue.TaskID(id)); err != nil {
		return "", fmt.Errorf("submit query: %w", err)
	}
	return id, nil
}

func (s *Service) list(ctx context.Context, table string, u *model.User, p result.ListParams) (any, httpx.Pagination, error) {
	switch table {
	case "results":
		return s.results.List(ctx, u, p)
	case "runs":
		return s.runs.List(ctx, u, p)
	}
	return nil, httpx.Pagination{}, fmt.Errorf("query task: unknown table %q", table)
}

func (s *Service) handle(ctx context.Context, raw []byte) ([]byte, error) {
	var p payload
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, fmt.Errorf("query payload: %w: %w", err, queue.ErrSkipRetry)
	}
	uid, err := uuid.Parse(p.UserID)
	if err != nil {
		return nil, fmt.Errorf("query payload: %w: %w", err, queue.ErrSkipRetry)
	}
	u, err := s.users.ByID(ctx, uid)
	if err != nil {
		return nil, fmt.Errorf("query task user: %w: %w", err, queue.ErrSkipRetry)
	}
	items, pag, err := s.list(ctx, p.Table, u, p.Params)
	if err != nil {
		return nil, err
	}
	body, err := json.Marshal(map[string]any{p.Table: items, "pagination": pag})
	if err != nil {
		return nil, fmt.Errorf("encode query result: %w", err)
	}
	return json.Marshal(stored{Owner: u.ID.String(), Body: body})
}

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
	st, err := h.svc.queue.Status(ctx, id.String())
	if err != nil {
		httpx.WriteError(c, h.log, err)
		return
	}
	out := map[string]any{"state": string(st.State), "message": messages[st.State]}
	switch st.State {
	case queue.StateSuccess:
		var s stored
		u := auth.UserFrom(ctx)
		if err := json.Unmarshal(st.Result, &s); err == nil && (s.Owner == u.ID.String() || u.IsSuperadmin) {
			var body map[string]any
			if err := json.Unmarshal(s.Body, &body); err == nil {
				for k, v := range body {
					out[k] = v
				}
			}
		} else if err == nil {
			// Someone else's task: answer as for an unknown id.
			httpx.JSON(c, http.StatusPartialContent, map[string]any{"state": string(queue.StatePending), "message": messages[queue.StatePending]})
			return
		}
		httpx.JSON(c, http.StatusOK, out)
	case queue.StateFailure:
		out["error"] = strings.Split(st.Error, "\n")
		httpx.JSON(c, http.StatusNonAuthoritativeInfo, out)
	default:
		httpx.JSON(c, http.StatusPartialContent, out)
	}
}
