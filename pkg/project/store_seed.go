package project

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// DefaultWidget is one widget a new project's default dashboard starts
// with. The set is chosen to render with any project's data: the summary
// and the recent results need nothing but results; the component trend and
// matrix show the runs that carry a component (and say "no data" until
// some do). Every parameter is one the widget type declares (checked
// against the widget registry by a test), so the dashboard never opens on
// an error.
type DefaultWidget struct {
	Widget string
	Title  string
	// Params builds the widget's parameters for a project id.
	Params func(projectID string) map[string]any
}

// DefaultWidgets lists the seeded widgets in layout order.
var DefaultWidgets = []DefaultWidget{
	{"result-summary", "Summary", func(p string) map[string]any { return map[string]any{"project": p} }},
	{"filter-heatmap", "Pass-rate trend by component", func(p string) map[string]any {
		return map[string]any{"additional_filters": "component@y", "builds": 10, "group_field": "component", "project": p}
	}},
	{"run-matrix", "Latest runs by component", func(p string) map[string]any {
		return map[string]any{"columns": []any{"component"}, "limit": 10, "project": p}
	}},
	{"result-aggregator", "Results of the last 30 days", func(p string) map[string]any {
		return map[string]any{"group_field": "result", "days": 30, "project": p}
	}},
}

// seedDefaultWidgets fills a project's new default dashboard with
// DefaultWidgets. It adds nothing to a dashboard that already has widgets,
// so running it twice (or on a dashboard someone already arranged) changes
// nothing.
func (s *Store) seedDefaultWidgets(ctx context.Context, dashboardID, projectID uuid.UUID) error {
	var n int64
	if err := s.db.Conn(ctx).Model(&model.WidgetConfig{}).Where("dashboard_id = ?", dashboardID).Count(&n).Error; err != nil {
		return fmt.Errorf("count dashboard widgets: %w", err)
	}
	if n > 0 {
		return nil
	}
	for i, w := range DefaultWidgets {
		row := &model.WidgetConfig{
			ID: uuid.New(), Type: model.Ptr("widget"), Widget: model.Ptr(w.Widget), Title: model.Ptr(w.Title),
			Params: model.JSON(w.Params(projectID.String())), Weight: model.Ptr((i + 1) * 10),
			DashboardID: &dashboardID, ProjectID: &projectID,
		}
		if err := s.db.Conn(ctx).Create(row).Error; err != nil {
			return fmt.Errorf("seed widget %s: %w", w.Widget, err)
		}
	}
	return nil
}
