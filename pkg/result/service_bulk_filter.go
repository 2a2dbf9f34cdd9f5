package result

import (
	"context"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

// MaxBulkFilterMatches is the most results one filter-based bulk update may
// change. It bounds the transaction (one locked row and one UPDATE per
// result); a filter matching more is refused, not cut short, so "select all
// N matching" never silently updates only some of them.
const MaxBulkFilterMatches = 5000

// BulkUpdateByFilter is BulkUpdate for every result the filters select,
// read the way GET /result reads them (same fields, same project scope:
// a user reaches only their projects' results, a superadmin must name a
// project), so "select all N matching" in the UI changes exactly the rows
// it counted. Each result still passes PUT's write check. More than
// MaxBulkFilterMatches matches is a 400 and nothing changes; no match is
// not an error (0 updated).
func (s *Service) BulkUpdateByFilter(ctx context.Context, u *model.User, filters []string, md map[string]any) (int, error) {
	if err := filter.CheckFields(filter.Results, filters); err != nil {
		return 0, err
	}
	scope, err := s.projects.ListScope(ctx, u, filters)
	if err != nil {
		return 0, err
	}
	n := 0
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		ids, err := s.store.matchingIDs(ctx, scope, filters, MaxBulkFilterMatches+1)
		if err != nil {
			return err
		}
		if len(ids) > MaxBulkFilterMatches {
			return apperr.BadRequest("Bad request, more than %d results match the filter; narrow it to update them in bulk", MaxBulkFilterMatches)
		}
		if len(ids) == 0 {
			return nil
		}
		rs, err := s.BulkUpdate(ctx, u, ids, md)
		n = len(rs)
		return err
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}
