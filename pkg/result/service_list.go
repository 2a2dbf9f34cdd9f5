package result

import (
	"context"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/model"
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

// ListInfo describes the page a list returned: which page, its size, the
// total number of matching rows and whether that total is the planner's
// estimate. The HTTP layer turns it into the envelope's pagination object.
type ListInfo struct {
	Page, PageSize int
	Total          int64
	Estimated      bool
}

// SortFields are the fields GET /result may sort by.
var SortFields = listing.SortFields{Columns: []string{"start_time", "duration", "test_id", "result", "component", "env"}}

// List runs a scoped, filtered results page ordered by p.Sort (default
// start_time DESC); the same code serves the inline list and the async
// query task.
func (s *Service) List(ctx context.Context, u *model.User, p ListParams) ([]View, ListInfo, error) {
	sort, err := listing.ParseSort(p.Sort, SortFields)
	if err != nil {
		return nil, ListInfo{}, err
	}
	if err := filter.CheckFields(filter.Results, p.Filters); err != nil {
		return nil, ListInfo{}, err
	}
	scope, err := s.projects.ListScope(ctx, u, p.Filters)
	if err != nil {
		return nil, ListInfo{}, err
	}
	rows, total, estimated, err := s.store.list(ctx, scope, sort, p)
	if err != nil {
		return nil, ListInfo{}, err
	}
	views, err := s.Render(ctx, rows)
	if err != nil {
		return nil, ListInfo{}, err
	}
	return views, ListInfo{Page: p.Page, PageSize: p.PageSize, Total: total, Estimated: estimated}, nil
}
