package classify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/ibutsu-go/ibutsu/pkg/fingerprint"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// store reads and writes ibutsu_classification_history and
// ibutsu_project_triage (migration 00013).
type store struct {
	db *db.DB
}

// historyRow is one change with the changing user's name.
type historyRow struct {
	OldValue    *string
	NewValue    *string
	UserID      *uuid.UUID
	UserName    *string
	ByRule      bool
	Fingerprint *string
	ChangedAt   time.Time
}

func (s store) history(ctx context.Context, resultID uuid.UUID, limit int) ([]historyRow, error) {
	var out []historyRow
	err := s.db.Conn(ctx).Raw(`SELECT h.old_value, h.new_value, h.user_id, u.name AS user_name, h.by_rule,
		h.fingerprint, h.changed_at
		FROM ibutsu_classification_history h LEFT JOIN users u ON u.id = h.user_id
		WHERE h.result_id = ? ORDER BY h.changed_at DESC, h.id LIMIT ?`, resultID, limit).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("classification history: %w", err)
	}
	return out, nil
}

func (s store) settings(ctx context.Context, projectID uuid.UUID) (fingerprint.SettingsRow, error) {
	var row fingerprint.SettingsRow
	err := s.db.Conn(ctx).Where("project_id = ?", projectID).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return fingerprint.SettingsRow{ProjectID: projectID}, nil
	}
	if err != nil {
		return row, fmt.Errorf("triage settings: %w", err)
	}
	return row, nil
}

func (s store) setSettings(ctx context.Context, projectID uuid.UUID, auto bool) error {
	err := s.db.Conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "project_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"auto_classify"}),
	}).Create(&fingerprint.SettingsRow{ProjectID: projectID, AutoClassify: auto}).Error
	if err != nil {
		return fmt.Errorf("store triage settings: %w", err)
	}
	return nil
}
