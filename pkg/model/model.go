// Package model holds the GORM models of upstream Ibutsu's tables. Table and
// column names are upstream's exactly, so this server and the Python one can
// share one PostgreSQL database. JSON column `data` is exposed in the API as
// `metadata` (or `additional_metadata` for artifacts); that mapping lives in
// the API layer, not here.
package model

import (
	"time"

	"github.com/google/uuid"
)

// Result is one test result.
type Result struct {
	ID        uuid.UUID  `gorm:"column:id;type:uuid;primaryKey"`
	ProjectID *uuid.UUID `gorm:"column:project_id;type:uuid"`
	RunID     *uuid.UUID `gorm:"column:run_id;type:uuid"`
	TestID    *string    `gorm:"column:test_id"`
	Result    *string    `gorm:"column:result"`
	Data      JSON       `gorm:"column:data"`
	Params    JSON       `gorm:"column:params"`
	Duration  *float64   `gorm:"column:duration"`
	StartTime time.Time  `gorm:"column:start_time"`
	Source    *string    `gorm:"column:source"`
	Env       *string    `gorm:"column:env"`
	Component *string    `gorm:"column:component"`
}

// TableName implements gorm's Tabler.
func (Result) TableName() string { return "results" }

// Run is one test run: a group of results with a summary.
type Run struct {
	ID        uuid.UUID  `gorm:"column:id;type:uuid;primaryKey"`
	ProjectID *uuid.UUID `gorm:"column:project_id;type:uuid"`
	Component *string    `gorm:"column:component"`
	Created   time.Time  `gorm:"column:created"`
	Data      JSON       `gorm:"column:data"`
	Duration  *float64   `gorm:"column:duration"`
	Env       *string    `gorm:"column:env"`
	Source    *string    `gorm:"column:source"`
	StartTime time.Time  `gorm:"column:start_time"`
	Summary   JSON       `gorm:"column:summary"`
}

// TableName implements gorm's Tabler.
func (Run) TableName() string { return "runs" }

// Artifact is a file attached to a result or a run; its bytes live in the
// database as upstream keeps them.
type Artifact struct {
	ID         uuid.UUID  `gorm:"column:id;type:uuid;primaryKey"`
	ResultID   *uuid.UUID `gorm:"column:result_id;type:uuid"`
	RunID      *uuid.UUID `gorm:"column:run_id;type:uuid"`
	Filename   *string    `gorm:"column:filename"`
	Data       JSON       `gorm:"column:data"`
	Content    []byte     `gorm:"column:content"`
	UploadDate time.Time  `gorm:"column:upload_date"`
}

// TableName implements gorm's Tabler.
func (Artifact) TableName() string { return "artifacts" }

// Project groups runs and results; users are members of projects.
type Project struct {
	ID                 uuid.UUID  `gorm:"column:id;type:uuid;primaryKey"`
	Name               *string    `gorm:"column:name"`
	Title              *string    `gorm:"column:title"`
	OwnerID            *uuid.UUID `gorm:"column:owner_id;type:uuid"`
	GroupID            *uuid.UUID `gorm:"column:group_id;type:uuid"`
	DefaultDashboardID *uuid.UUID `gorm:"column:default_dashboard_id;type:uuid"`
}

// TableName implements gorm's Tabler.
func (Project) TableName() string { return "projects" }

// User is an account. Password holds a bcrypt hash (column `_password`).
type User struct {
	ID             uuid.UUID  `gorm:"column:id;type:uuid;primaryKey"`
	Email          string     `gorm:"column:email"`
	Password       *string    `gorm:"column:_password"`
	Name           *string    `gorm:"column:name"`
	ActivationCode *string    `gorm:"column:activation_code"`
	IsSuperadmin   bool       `gorm:"column:is_superadmin"`
	IsActive       bool       `gorm:"column:is_active"`
	GroupID        *uuid.UUID `gorm:"column:group_id;type:uuid"`
}

// TableName implements gorm's Tabler.
func (User) TableName() string { return "users" }

// UserProject is a project membership.
type UserProject struct {
	UserID    uuid.UUID `gorm:"column:user_id;type:uuid;primaryKey"`
	ProjectID uuid.UUID `gorm:"column:project_id;type:uuid;primaryKey"`
}

