package filter

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// jsonDoc stores a JSON object as text, as model.JSON does (NULL for nil).
type jsonDoc map[string]any

// Value implements driver.Valuer.
func (j jsonDoc) Value() (driver.Value, error) {
	if j == nil {
		return nil, nil
	}
	b, err := json.Marshal(map[string]any(j))
	if err != nil {
		return nil, fmt.Errorf("encode JSON: %w", err)
	}
	return string(b), nil
}

// GormDataType tells GORM the column holds JSON.
func (jsonDoc) GormDataType() string { return "json" }

// The row types mirror the project's models column for column.

type resultRow struct {
	ID        uuid.UUID  `gorm:"column:id;type:uuid;primaryKey"`
	ProjectID *uuid.UUID `gorm:"column:project_id;type:uuid"`
	RunID     *uuid.UUID `gorm:"column:run_id;type:uuid"`
	TestID    *string    `gorm:"column:test_id"`
	Result    *string    `gorm:"column:result"`
	Data      jsonDoc    `gorm:"column:data"`
	Params    jsonDoc    `gorm:"column:params"`
	Duration  *float64   `gorm:"column:duration"`
	StartTime time.Time  `gorm:"column:start_time"`
	Source    *string    `gorm:"column:source"`
	Env       *string    `gorm:"column:env"`
	Component *string    `gorm:"column:component"`
}

func (resultRow) TableName() string { return "results" }

type runRow struct {
	ID        uuid.UUID  `gorm:"column:id;type:uuid;primaryKey"`
	ProjectID *uuid.UUID `gorm:"column:project_id;type:uuid"`
	Component *string    `gorm:"column:component"`
	Created   time.Time  `gorm:"column:created"`
	Data      jsonDoc    `gorm:"column:data"`
	Duration  *float64   `gorm:"column:duration"`
	Env       *string    `gorm:"column:env"`
	Source    *string    `gorm:"column:source"`
	StartTime time.Time  `gorm:"column:start_time"`
	Summary   jsonDoc    `gorm:"column:summary"`
}

func (runRow) TableName() string { return "runs" }

type widgetRow struct {
	ID          uuid.UUID  `gorm:"column:id;type:uuid;primaryKey"`
	Navigable   *bool      `gorm:"column:navigable"`
	Params      jsonDoc    `gorm:"column:params"`
	ProjectID   *uuid.UUID `gorm:"column:project_id;type:uuid"`
	DashboardID *uuid.UUID `gorm:"column:dashboard_id;type:uuid"`
	Title       *string    `gorm:"column:title"`
	Type        *string    `gorm:"column:type"`
	Weight      *int       `gorm:"column:weight"`
	Widget      *string    `gorm:"column:widget"`
}

func (widgetRow) TableName() string { return "widget_configs" }

type userRow struct {
	ID             uuid.UUID  `gorm:"column:id;type:uuid;primaryKey"`
	Email          string     `gorm:"column:email"`
	Password       *string    `gorm:"column:_password"`
	Name           *string    `gorm:"column:name"`
	ActivationCode *string    `gorm:"column:activation_code"`
	IsSuperadmin   bool       `gorm:"column:is_superadmin"`
	IsActive       bool       `gorm:"column:is_active"`
	GroupID        *uuid.UUID `gorm:"column:group_id;type:uuid"`
}

func (userRow) TableName() string { return "users" }
