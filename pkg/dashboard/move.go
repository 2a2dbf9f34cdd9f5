package dashboard

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// move carries what hangs on dashboard d along when a PUT gives it another
// project (d.ProjectID is already the new one; the caller may write both).
// A widget config's project must equal its dashboard's, so the dashboard's
// widget configs take the new project too; the caller must be able to write
// every project those widgets are in now (a legacy widget of a third
// project refuses the move with 403 rather than being taken over). Projects
// other than the new one lose d as their default dashboard, since a default
// dashboard belongs to its project. Runs inside the update's transaction.
func (h *Handler) move(ctx context.Context, u *model.User, d *model.Dashboard) error {
	conn := h.db.Conn(ctx)
	var ws []model.WidgetConfig
	if err := conn.Select("id", "project_id").Where("dashboard_id = ?", d.ID).Find(&ws).Error; err != nil {
		return fmt.Errorf("load dashboard widgets: %w", err)
	}
	seen := map[string]bool{}
	for _, w := range ws {
		key := ""
		if w.ProjectID != nil {
			key = w.ProjectID.String()
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		if err := h.access.CanWrite(ctx, u, w.ProjectID); err != nil {
			return err
		}
	}
	if err := conn.Model(&model.WidgetConfig{}).Where("dashboard_id = ?", d.ID).Update("project_id", nullable(d.ProjectID)).Error; err != nil {
		return fmt.Errorf("move dashboard widgets: %w", err)
	}
	stale := conn.Model(&model.Project{}).Where("default_dashboard_id = ?", d.ID)
	if d.ProjectID != nil {
		stale = stale.Where("id <> ?", *d.ProjectID)
	}
	if err := stale.Update("default_dashboard_id", nil).Error; err != nil {
		return fmt.Errorf("clear default dashboard: %w", err)
	}
	return nil
}

// sameProject compares two optional project ids.
func sameProject(a, b *uuid.UUID) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// nullable is id as a query argument (SQL NULL when nil).
func nullable(id *uuid.UUID) any {
	if id == nil {
		return nil
	}
	return *id
}