// TableName implements gorm's Tabler.
func (UserProject) TableName() string { return "users_projects" }

// Token is a stored JWT: a user's API token, or the `login-token` row that
// the latest login upserts.
type Token struct {
	ID      uuid.UUID  `gorm:"column:id;type:uuid;primaryKey"`
	Name    string     `gorm:"column:name"`
	Token   string     `gorm:"column:token"`
	Expires *time.Time `gorm:"column:expires"`
	UserID  *uuid.UUID `gorm:"column:user_id;type:uuid"`
}

// TableName implements gorm's Tabler.
func (Token) TableName() string { return "tokens" }

// Group is an organisational group of projects and users.
type Group struct {
	ID   uuid.UUID `gorm:"column:id;type:uuid;primaryKey"`
	Name *string   `gorm:"column:name"`
	Data JSON      `gorm:"column:data"`
}

// TableName implements gorm's Tabler.
func (Group) TableName() string { return "groups" }

// Dashboard is a named set of widgets in a project.
type Dashboard struct {
	ID          uuid.UUID  `gorm:"column:id;type:uuid;primaryKey"`
	Title       *string    `gorm:"column:title"`
	Description *string    `gorm:"column:description"`
	Filters     *string    `gorm:"column:filters"`
	ProjectID   *uuid.UUID `gorm:"column:project_id;type:uuid"`
	UserID      *uuid.UUID `gorm:"column:user_id;type:uuid"`
}

// TableName implements gorm's Tabler.
func (Dashboard) TableName() string { return "dashboards" }

// WidgetConfig places one widget (or a navigable view) on a dashboard.
type WidgetConfig struct {
	ID          uuid.UUID  `gorm:"column:id;type:uuid;primaryKey"`
	Navigable   *bool      `gorm:"column:navigable"`
	Params      JSON       `gorm:"column:params"`
	ProjectID   *uuid.UUID `gorm:"column:project_id;type:uuid"`
	DashboardID *uuid.UUID `gorm:"column:dashboard_id;type:uuid"`
	Title       *string    `gorm:"column:title"`
	Type        *string    `gorm:"column:type"`
	Weight      *int       `gorm:"column:weight"`
	Widget      *string    `gorm:"column:widget"`
}

// TableName implements gorm's Tabler.
func (WidgetConfig) TableName() string { return "widget_configs" }

// Import tracks one uploaded file being imported.
type Import struct {
	ID       uuid.UUID `gorm:"column:id;type:uuid;primaryKey"`
	Filename *string   `gorm:"column:filename"`
	Format   *string   `gorm:"column:format"`
	Data     JSON      `gorm:"column:data"`
	Status   *string   `gorm:"column:status"`
	Created  time.Time `gorm:"column:created"`
}

// TableName implements gorm's Tabler.
func (Import) TableName() string { return "imports" }

// ImportFile holds an import's uploaded bytes until the import has run.
type ImportFile struct {
	ID       uuid.UUID `gorm:"column:id;type:uuid;primaryKey"`
	ImportID uuid.UUID `gorm:"column:import_id;type:uuid"`
	Content  []byte    `gorm:"column:content"`
}

// TableName implements gorm's Tabler.
func (ImportFile) TableName() string { return "import_files" }

// Ptr returns a pointer to v, for the nullable columns above (NULL is nil).
func Ptr[T any](v T) *T { return &v }

// Deref is what p points to, or T's zero value for nil: a nullable column
// read where NULL and the zero value mean the same (an empty component,
// no fingerprint). Several packages had each written their own.
func Deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

// Render maps rows to their views with a package's NewView. It exists
// because every package that renders a page of rows repeated this loop;
// the result is never nil, so an empty page is sent as [] rather than null.
func Render[M, V any](rows []M, view func(*M) V) []V {
	out := make([]V, len(rows))
	for i := range rows {
		out[i] = view(&rows[i])
	}
	return out
}

// ParseUUID parses an id as the API accepts it: only the canonical
// hyphenated 36-character form (uuid.Parse alone also takes braces, a urn:
// prefix or no hyphens).
func ParseUUID(s string) (uuid.UUID, bool) {
	id, err := uuid.Parse(s)
	return id, err == nil && len(s) == 36
}
