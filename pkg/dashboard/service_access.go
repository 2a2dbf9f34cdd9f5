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
