package result

import (
	"context"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// checkRun enforces "a result's project is its run's project" on a result
// about to be created: the run it names must be in the result's project
// (400 otherwise) and in a project u can write (403 otherwise).
func (s *Service) checkRun(ctx context.Context, u *model.User, r *model.Result) error {
	if r.RunID == nil {
		return nil
	}
	return s.projects.RequireRunInProject(ctx, u, *r.RunID, r.ProjectID)
}

// checkMove is checkRun for PUT /result/{id}: only when the update changes
// the result's run or project, so the UI's PUT of a whole, unchanged result
// keeps working on rows stored before the rule existed.
func (s *Service) checkMove(ctx context.Context, u *model.User, r *model.Result, oldRun, oldProject *uuid.UUID) error {
	if sameID(oldRun, r.RunID) && sameID(oldProject, r.ProjectID) {
		return nil
	}
	return s.checkRun(ctx, u, r)
}

func sameID(a, b *uuid.UUID) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
