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
