// Package query runs list queries too large to answer inline (GET /result or
// /run with pageSize over the maximum) as background tasks, and serves
// GET /api/task/{id} where clients collect those results.
package query

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
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

func (s *Service) list(ctx context.Context, table string, u *model.User, p result.ListParams) (any, result.ListInfo, error) {
	switch table {
	case "results":
		return s.results.List(ctx, u, p)
	case "runs":
		return s.runs.List(ctx, u, p)
	}
	return nil, result.ListInfo{}, fmt.Errorf("query task: unknown table %q", table)
}

func (s *Service) handle(ctx context.Context, raw []byte) ([]byte, error) {
	p, uid, err := queue.DecodeIDPayload("query", raw, func(p *payload) string { return p.UserID })
	if err != nil {
		return nil, err
	}
	u, err := s.users.ByID(ctx, uid)
	if err != nil {
		return nil, fmt.Errorf("query task user: %w: %w", err, queue.ErrSkipRetry)
	}
	items, info, err := s.list(ctx, p.Table, u, p.Params)
	if err != nil {
		return nil, err
	}
	body, err := listBody(p.Table, items, info)
	if err != nil {
		return nil, err
	}
	return json.Marshal(stored{Owner: u.ID.String(), Body: body})
}

// Answer is what GET /task/{id} reports about a task for one caller.
type Answer struct {
	State queue.State
	// Body holds the list body of a succeeded query of the caller's.
	Body map[string]any
	// Error holds a failed task's error, one line per element.
	Error []string
}

// Lookup reports task id's state to u. A succeeded query of someone else
// (a superadmin sees every one) is reported as pending, as an unknown id is.
func (s *Service) Lookup(ctx context.Context, u *model.User, id uuid.UUID) (Answer, error) {
	st, err := s.queue.Status(ctx, id.String())
	if err != nil {
		return Answer{}, err
	}
	a := Answer{State: st.State}
	switch st.State {
	case queue.StateSuccess:
		var out stored
		if err := json.Unmarshal(st.Result, &out); err == nil && (out.Owner == u.ID.String() || u.IsSuperadmin) {
			var body map[string]any
			if err := json.Unmarshal(out.Body, &body); err == nil {
				a.Body = body
			}
		} else if err == nil {
			return Answer{State: queue.StatePending}, nil
		}
	case queue.StateFailure:
		a.Error = strings.Split(st.Error, "\n")
	}
	return a, nil
}
