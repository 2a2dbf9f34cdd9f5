package widget

import (
	"context"
	"strings"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

// checkProjects guards the projects a request names. Upstream does not
// scope widgets at all; this server does
// (docs/api-compatibility.md#project-scoping), so here:
//
//   - the `project` parameter, when it is a UUID, must name an existing
//     project (404 "Project not found") the caller can access (403);
//   - a `project_id` filter inside additional_filters is held to the same
//     access rule for non-superadmins, so an outsider cannot read another
//     project through it: `project_id=<id>` and `project_id*<a>;<b>` must
//     name accessible projects, and any other operator on project_id
//     (`!`, `~`, `%`, ...), which could select projects not named, is a 403.
//
// Non-UUID `project` values stay ignored, as upstream ignores them.
func (s *Service) checkProjects(ctx context.Context, u *model.User, a args) error {
	if id, ok := uuidArg(a.strOr("project", "")); ok {
		if err := s.projectExists(ctx, id); err != nil {
			return err
		}
		if err := s.canAccess(ctx, u, id); err != nil {
			return err
		}
	}
	if u != nil && u.IsSuperadmin {
		return nil
	}
	for _, f := range additionalFilterStrings(a) {
		e, ok := filter.Parse(f)
		if !ok || e.Field != "project_id" {
			continue
		}
		var values []string
		switch e.Op {
		case filter.OpEq:
			values = []string{e.Value}
		case filter.OpIn:
			values = strings.Split(e.Value, ";")
		default:
			return apperr.Forbidden()
		}
		for _, v := range values {
			id, ok := uuidArg(strings.TrimSpace(v))
			if !ok {
				continue // matches no project_id: harmless
			}
			if err := s.canAccess(ctx, u, id); err != nil {
				return err
			}
		}
	}
	return nil
}

// additionalFilterStrings are the filter strings of additional_filters,
// whether declared as a comma-separated string or as a list.
func additionalFilterStrings(a args) []string {
	if s, ok := a.str("additional_filters"); ok {
		return splitFilters(s)
	}
	return filter.Split(a.list("additional_filters"))
}

// canAccess is a 403 unless u may read project id.
func (s *Service) canAccess(ctx context.Context, u *model.User, id uuid.UUID) error {
	return apperr.ForbiddenUnless(s.access.CanAccess(ctx, u, id))
}

// projectExists is a 404 unless project id exists.
func (s *Service) projectExists(ctx context.Context, id uuid.UUID) error {
	ok, err := s.store.projectExists(ctx, id)
	if err != nil {
		return err
	}
	if !ok {
		return apperr.NotFound("Project not found")
	}
	return nil
}
