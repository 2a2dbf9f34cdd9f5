package project

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

// CanAccess is the access rule of
// docs/api-compatibility.md#roles-and-the-bootstrap-superadmin: superadmins see every
// project; others see projects they are members or the owner of. A project
// without owner that the user is not a member of is simply inaccessible
// (upstream crashes there).
func (s *Store) CanAccess(ctx context.Context, u *model.User, projectID uuid.UUID) (bool, error) {
	if u == nil {
		return false, nil
	}
	if u.IsSuperadmin {
		return true, nil
	}
	key := accessKey{u.ID, projectID}
	if ok, hit := s.cache.access.get(key); hit {
		return ok, nil
	}
	var n int64
	err := s.db.Conn(ctx).Model(&model.Project{}).
		Where("id = ? AND (owner_id = ? OR EXISTS (SELECT 1 FROM users_projects up WHERE up.project_id = projects.id AND up.user_id = ?))", projectID, u.ID, u.ID).
		Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("check project access: %w", err)
	}
	s.cache.access.put(key, n > 0)
	return n > 0, nil
}

// RequireAccess is the 403 guard on a loaded row that belongs to a project
// (a result, a run): superadmins pass, a row without project is forbidden
// to everyone else, otherwise the caller needs CanAccess. It exists so the
// result and run services share one copy of the rule. u must be set (the
// routes are authenticated).
func (s *Store) RequireAccess(ctx context.Context, u *model.User, projectID *uuid.UUID) error {
	if u.IsSuperadmin {
		return nil
	}
	if projectID == nil {
		return apperr.Forbidden()
	}
	return apperr.ForbiddenUnless(s.CanAccess(ctx, u, *projectID))
}

// LoadAccessible loads row id with get, then answers RequireAccess's 403
// unless u may see the project projectOf names: the rule of every read of
// one project row (a result, a run) on a caller's behalf. get's error (its
// not-found) comes first, as upstream answers 404 before 403.
func LoadAccessible[T any](ctx context.Context, s *Store, u *model.User, id uuid.UUID,
	get func(context.Context, uuid.UUID) (*T, error), projectOf func(*T) *uuid.UUID) (*T, error) {
	row, err := get(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.RequireAccess(ctx, u, projectOf(row)); err != nil {
		return nil, err
	}
	return row, nil
}

// MemberProjectIDs lists the projects a (non-superadmin) user is a member
// of; list endpoints restrict their rows to these.
func (s *Store) MemberProjectIDs(ctx context.Context, u *model.User) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	err := s.db.Conn(ctx).Model(&model.UserProject{}).Where("user_id = ?", u.ID).Pluck("project_id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("load user projects: %w", err)
	}
	return ids, nil
}

// InvalidateCaches drops cached project lookups and access decisions; code
// that changes memberships or projects outside this Store calls it.
func (s *Store) InvalidateCaches() { s.cache.reset() }
