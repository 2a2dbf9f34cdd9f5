// Package live serves the live event streams (server-sent events) of runs
// and projects, and the short-lived tickets that let a browser's
// EventSource open them (docs/notifications.md, "Events (live)").
package live

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/events"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/run"
)

// Service checks who may watch which stream and issues tickets.
type Service struct {
	runs     *run.Service
	projects *project.Store
	signer   *auth.Signer
	bus      *events.Bus
	lifetime time.Duration
	now      func() time.Time
}

// NewService builds the service; tickets live for lifetime.
func NewService(runs *run.Service, projects *project.Store, signer *auth.Signer, bus *events.Bus, lifetime time.Duration) *Service {
	if lifetime <= 0 {
		lifetime = time.Minute
	}
	return &Service{runs: runs, projects: projects, signer: signer, bus: bus, lifetime: lifetime, now: time.Now}
}

// AuthorizeRun checks the caller may read the run, exactly as GET
// /run/{id}: 404 for an unknown run, 403 outside its project.
func (s *Service) AuthorizeRun(ctx context.Context, u *model.User, id uuid.UUID) error {
	_, err := s.runs.Readable(ctx, u, id)
	return apperr.NotFoundIf(err, run.ErrNotFound, "Run not found")
}

// AuthorizeProject checks the caller is a member of the project (or a
// superadmin): 404 for an unknown project, 403 otherwise.
func (s *Service) AuthorizeProject(ctx context.Context, u *model.User, id uuid.UUID) error {
	if _, err := s.projects.ByID(ctx, id); err != nil {
		return apperr.NotFoundIf(err, project.ErrNotFound, "Project not found")
	}
	return s.projects.RequireAccess(ctx, u, &id)
}

// Ticket is a signed permission to open one stream.
type Ticket struct {
	Ticket  string `json:"ticket"`
	Stream  string `json:"stream"`
	Expires string `json:"expires"`
}

// IssueTicket checks the caller may watch the stream (prefix "run:" or
// "project:", and the id) and signs a ticket for it.
func (s *Service) IssueTicket(ctx context.Context, u *model.User, prefix string, id uuid.UUID) (Ticket, error) {
	authorize := s.AuthorizeProject
	if prefix == "run:" {
		authorize = s.AuthorizeRun
	}
	if err := authorize(ctx, u, id); err != nil {
		return Ticket{}, err
	}
	stream := prefix + id.String()
	exp := s.now().Add(s.lifetime).UTC().Truncate(time.Second)
	return Ticket{Ticket: s.signer.SignTicket(u.ID, stream, exp), Stream: stream, Expires: model.FormatTime(exp)}, nil
}

// Subscribe starts reading a stream after the client's Last-Event-ID.
func (s *Service) Subscribe(stream string, after uint64) (*events.Subscription, []events.Event, bool) {
	return s.bus.Subscribe(stream, after)
}
