package admin

import (
	"context"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/project"
)

// ProjectService holds the rules of /admin/project*: the project routes'
// rules without their access scoping, plus per-project retention and
// deletion that orphans (never deletes) a project's test history.
type ProjectService struct {
	store    *Store
	projects *project.Store
	rules    *project.Service
}

// NewProjectService builds the service.
func NewProjectService(store *Store, projects *project.Store) *ProjectService {
	return &ProjectService{store: store, projects: projects, rules: project.NewService(projects)}
}

// List returns one page of every project (with owners and retention).
func (s *ProjectService) List(ctx context.Context, caller *model.User, req project.ListRequest) ([]project.View, int64, error) {
	if err := RequireSuperadmin(caller); err != nil {
		return nil, 0, err
	}
	return s.rules.List(ctx, caller, req, true)
}

// Create inserts a project owned by the caller, with its retention.
func (s *ProjectService) Create(ctx context.Context, caller *model.User, req ProjectCreateRequest) (*model.Project, error) {
	if err := RequireSuperadmin(caller); err != nil {
		return nil, err
	}
	var r project.Retention
	if req.Retention.Set {
		var err error
		if r, err = project.ParseRetention(req.Retention, r); err != nil {
			return nil, err
		}
	}
	var p *model.Project
	err := s.projects.WithTx(ctx, func(ctx context.Context) error {
		var err error
		if p, err = s.rules.Create(ctx, caller, req.CreateRequest); err != nil {
			return err
		}
		return s.projects.SetRetention(ctx, p.ID, r)
	})
	return p, err
}

// Load checks the role and loads a project (404 problem).
func (s *ProjectService) Load(ctx context.Context, caller *model.User, id uuid.UUID) (*model.Project, error) {
	return loadAsSuperadmin(ctx, caller, id, s.projects.ByID, project.ErrNotFound)
}

// Update applies req to p (loaded by Load); a new owner becomes a member.
//
// A partial `retention` merges into the overrides read under the project's
// row lock (project.Service.Update relocks it first), so two admins setting
// different fields together keep both; the body's retention errors still
// answer before the update's own, as they always have.
func (s *ProjectService) Update(ctx context.Context, p *model.Project, req ProjectUpdateRequest) error {
	if req.Retention.Set {
		if _, err := project.ParseRetention(req.Retention, project.Retention{}); err != nil {
			return err
		}
	}
	return s.projects.WithTx(ctx, func(ctx context.Context) error {
		if err := s.rules.Update(ctx, p, req.UpdateRequest, true); err != nil {
			return err
		}
		if !req.Retention.Set {
			return nil
		}
		cur, err := s.projects.Retention(ctx, p.ID)
		if err != nil {
			return err
		}
		r, err := project.ParseRetention(req.Retention, cur)
		if err != nil {
			return err
		}
		return s.projects.SetRetention(ctx, p.ID, r)
	})
}

// Delete removes p (loaded by Load) and its memberships; its results,
// runs, dashboards and widgets stay without project.
func (s *ProjectService) Delete(ctx context.Context, p *model.Project) error {
	err := s.store.deleteProject(ctx, p.ID)
	s.projects.InvalidateCaches()
	return err
}
