package result

import (
	"context"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
	"github.com/ibutsu-go/ibutsu/pkg/platform/listing"
)

// ListParams is one results query: the filter strings, the page and whether
// the total may be estimated.
type ListParams struct {
	Filters           []string `json:"filters"`
	Page              int      `json:"page"`
	PageSize          int      `json:"page_size"`
	Estimate          bool     `json:"estimate"`
	EstimateThreshold int      `json:"estimate_threshold"`
}

// List runs a scoped, filtered results page ordered by start_time DESC;
// the same code serves the inline list and the async query task.
func (s *Service) List(ctx context.Context, u *model.User, p ListParams) ([]View, httpx.Pagination, error) {
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
	total, err := listing.Run(ctx, s.db, &model.Result{}, &rows, listing.Query{
		Where: where, Args: args, Scope: scope, Order: "start_time DESC", Page: page,
		Estimate: p.Estimate, EstimateThreshold: p.EstimateThreshold,
	})
	if err != nil {
		return nil, httpx.Pagination{}, err
	}
	return Views(rows), httpx.NewPagination(page, total), nil
}
