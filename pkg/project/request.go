package project

import "github.com/ibutsu-go/ibutsu/pkg/model"

// ListRequest is GET /project's query: the filter expressions, the
// ownerId/groupId parameters (UUIDs, checked by the service) and the page.
type ListRequest struct {
	Filters          []string
	OwnerID, GroupID *string
	Page, PageSize   int
}

// Refs are the ids a project body may point at; each is checked against
// what exists before it is stored.
type Refs struct {
	OwnerID            model.Nullable[string]
	GroupID            model.Nullable[string]
	DefaultDashboardID model.Nullable[string]
}

// CreateRequest is a POST /project (and POST /admin/project) body.
type CreateRequest struct {
	ID    *string
	Name  *string
	Title *string
	Refs
}

// UpdateRequest is a PUT /project/{id} (and PUT /admin/project/{id}) body:
// unset fields keep their value; Users are e-mails of users to add.
type UpdateRequest struct {
	Name  *string
	Title model.Nullable[string]
	Refs
	Users []string
}
