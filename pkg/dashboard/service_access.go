package dashboard

import (
	"context"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

// Access is the tenancy rule for dashboards and widget configs (views
// included), kept here so both packages apply the same one:
//
//   - a row of project P is readable and writable by whoever may access P
//     (members, the owner, superadmins);
//   - a global row (no project) is readable by every user and writable by
//     superadmins only, so nobody can change what every other user sees.
//
// It answers with 403 problems; package widgetconfig reuses it.
type Access struct {
	projects Projects
}

// NewAccess builds the rule on a project store.
func NewAccess(projects Projects) *Access { return &Access{projects: projects} }

// Written ends a create or an update of a row of a project (a dashboard, a
// widget config) once the body is applied to it: u must be allowed to
// write the project the row now names (CanWrite's 403), then write stores
// the row. Both services end their writes this way, in this order.
func Written[T any](ctx context.Context, a *Access, u *model.User, row *T, projectID *uuid.UUID,
	write func(context.Context, *T) error) (*T, error) {
	if err := a.CanWrite(ctx, u, projectID); err != nil {
		return nil, err
	}
	if err := write(ctx, row); err != nil {
		return nil, err
	}
	return row, nil
}

// CanRead is nil when u may read a row of projectID (nil: global).
func (a *Access) CanRead(ctx context.Context, u *model.User, projectID *uuid.UUID) error {
	if projectID == nil {
		return nil
	}
	return a.member(ctx, u, *projectID)
}

// CanWrite is nil when u may create, change or delete a row of projectID
// (nil: global, superadmins only).
func (a *Access) CanWrite(ctx context.Context, u *model.User, projectID *uuid.UUID) error {
	if projectID == nil {
		if u != nil && u.IsSuperadmin {
			return nil
		}
		return apperr.Forbidden()
	}
	return a.member(ctx, u, *projectID)
}

func (a *Access) member(ctx context.Context, u *model.User, id uuid.UUID) error {
	return apperr.ForbiddenUnless(a.projects.CanAccess(ctx, u, id))
}
