package project

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"
)

// RetentionTable is our own table of per-project prune overrides (migration
// 00003); upstream's tables are left as upstream builds them.
const RetentionTable = "ibutsu_project_retention"

// Retention is a project's override of the global prune defaults, in days
// per kind: nil = use the default, 0 = keep forever. It shows as
// `retention` on the admin project routes.
type Retention struct {
	ImportDays   *int `json:"import_days" gorm:"column:import_days"`
	ArtifactDays *int `json:"artifact_days" gorm:"column:artifact_days"`
	ResultDays   *int `json:"result_days" gorm:"column:result_days"`
	RunDays      *int `json:"run_days" gorm:"column:run_days"`
}

// retentionRow is one row of RetentionTable.
type retentionRow struct {
	ProjectID uuid.UUID `gorm:"column:project_id;type:uuid;primaryKey"`
	Retention `gorm:"embedded"`
}

func (retentionRow) TableName() string { return RetentionTable }

func (r Retention) empty() bool {
	return r.ImportDays == nil && r.ArtifactDays == nil && r.ResultDays == nil && r.RunDays == nil
}

// Retentions loads the overrides of the given projects; projects without a
// row are absent from the map.
func (s *Store) Retentions(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]Retention, error) {
	out := map[uuid.UUID]Retention{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []retentionRow
	if err := s.db.Conn(ctx).Where("project_id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load project retention: %w", err)
	}
	for _, r := range rows {
		out[r.ProjectID] = r.Retention
	}
	return out, nil
}

// Retention loads one project's overrides (all nil without a row).
func (s *Store) Retention(ctx context.Context, id uuid.UUID) (Retention, error) {
	m, err := s.Retentions(ctx, []uuid.UUID{id})
	return m[id], err
}

// SetRetention stores a project's overrides; all-nil removes its row.
func (s *Store) SetRetention(ctx context.Context, id uuid.UUID, r Retention) error {
	conn := s.db.Conn(ctx)
	if r.empty() {
		if err := conn.Where("project_id = ?", id).Delete(&retentionRow{}).Error; err != nil {
			return fmt.Errorf("clear project retention: %w", err)
		}
		return nil
	}
	row := retentionRow{ProjectID: id, Retention: r}
	err := conn.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "project_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"import_days", "artifact_days", "result_days", "run_days"}),
	}).Create(&row).Error
	if err != nil {
		return fmt.Errorf("save project retention: %w", err)
	}
	return nil
}
