package widgetconfig

import (
	"context"

	"github.com/google/uuid"

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

// check applies rule (CanRead or CanWrite) to the config's project and to
// its dashboard's project.
func (s *Service) check(ctx context.Context, u *model.User, w *model.WidgetConfig, rule func(context.Context, *model.User, *uuid.UUID) error) error {
	if err := rule(ctx, u, w.ProjectID); err != nil {
		return err
	}
	d, err := s.store.DashboardOf(ctx, w)
	if err != nil || d == nil {
		return err
	}
	return rule(ctx, u, d.ProjectID)
}

// canDelete allows removing a config to whoever may write its project or
// its dashboard's project.
func (s *Service) canDelete(ctx context.Context, u *model.User, w *model.WidgetConfig) error {
	first := s.access.CanWrite(ctx, u, w.ProjectID)
	if first == nil {
		return nil
	}
	if _, ok := apperr.As(first); !ok {
		return first
	}
	d, err := s.store.DashboardOf(ctx, w)
	if err != nil {
		return err
	}
	if d == nil {
		return first
	}
	return s.access.CanWrite(ctx, u, d.ProjectID)
}

// matchDashboard enforces that a config on a dashboard has the dashboard's
// project: a body that names a dashboard but no project takes the
// dashboard's project; one that names both must name the same project (400
// otherwise); an unknown dashboard is a 400.
func (s *Service) matchDashboard(ctx context.Context, w *model.WidgetConfig, namesDashboard, namesProject bool) error {
	if w.DashboardID == nil {
		return nil
	}
	d, err := s.store.DashboardOf(ctx, w)
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

func sameProject(a, b *uuid.UUID) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
