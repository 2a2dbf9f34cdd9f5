// Package admin serves the superadmin-only routes under /api/admin
// (the operations of pkg/openapi/spec/paths/admin.yaml): managing every account and every project,
// with the guards that keep the server administrable (no self-deletion, no
// removing the last superadmin) and the clean-ups that keep foreign keys
// valid when a user or project goes away.
package admin

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// RequireSuperadmin is the role check of every admin route: a 401 problem
// without a caller, a 403 problem for everyone but superadmins.
func RequireSuperadmin(u *model.User) error {
	if u == nil {
		return errNoToken()
	}
	if !u.IsSuperadmin {
		return errNotSuperadmin()
	}
	return nil
}

// loadAsSuperadmin is the first step of every admin route on one row:
// the role check, then the row by id, a missing row (byID failing with
// missing) being the admin routes' 404 problem.
func loadAsSuperadmin[T any](ctx context.Context, caller *model.User, id uuid.UUID,
	byID func(context.Context, uuid.UUID) (*T, error), missing error) (*T, error) {
	if err := RequireSuperadmin(caller); err != nil {
		return nil, err
	}
	row, err := byID(ctx, id)
	if errors.Is(err, missing) {
		return nil, notFound()
	}
	return row, err
}
