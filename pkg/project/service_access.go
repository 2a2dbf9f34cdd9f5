package project

import (
	"context"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

// Finder loads a project by id, answering ErrNotFound when there is none.
// It is all LoadOwned needs, so a feature with its own project query (the
// webhooks) shares the owner rule without holding a *Store.
type Finder interface {
	ByID(ctx context.Context, id uuid.UUID) (*model.Project, error)
}

// Lookup is what the routes on a project and on its own sub-resources
// (quarantine, flaky tests) need of the project store: the project, and
// whether a user may access it. *Store is one.
type Lookup interface {
	Finder
	CanAccess(ctx context.Context, u *model.User, projectID uuid.UUID) (bool, error)
}

var _ Lookup = (*Store)(nil)

// LoadReadable loads project id for a reader: 404 "Project not found" when
// there is none, refusal when u may not access it (upstream's 401 on GET
// /project/{id}, so on the routes that answer as it does).
func LoadReadable(ctx context.Context, l Lookup, u *model.User, id uuid.UUID, refusal *apperr.Error) (*model.Project, error) {
	p, err := load(ctx, l, id)
	if err != nil {
		return nil, err
	}
	ok, err := l.CanAccess(ctx, u, p.ID)
	if err := apperr.Unless(ok, err, refusal); err != nil {
		return nil, err
	}
	return p, nil
}

// LoadOwned loads project id for a writer, the rule of PUT /project/{id}:
// 404 "Project not found" when there is none, 403 unless u owns it or is a
// superadmin.
func LoadOwned(ctx context.Context, l Finder, u *model.User, id uuid.UUID) (*model.Project, error) {
	p, err := load(ctx, l, id)
	if err != nil {
		return nil, err
	}
	if err := RequireOwner(u, p); err != nil {
		return nil, err
	}
	return p, nil
}

// RequireOwner is nil when u may change p's settings (its owner or a
// superadmin), 403 otherwise.
func RequireOwner(u *model.User, p *model.Project) error {
	if u == nil || (!u.IsSuperadmin && (p.OwnerID == nil || *p.OwnerID != u.ID)) {
		return apperr.Forbidden()
	}
	return nil
}

// load is ByID with the routes' 404.
func load(ctx context.Context, l Finder, id uuid.UUID) (*model.Project, error) {
	p, err := l.ByID(ctx, id)
	if err != nil {
		return nil, apperr.NotFoundIf(err, ErrNotFound, "Project not found")
	}
	return p, nil
}
