package result

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/platform/db"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
	"github.com/ibutsu-go/ibutsu/pkg/platform/listing"
)

// ListParams is one results query: the filter strings, the sort, the page
// and whether the total may be estimated.
type ListParams struct {
	Filters []string `json:"filters"`
	// Sort is the raw sort parameter (see listing.ParseSort); empty means
	// start_time DESC, upstream's order.
	Sort              string `json:"sort,omitempty"`
	Page              int    `json:"page"`
	PageSize          int    `json:"page_size"`
	Estimate          bool   `json:"estimate"`
	EstimateThreshold int    `json:"estimate_threshold"`
}

// SortFields are the fields GET /result may sort by.
var SortFields = listing.SortFields{Columns: []string{"start_time", "duration", "test_id", "result", "component", "env"}}

// List runs a scoped, filtered results page ordered by p.Sort (default
// start_time DESC); the same code serves the inline list and the async
// query task.
func (s *Service) List(ctx context.Context, u *model.User, p ListParams) ([]View, httpx.Pagination, error) {
	sort, err := listing.ParseSort(p.Sort, SortFields)
	if err != nil {
		return nil, httpx.Pagination{}, err
	}
	scope, err := s.projects.ListScope(ctx, u, p.Filters)
	if err != nil {
		return nil, httpx.Pagination{}, err
	}
	where, args, err := filter.Build(filter.DialectOf(s.db), filter.Results, p.Filters)
	if err != nil {
		return nil, httpx.Pagination{}, err
	}
	page := httpx.Page{Page: p.Page, PageSize: p.PageSize}
	var rows []model.Result
	total, estimated, err := listing.RunCounted(ctx, s.db, &model.Result{}, &rows, listing.Query{
		Where: where, Args: args, Scope: scope, Order: "start_time DESC", Sort: sort, Page: page,
		Estimate: p.Estimate, EstimateThreshold: p.EstimateThreshold,
		Counter: s.countFromCounts(scope, p.Filters),
	})
	if err != nil {
		return nil, httpx.Pagination{}, err
	}
	pag := httpx.NewPagination(page, total)
	pag.Estimated = estimated
	return Views(rows), pag, nil
}

// countFromCounts answers a results total from the trigger-maintained
// ibutsu_result_counts table (PostgreSQL migration 5) when every filter is
// on project_id, result, component or env: an exact total from a few
// hundred count rows instead of counting (or estimating) over results. It
// returns nil when the table cannot answer.
func (s *Service) countFromCounts(scope func(*gorm.DB) *gorm.DB, filters []string) func(context.Context) (int64, bool, error) {
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
