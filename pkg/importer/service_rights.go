package importer

import (
	"context"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// uploaderKey is the key of an import's data that records who uploaded it.
// Upstream's imports table has no user column; the key is kept out of the
// API's view (see NewView) so the import looks as upstream's does.
const uploaderKey = "uploader_id"

// rights is what an import task may write: the uploader's projects, taken
// at the time the task runs. An import without a recorded uploader (queued
// by an older version, or triggered by hand) or whose uploader is gone or
// deactivated may write only into the project its form named, which was
// checked at upload.
type rights struct {
	s           *Service
	user        *model.User
	formProject *uuid.UUID
	// watched are the projects an archive from a watched bucket bound to
	// several projects may write to (it must name one of them).
	watched []uuid.UUID
}

// rightsOf loads the uploader of imp.
func (s *Service) rightsOf(ctx context.Context, imp *model.Import) (*rights, error) {
	r := &rights{s: s, formProject: formOf(imp).projectID}
	if ids, ok := imp.Data[watchProjectsKey].([]any); ok {
		for _, v := range ids {
			if id, err := uuid.Parse(fmt.Sprint(v)); err == nil {
				r.watched = append(r.watched, id)
			}
		}
		return r, nil // no uploader: the binding is the whole of its rights
	}
	ref, _ := imp.Data[uploaderKey].(string)
	id, err := uuid.Parse(ref)
	if err != nil {
		return r, nil
	}
	u, err := s.store.user(ctx, id)
	if err != nil || u == nil {
		return r, err
	}
	if u.IsActive {
		r.user = u
	}
	return r, nil
}

// canWrite reports whether the import may write rows of project pid (nil:
// rows without project, which only superadmins may touch).
func (r *rights) canWrite(ctx context.Context, pid *uuid.UUID) (bool, error) {
	if r.user == nil {
		return pid != nil && ((r.formProject != nil && *pid == *r.formProject) || slices.Contains(r.watched, *pid)), nil
	}
	if pid == nil {
		return r.user.IsSuperadmin, nil
	}
	return r.s.projects.CanAccess(ctx, r.user, *pid)
}

// requireProject fails the import (a bad-input error naming what) unless
// it may write into project pid.
func (r *rights) requireProject(ctx context.Context, pid *uuid.UUID, what string) error {
	ok, err := r.canWrite(ctx, pid)
	if err != nil {
		return err
	}
	if !ok {
		return badInputf("%s: the uploader cannot write to that project", what)
	}
	return nil
}

// existingResult vets a result of an archive whose id is already stored: a
// re-import may update it only when it is in the import's own project (the
// run's) and the uploader can write there; anything else would move or
// overwrite another project's result.
func existingResult(ctx context.Context, rt *rights, run *model.Run, id uuid.UUID, project *uuid.UUID) error {
	what := "result " + id.String() + " already exists"
	if err := rt.requireProject(ctx, project, what); err != nil {
		return err
	}
	if (project == nil) != (run.ProjectID == nil) || (project != nil && *project != *run.ProjectID) {
		return badInputf("%s in another project", what)
	}
	return nil
}
