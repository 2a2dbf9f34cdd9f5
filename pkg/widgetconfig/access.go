package widgetconfig

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/dashboard"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

// A widget config belongs to its project and, when it sits on a dashboard,
// to that dashboard's project too. New writes keep the two equal (see
// matchDashboard); rows written before that rule may differ, so reads and
// writes here look at both: a row is readable when both are readable and
// writable when both are writable (dashboard.Access: no project means
// global, readable by all, writable by superadmins). Deleting is the one
// exception: either side may remove a widget, so a foreign widget planted
// on a dashboard can be removed by the dashboard's owners.

// dashboardOf loads the dashboard a config sits on (nil when none or when
// the referenced row is gone).
func (h *Handler) dashboardOf(ctx context.Context, w *model.WidgetConfig) (*model.Dashboard, error) {
	if w.DashboardID == nil {
		return nil, nil
	}
	var d model.Dashboard
	err := h.db.Conn(ctx).Where("id = ?", *w.DashboardID).Take(&d).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load dashboard %s: %w", *w.DashboardID, err)
	}
	return &d, nil
}

// check applies rule (CanRead or CanWrite) to the config's project and to
// its dashboard's project.
func (h *Handler) check(ctx context.Context, u *model.User, w *model.WidgetConfig, rule func(context.Context, *model.User, *uuid.UUID) error) error {
	if err := rule(ctx, u, w.ProjectID); err != nil {
		return err
	}
	d, err := h.dashboardOf(ctx, w)
	if err != nil || d == nil {
		return err
	}
	return rule(ctx, u, d.ProjectID)
}

// canDelete allows removing a config to whoever may write its project or
// its dashboard's project.
func (h *Handler) canDelete(ctx context.Context, u *model.User, w *model.WidgetConfig) error {
	first := h.access.CanWrite(ctx, u, w.ProjectID)
	if first == nil {
		return nil
	}
	if _, ok := apperr.As(first); !ok {
		return first
	}
	d, err := h.dashboardOf(ctx, w)
	if err != nil {
		return err
	}
	if d == nil {
		return first
	}
	return h.access.CanWrite(ctx, u, d.ProjectID)
}

// matchDashboard enforces that a config on a dashboard has the dashboard's
// project: a body that names a dashboard but no project takes the
// dashboard's project; one that names both must name the same project (400
// otherwise); an unknown dashboard is a 400.
func (h *Handler) matchDashboard(ctx context.Context, w *model.WidgetConfig, namesDashboard, namesProject bool) error {
	if w.DashboardID == nil {
		return nil
	}
	d, err := h.dashboardOf(ctx, w)
	if err != nil {
		return err
	}
	if d == nil {
		return apperr.BadRequest("Dashboard %s doesn't exist", *w.DashboardID)
	}
	if namesDashboard && !namesProject {
		w.ProjectID = d.ProjectID
	}
	if !sameProject(w.ProjectID, d.ProjectID) {
		return apperr.BadRequest("The widget config's project must be the project of dashboard %s", d.ID)
	}
	return nil
}

// readableScope restricts a list to the configs u may read: their project
// and their dashboard's project readable (dashboard.ReadableScope).
func readableScope(u *model.User) func(*gorm.DB) *gorm.DB {
	cond, args := dashboard.ReadableScope(u, "project_id")
	if cond == "" {
		return nil
	}
	dashes, dargs := dashboard.ReadableDashboards(u)
	return func(tx *gorm.DB) *gorm.DB {
		return tx.Where(cond, args...).Where("(dashboard_id IS NULL OR dashboard_id IN ("+dashes+"))", dargs...)
	}
}

func sameProject(a, b *uuid.UUID) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
