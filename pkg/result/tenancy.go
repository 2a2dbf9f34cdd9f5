package result

import (
	"context"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
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

// targetRun is the run a PUT /result body moves the result into, nil when
// it names none or no valid id (runRef answers that one later).
func targetRun(req UpdateRequest) *uuid.UUID {
	if !req.RunID.Set {
		return nil
	}
	id, ok := model.ParseUUID(Deref(req.RunID.Value))
	if !ok {
		return nil
	}
	return &id
}

// runHeld refuses, with a 409 the client may retry, an update of a result
// whose run changed between store.lockRunsOf's read and the result's row
// lock (another PUT moved it and committed): its new run is not locked,
// and waiting for it now, with the result's row held, is the lock order
// that deadlocks with a move of that run. held is nil where no run is
// locked (SQLite).
func runHeld(r *model.Result, held map[uuid.UUID]bool) error {
	if held == nil || r.RunID == nil || held[*r.RunID] {
		return nil
	}
	return apperr.Conflict("Result %s moved to another run while it was updated; send the request again", r.ID)
}
