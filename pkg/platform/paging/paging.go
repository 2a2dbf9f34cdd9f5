// Package paging holds the page of a list request as a plain value, so that
// services and stores can take it without speaking HTTP (httpx parses it from
// the query string; listing applies it to a query).
package paging

// Page is a 1-based page number and a page size.
type Page struct {
	Page, PageSize int
}

// Offset is max(0, (page-1)*pageSize).
func (p Page) Offset() int {
	if p.Page < 1 {
		return 0
	}
	return (p.Page - 1) * p.PageSize
}

// Pagination is the list envelope's pagination object.
type Pagination struct {
	Page       int   `json:"page"`
	PageSize   int   `json:"pageSize"`
	TotalItems int64 `json:"totalItems"`
	TotalPages int64 `json:"totalPages"`
	// Estimated is set (and only then sent) when totalItems is the
	// database planner's estimate (estimate=true on a large list); an
	// addition to the upstream envelope.
	Estimated bool `json:"estimated,omitempty"`
}

// NewPagination computes totalPages = ceil(total/pageSize).
func NewPagination(p Page, total int64) Pagination {
	pages := int64(0)
	if p.PageSize > 0 {
		pages = (total + int64(p.PageSize) - 1) / int64(p.PageSize)
	}
	return Pagination{Page: p.Page, PageSize: p.PageSize, TotalItems: total, TotalPages: pages}
}
