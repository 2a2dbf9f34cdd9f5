// Package widgetconfig owns widget configurations
// (docs/api-compatibility.md#endpoint-behaviour): which
// widgets a dashboard shows and which views a project's sidebar lists.
package widgetconfig

import "github.com/ibutsu-go/ibutsu/pkg/model"

// View is a widget configuration as the API shows it.
type View struct {
	ID          string     `json:"id"`
	Type        *string    `json:"type"`
	Widget      *string    `json:"widget"`
	Title       *string    `json:"title"`
	Weight      *int       `json:"weight"`
	Params      model.JSON `json:"params"`
	ProjectID   *string    `json:"project_id"`
	DashboardID *string    `json:"dashboard_id"`
	Navigable   *bool      `json:"navigable"`
}

// NewView renders w.
func NewView(w *model.WidgetConfig) View {
	return View{ID: w.ID.String(), Type: w.Type, Widget: w.Widget, Title: w.Title, Weight: w.Weight,
		Params: w.Params, ProjectID: model.UUIDString(w.ProjectID), DashboardID: model.UUIDString(w.DashboardID),
		Navigable: w.Navigable}
}
