package project

import (
	"context"

	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

// ListScope applies the rule for GET /result and GET /run
// (docs/api-compatibility.md#project-scoping):
// superadmins must name a project in the filters (the tables are too big to
// list unscoped); everyone else sees only their member projects' rows and,
// with no projects at all, must name one too.
func (s *Store) ListScope(ctx context.Context, u *model.User, filters []string) (func(*gorm.DB) *gorm.DB, error) {
	scoped := filter.HasProjectFilter(filters)
	if u.IsSuperadmin {
		if !scoped {
			return nil, apperr.BadRequest("Bad request, project_id filter is required for unscoped queries")
		}
		return nil, nil
	}
	ids, err := s.MemberProjectIDs(ctx, u)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 && !scoped {
		return nil, apperr.BadRequest("Bad request, project_id filter is required")
	}
	return func(tx *gorm.DB) *gorm.DB {
		if len(ids) == 0 {
			return tx.Where("1 = 0")
		}
		return tx.Where("project_id IN ?", ids)
	}, nil
}
