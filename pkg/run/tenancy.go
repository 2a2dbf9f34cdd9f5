package run

import (
	"context"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// save writes an updated run. When the update moved the run to another
// project, its results follow it in the same transaction: a result's
// project is its run's project. Every project the run's results are in
// must be writable by u (they normally all are the run's old project,
// which the caller was already checked for), else nothing changes (403).
func (s *Service) save(ctx context.Context, u *model.User, r *model.Run, oldProject *uuid.UUID) error {
	moved := r.ProjectID != nil && (oldProject == nil || *oldProject != *r.ProjectID)
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if moved {
			if err := s.checkResultProjects(ctx, u, r.ID); err != nil {
				return err
			}
		}
		return s.store.save(ctx, r, moved)
	})
}

// checkResultProjects requires write access to every project the run's
// results are in. Results without project follow their run: older JUnit
// imports left them so in runs that have a project, and they belong to no
// one else.
func (s *Service) checkResultProjects(ctx context.Context, u *model.User, runID uuid.UUID) error {
	projects, err := s.store.resultProjects(ctx, runID)
	if err != nil {
		return err
	}
	for _, p := range projects {
		if err := s.projects.RequireAccess(ctx, u, &p); err != nil {
			return err
		}
	}
	return nil
}
