package importer

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/paging"
	"github.com/ibutsu-go/ibutsu/pkg/project"
)

// projectOf is the project an import's form named, if any.
func projectOf(imp *model.Import) (uuid.UUID, bool) {
	ref, _ := imp.Data["project_id"].(string)
	pid, err := uuid.Parse(ref)
	return pid, err == nil
}

// uploaderOf is the user who uploaded an import, if recorded.
func uploaderOf(imp *model.Import) (uuid.UUID, bool) {
	ref, _ := imp.Data[uploaderKey].(string)
	id, err := uuid.Parse(ref)
	return id, err == nil
}

// Get loads import id for u: 404 "Not Found" when there is none, 403 when
// u may not read it (canRead).
func (s *Service) Get(ctx context.Context, u *model.User, id uuid.UUID) (*model.Import, error) {
	imp, err := s.store.load(ctx, id)
	if err != nil {
		return nil, apperr.NotFoundIf(err, errNoImport, "Not Found")
	}
	if err := s.canRead(ctx, u, imp); err != nil {
		return nil, err
	}
	return imp, nil
}

// List is GET /api/import: the imports matching filters (upstream's filter
// strings on import columns) that u may see (listScope), newest first.
func (s *Service) List(ctx context.Context, u *model.User, filters []string, page paging.Page) ([]model.Import, int64, error) {
	where, args, err := filter.Build(filter.DialectOf(s.db), filter.Imports, filter.Split(filters))
	if err != nil {
		if errors.Is(err, filter.ErrInvalid) {
			return nil, 0, apperr.BadRequest("%s", err.Error())
		}
		return nil, 0, err
	}
	scope, err := s.listScope(ctx, u)
	if err != nil {
		return nil, 0, err
	}
	return s.store.list(ctx, where, args, scope, page)
}

// canRead is GET /import/{id}'s rule: an import into a project is readable
// by that project's members (upstream's rule); one without a project only
// by its uploader, when recorded, and by superadmins.
func (s *Service) canRead(ctx context.Context, u *model.User, imp *model.Import) error {
	if u.IsSuperadmin {
		return nil
	}
	if pid, ok := projectOf(imp); ok {
		return apperr.ForbiddenUnless(s.projects.CanAccess(ctx, u, pid))
	}
	if id, ok := uploaderOf(imp); ok && id == u.ID {
		return nil
	}
	return apperr.Forbidden()
}

// listScope restricts GET /import to imports into the caller's member
// projects and project-less imports the caller uploaded. Superadmins see
// all.
func (s *Service) listScope(ctx context.Context, u *model.User) (importScope, error) {
	if u.IsSuperadmin {
		return nil, nil
	}
	ids, err := s.projects.MemberProjectIDs(ctx, u)
	if err != nil {
		return nil, err
	}
	return s.store.visibleTo(ids, u.ID)
}

// UploadProject resolves the project an upload's form names (an id or a
// name) and checks that u may write to it; upstream's 400 when there is
// no such project.
func (s *Service) UploadProject(ctx context.Context, u *model.User, ref string) (uuid.UUID, error) {
	p, err := s.projects.Resolve(ctx, ref)
	if errors.Is(err, project.ErrNotFound) {
		return uuid.Nil, apperr.BadRequest("Project %s doesn't exist", ref)
	}
	if err != nil {
		return uuid.Nil, err
	}
	if err := apperr.ForbiddenUnless(s.projects.CanAccess(ctx, u, p.ID)); err != nil {
		return uuid.Nil, err
	}
	return p.ID, nil
}
