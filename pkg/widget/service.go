package widget

import (
	"context"
	"net/url"
	"strings"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// Access decides whether a user may read a project's data.
type Access interface {
	CanAccess(ctx context.Context, u *model.User, projectID uuid.UUID) (bool, error)
}

// Service answers widget requests: it looks the widget up in the
// registry, types its arguments, checks the projects they name and runs
// the computation.
type Service struct {
	store  store
	access Access
}

// NewService builds the service with the caps lim (config widgets.*).
func NewService(d *db.DB, access Access, lim config.Widgets) *Service {
	return &Service{store: store{db: d, d: filter.DialectOf(d), access: access, lim: lim}, access: access}
}

// Compute runs widget id for u with the query's parameters. An unknown id
// is upstream's 400 naming every id; a failing computation is a
// *computeError.
func (s *Service) Compute(ctx context.Context, u *model.User, id string, query url.Values) (any, error) {
	w, ok := Lookup(id)
	if !ok {
		return nil, apperr.Invalid("'%s' is not one of ['%s'] - 'id'", id, strings.Join(ids(), "', '"))
	}
	a, err := parseArgs(w, query)
	if err != nil {
		return nil, err
	}
	if err := s.checkProjects(ctx, u, a); err != nil {
		return nil, err
	}
	q := s.store
	q.user = u
	out, err := w.Compute(ctx, q, a)
	if err != nil {
		return nil, &computeError{err: err}
	}
	return out, nil
}

// computeError is a failure of a widget's computation (not of its lookup,
// arguments or access check): the handler maps it as upstream's widget
// controller does.
type computeError struct{ err error }

func (e *computeError) Error() string { return e.err.Error() }
func (e *computeError) Unwrap() error { return e.err }
