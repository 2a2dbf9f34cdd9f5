// Package classify serves known-failure classification (docs/triage.md):
// a project's automatic classification rule and the audit trail of a
// result's classification changes. The suggestion itself rides on the
// result views (package result) and the rule runs where results are
// written (package fingerprint).
package classify

import (
	"context"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/result"
)

// MaxHistory bounds one history answer (newest first).
const MaxHistory = 500

// Results is what the service needs of package result: a result loaded
// under the read rule of GET /api/result/{id}.
type Results interface {
	Readable(ctx context.Context, u *model.User, id uuid.UUID) (*model.Result, error)
}

var _ Results = (*result.Service)(nil)

// Service answers classification questions.
type Service struct {
	results  Results
	projects *project.Store
	store    store
}

// NewService builds the service.
func NewService(d *db.DB, results Results, projects *project.Store) *Service {
	return &Service{results: results, projects: projects, store: store{db: d}}
}

// History lists the classification changes of result id, newest first, for
// a caller who may read the result (404 unknown, 403 foreign, as GET
// /api/result/{id}).
func (s *Service) History(ctx context.Context, u *model.User, id uuid.UUID) (*HistoryView, error) {
	if _, err := s.results.Readable(ctx, u, id); err != nil {
		return nil, apperr.NotFoundIf(err, result.ErrNotFound, "Result not found")
	}
	rows, err := s.store.history(ctx, id, MaxHistory)
	if err != nil {
		return nil, err
	}
	return newHistoryView(id, rows), nil
}

// Settings reads a project's triage settings; members may read them.
func (s *Service) Settings(ctx context.Context, u *model.User, projectID uuid.UUID) (*SettingsView, error) {
	p, err := s.loadProject(ctx, projectID)
	if err != nil {
		return nil, err
	}
	if err := s.projects.RequireAccess(ctx, u, &p.ID); err != nil {
		return nil, err
	}
	set, err := s.store.settings(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	return &SettingsView{ProjectID: p.ID.String(), AutoClassify: set.AutoClassify}, nil
}

// SetSettings changes a project's triage settings: like the project itself
// (PUT /api/project/{id}), only its owner or a superadmin may.
func (s *Service) SetSettings(ctx context.Context, u *model.User, projectID uuid.UUID, req SettingsRequest) (*SettingsView, error) {
	p, err := s.loadProject(ctx, projectID)
	if err != nil {
		return nil, err
	}
	if !u.IsSuperadmin && (p.OwnerID == nil || *p.OwnerID != u.ID) {
		return nil, apperr.Forbidden()
	}
	if req.AutoClassify == nil {
		return nil, apperr.BadRequest("auto_classify is required (true or false)")
	}
	if err := s.store.setSettings(ctx, p.ID, *req.AutoClassify); err != nil {
		return nil, err
	}
	return &SettingsView{ProjectID: p.ID.String(), AutoClassify: *req.AutoClassify}, nil
}

func (s *Service) loadProject(ctx context.Context, id uuid.UUID) (*model.Project, error) {
	p, err := s.projects.ByID(ctx, id)
	return p, apperr.NotFoundIf(err, project.ErrNotFound, "Project not found")
}
