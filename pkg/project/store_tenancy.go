package project

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// RunProject returns the project of a run; found is false when the run does
// not exist. A run whose project was deleted has a nil project. Inside a
// transaction on PostgreSQL it reads the row FOR KEY SHARE, held to the
// commit: a move of the run (PUT /run holds it FOR UPDATE) either committed
// before and is read, or waits for the caller's write (PUT /result moving a
// result into the run), so the rule is checked on the project the run has
// when the write commits. KEY SHARE does not wait for other writers'.
func (s *Store) RunProject(ctx context.Context, runID uuid.UUID) (projectID *uuid.UUID, found bool, err error) {
	var row struct{ ProjectID *uuid.UUID }
	q := s.db.Conn(ctx)
	if s.db.Dialect == db.Postgres && db.InTx(ctx) {
		q = q.Clauses(clause.Locking{Strength: "KEY SHARE"})
	}
	err = q.Model(&model.Run{}).Select("project_id").Where("id = ?", runID).Take(&row).Error
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
	return s.CheckRunInProject(ctx, u, runID, projectID, RunProjectRead{ProjectID: runProject, Found: found})
}

// RunProjectRead is what RunProjectLookup read: the run's project, and
// whether the run exists.
type RunProjectRead struct {
	ProjectID *uuid.UUID
	Found     bool
}

// RunProjectLookup is RunProject as a look-up (PostgreSQL only), for a
// caller that reads other things in the same statement (db.Lookups): POST
// /result reads its run's project with the markers of its answer, one
// round trip where there were two. It fills out.
func (s *Store) RunProjectLookup(runID uuid.UUID, out *RunProjectRead) db.Lookup {
	return db.Lookup{
		SQL:  `SELECT id AS k, CAST(project_id AS TEXT) AS a, NULL AS b, NULL AS c, 0 AS n FROM runs WHERE id = ?`,
		Args: []any{runID},
		Read: func(rows []db.LookupRow) {
			*out = RunProjectRead{}
			for _, r := range rows {
				out.Found = true
				if r.A != nil {
					if id, err := uuid.Parse(*r.A); err == nil {
						out.ProjectID = &id
					}
				}
			}
		},
	}
}

// CheckRunInProject is RequireRunInProject with the run's project already
// read (RunProjectLookup).
func (s *Store) CheckRunInProject(ctx context.Context, u *model.User, runID uuid.UUID, projectID *uuid.UUID, run RunProjectRead) error {
	runProject, found := run.ProjectID, run.Found
	if !found {
		return apperr.BadRequest("Run ID %s not found", runID)
	}
	if err := s.RequireAccess(ctx, u, runProject); err != nil {
		return err
	}
	if runProject == nil {
		// A project-less run is reached only by superadmins (RequireAccess).
		// Upstream's summary later gives it the result's project; doing it
		// now keeps "a result's project is its run's project" true at once.
		if projectID == nil {
			return nil
		}
		return s.homeRun(ctx, runID, *projectID)
	}
	if projectID != nil && *runProject == *projectID {
		return nil
	}
	return apperr.BadRequest("Bad request, run %s belongs to another project than the result", runID)
}

// homeRun gives a run without project (its project was deleted) the
// project a superadmin's result names, with the run's other project-less
// results, so none of them is left in another project than its run.
func (s *Store) homeRun(ctx context.Context, runID, projectID uuid.UUID) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		conn := s.db.Conn(ctx)
		if err := conn.Model(&model.Run{}).Where("id = ? AND project_id IS NULL", runID).
			Update("project_id", projectID).Error; err != nil {
			return fmt.Errorf("home run into project: %w", err)
		}
		if err := conn.Model(&model.Result{}).Where("run_id = ? AND project_id IS NULL", runID).
			Update("project_id", projectID).Error; err != nil {
			return fmt.Errorf("home run's results into project: %w", err)
		}
		return nil
	})
}
