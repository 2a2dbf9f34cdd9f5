package run

import (
	"context"
	"fmt"

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
		if err := s.db.Conn(ctx).Save(r).Error; err != nil {
			return fmt.Errorf("update run: %w", err)
		}
		if !moved {
			return nil
		}
		if err := s.db.Conn(ctx).Model(&model.Result{}).Where("run_id = ?", r.ID).
			Update("project_id", *r.ProjectID).Error; err != nil {
			return fmt.Errorf("move run results: %w", err)
		}
		return nil
	})
}

// checkResultProjects requires write access to every project the run's
// results are in. Results without project follow their run: older JUnit
// imports left them so in runs that have a project, and they belong to no
// one else.
func (s *Service) checkResultProjects(ctx context.Context, u *model.User, runID uuid.UUID) error {
	var projects []uuid.UUID
	if err := s.db.Conn(ctx).Model(&model.Result{}).Where("run_id = ? AND project_id IS NOT NULL", runID).
		Distinct("project_id").Pluck("project_id", &projects).Error; err != nil {
		return fmt.Errorf("load run result projects: %w", err)
	}
	for _, p := range projects {
		if err := s.projects.RequireAccess(ctx, u, &p); err != nil {
			return err
		}
	}
	return nil
}
