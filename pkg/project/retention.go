package project

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
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

// retentionFields maps the JSON keys to the struct fields.
func (r *Retention) fields() map[string]**int {
	return map[string]**int{"import_days": &r.ImportDays, "artifact_days": &r.ArtifactDays,
		"result_days": &r.ResultDays, "run_days": &r.RunDays}
}

// ParseRetention reads a `retention` body value on top of cur: an object
// whose known keys are non-negative integers or null (a missing key keeps
// cur's value); null clears every override. Anything else is a 400.
func ParseRetention(v any, cur Retention) (Retention, error) {
	if v == nil {
		return Retention{}, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return cur, apperr.Problem(http.StatusBadRequest, "retention must be an object or null")
	}
	out := cur
	for key, dst := range out.fields() {
		raw, present := m[key]
		if !present {
			continue
		}
		if raw == nil {
			*dst = nil
			continue
		}
		n, ok := days(raw)
		if !ok {
			return cur, apperr.Problem(http.StatusBadRequest, "retention.%s must be a non-negative integer or null", key)
		}
		*dst = &n
	}
	return out, nil
}

// days accepts a JSON integer in 0..MaxInt32 (json.Number from the body
// decoder, or float64).
func days(v any) (int, bool) {
	var f float64
	switch n := v.(type) {
	case json.Number:
		i, err := strconv.ParseInt(n.String(), 10, 64)
		if err != nil {
			return 0, false
		}
		f = float64(i)
	case float64:
		f = n
	default:
		return 0, false
	}
	if f < 0 || f != math.Trunc(f) || f > math.MaxInt32 {
		return 0, false
	}
	return int(f), true
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
