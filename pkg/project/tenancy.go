package project

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

// RunProject returns the project of a run; found is false when the run does
// not exist. A run whose project was deleted has a nil project.
func (s *Store) RunProject(ctx context.Context, runID uuid.UUID) (projectID *uuid.UUID, found bool, err error) {
	var row struct{ ProjectID *uuid.UUID }
	err = s.db.Conn(ctx).Model(&model.Run{}).Select("project_id").Where("id = ?", runID).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("load run project: %w", err)
	}
	return row.ProjectID, true, nil
}

// RequireRunInProject is the tenancy rule for a result that names a run: a
// result's project is its run's project. It answers
//   - 400 "Run ID … not found" for an unknown run,
//   - 403 when the run's project is one u cannot write (a run without
//     project: everyone but superadmins),
//   - 400 when u could write the run's project but it is not projectID.
//
// The 403 comes first so a mismatch never tells an outsider anything.
func (s *Store) RequireRunInProject(ctx context.Context, u *model.User, runID uuid.UUID, projectID *uuid.UUID) error {
	runProject, found, err := s.RunProject(ctx, runID)
	if err != nil {
		return err
	}
	if !found {
		return apperr.BadRequest("Run ID %s not found", runID)
	}
	if err := s.RequireAccess(ctx, u, runProject); err != nil {
		return err
	}
	if runProject == nil || (projectID != nil && *runProject == *projectID) {
		// A project-less run is reached only by superadmins (RequireAccess);
		// the summary then gives it the result's project, as upstream does.
		return nil
	}
	return apperr.BadRequest("Bad request, run %s belongs to another project than the result", runID)
}
