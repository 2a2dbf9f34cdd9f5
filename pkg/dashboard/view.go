// Package dashboard owns dashboards (named sets of widgets per project).
package dashboard

import "github.com/ibutsu-go/ibutsu/pkg/model"

// View is a dashboard as the API shows it.
type View struct {
	ID          string  `json:"id"`
	Title       *string `json:"title"`
	Description *string `json:"description"`
	Filters     *string `json:"filters"`
	ProjectID   *string `json:"project_id"`
	UserID      *string `json:"user_id"`
}

// NewView renders d.
func NewView(d *model.Dashboard) View {
	return View{ID: d.ID.String(), Title: d.Title, Description: d.Description, Filters: d.Filters,
		ProjectID: model.UUIDString(d.ProjectID), UserID: model.UUIDString(d.UserID)}
}
