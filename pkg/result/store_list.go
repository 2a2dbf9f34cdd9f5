package result

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/listing"
	"github.com/ibutsu-go/ibutsu/pkg/platform/paging"
)

// list reads one page of results matching filters within scope, and the
// total (estimated when p allows it and the count is large).
func (s store) list(ctx context.Context, scope func(*gorm.DB) *gorm.DB, sort listing.Sort, p ListParams) ([]model.Result, int64, bool, error) {
	return ListRows[model.Result](ctx, s.db, filter.Results, scope, sort, p, s.countFromCounts(scope, p.Filters))
}

// ListRows reads one page of rows of type T (results, runs) matching p's
// filters on table within scope, newest first unless sort says otherwise,
// and the total (estimated when p allows it and the count is large);
// counter, when not nil, may answer the total instead. GET /result and
// GET /run read their pages through it.
func ListRows[T any](ctx context.Context, d *db.DB, table filter.Table, scope func(*gorm.DB) *gorm.DB, sort listing.Sort, p ListParams,
	counter func(context.Context) (int64, bool, error)) ([]T, int64, bool, error) {
	where, args, err := filter.Build(filter.DialectOf(d), table, p.Filters)
	if err != nil {
		return nil, 0, false, err
	}
	var rows []T
	total, estimated, err := listing.RunCounted(ctx, d, new(T), &rows, listing.Query{
		Where: where, Args: args, Scope: scope, Order: "start_time DESC", Sort: sort,
		Page:     paging.Page{Page: p.Page, PageSize: p.PageSize},
		Estimate: p.Estimate, EstimateThreshold: p.EstimateThreshold,
		Counter: counter,
	})
	if err != nil {
		return nil, 0, false, err
	}
	return rows, total, estimated, nil
}

// countFromCounts answers a results total from the trigger-maintained
// ibutsu_result_counts table (PostgreSQL migration 5) when every filter is
// on project_id, result, component or env: an exact total from a few
// hundred count rows instead of counting (or estimating) over results. It
// returns nil when the table cannot answer.
func (s store) countFromCounts(scope func(*gorm.DB) *gorm.DB, filters []string) func(context.Context) (int64, bool, error) {
	if s.db.Dialect != db.Postgres || !filter.OnlyColumns(filter.ResultCounts, filters) {
		return nil
	}
	return func(ctx context.Context) (int64, bool, error) {
		where, args, err := filter.Build(filter.Postgres, filter.ResultCounts, filters)
		if err != nil {
			return 0, false, err
		}
		tx := s.db.Conn(ctx).Table(filter.ResultCounts.Name)
		if scope != nil {
			tx = scope(tx)
		}
		if where != "" {
			tx = tx.Where(where, args...)
		}
		var n int64
		if err := tx.Select("COALESCE(SUM(n), 0)").Scan(&n).Error; err != nil {
			return 0, false, fmt.Errorf("sum result counts: %w", err)
		}
		return n, true, nil
	}
}
