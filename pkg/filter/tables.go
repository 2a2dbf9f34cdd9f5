package filter

import (
	"fmt"
	"regexp"
)

// Kind is the type of a filterable column; it decides how a filter value is
// converted and compared.
type Kind int

// The column kinds.
const (
	// Text columns compare as text, whatever the value looks like.
	Text Kind = iota
	// UUID columns match only valid UUID values; anything else matches nothing.
	UUID
	// Int columns compare numerically; a non-number matches nothing.
	Int
	// Float columns compare numerically; a non-number matches nothing.
	Float
	// Timestamp columns (UTC, without time zone) compare with ISO-8601 values.
	Timestamp
	// Bool columns compare with true/false (and the other PostgreSQL literals).
	Bool
	// JSON columns support only `@` as a plain field; their content is reached
	// through JSONPaths.
	JSON
)

// Table describes what one table lets the filter language touch. Only the
// columns listed are filterable, which is how secrets such as users'
// `_password` stay out of reach.
type Table struct {
	// Name is the SQL table name (for messages; columns are unqualified
	// unless Qualifier is set).
	Name string
	// Qualifier, when set, prefixes every column (`"r"."env"`), for queries
	// that join tables. Use As to set it.
	Qualifier string
	// Columns maps each filterable column to its kind.
	Columns map[string]Kind
	// JSONPaths maps a field prefix (`metadata`, `data`, `summary`) to the
	// JSON column the rest of the dotted field is a path into.
	JSONPaths map[string]string
	// ProjectOrGlobal applies upstream's widget-config rule
	// (docs/api-compatibility.md#endpoint-behaviour):
	// a filter on a field containing "project" becomes
	// `(project_id IS NULL OR <filter>)`, so global rows stay visible.
	ProjectOrGlobal bool
}

// As returns a copy of t whose columns are qualified by alias (or by the table
// name when alias is empty), for use in joins.
func (t Table) As(alias string) Table {
	if alias == "" {
		alias = t.Name
	}
	t.Qualifier = alias
	return t
}

// metadataPaths is the JSON mapping of tables whose `data` column is exposed
// as `metadata`; both spellings are accepted (docs/api-compatibility.md#field-names).
var metadataPaths = map[string]string{"metadata": "data", "data": "data"}

// The tables the API filters (their columns: docs/api-compatibility.md#field-names).
var (
	// Results is the `results` table (GET /result, widgets).
	Results = Table{Name: "results", JSONPaths: metadataPaths, Columns: map[string]Kind{
		"id": UUID, "project_id": UUID, "run_id": UUID, "test_id": Text, "result": Text,
		"data": JSON, "params": JSON, "duration": Float, "start_time": Timestamp,
		"source": Text, "env": Text, "component": Text,
	}}
	// Runs is the `runs` table (GET /run, bulk update, widgets); it also has
	// `summary.*` paths.
	Runs = Table{Name: "runs",
		JSONPaths: map[string]string{"metadata": "data", "data": "data", "summary": "summary"},
		Columns: map[string]Kind{
			"id": UUID, "project_id": UUID, "component": Text, "created": Timestamp, "data": JSON,
			"duration": Float, "env": Text, "source": Text, "start_time": Timestamp, "summary": JSON,
		}}
	// Projects is the `projects` table (GET /project, GET /admin/project).
	Projects = Table{Name: "projects", Columns: map[string]Kind{
		"id": UUID, "name": Text, "title": Text, "owner_id": UUID, "group_id": UUID,
		"default_dashboard_id": UUID,
	}}
	// Users is the `users` table (GET /admin/user). `_password` and
	// `activation_code` are deliberately absent.
	Users = Table{Name: "users", Columns: map[string]Kind{
		"id": UUID, "email": Text, "name": Text, "is_superadmin": Bool, "is_active": Bool,
		"group_id": UUID,
	}}
	// Groups is the `groups` table.
	Groups = Table{Name: "groups", JSONPaths: metadataPaths, Columns: map[string]Kind{
		"id": UUID, "name": Text, "data": JSON,
	}}
	// Dashboards is the `dashboards` table (GET /dashboard).
	Dashboards = Table{Name: "dashboards", Columns: map[string]Kind{
		"id": UUID, "title": Text, "description": Text, "filters": Text, "project_id": UUID,
		"user_id": UUID,
	}}
	// WidgetConfigs is the `widget_configs` table (GET /widget-config), with
	// the project-or-global rule on.
	WidgetConfigs = Table{Name: "widget_configs", ProjectOrGlobal: true, Columns: map[string]Kind{
		"id": UUID, "navigable": Bool, "params": JSON, "project_id": UUID, "dashboard_id": UUID,
		"title": Text, "type": Text, "weight": Int, "widget": Text,
	}}
	// Imports is the `imports` table (GET /import).
	Imports = Table{Name: "imports", JSONPaths: metadataPaths, Columns: map[string]Kind{
		"id": UUID, "filename": Text, "format": Text, "data": JSON, "status": Text,
		"created": Timestamp,
	}}
	// Artifacts is the `artifacts` table; the `content` bytes are not filterable.
	Artifacts = Table{Name: "artifacts", JSONPaths: metadataPaths, Columns: map[string]Kind{
		"id": UUID, "result_id": UUID, "run_id": UUID, "filename": Text, "data": JSON,
		"upload_date": Timestamp,
	}}
)

// identRE is what a column or qualifier name must look like to be written
// into SQL (always double-quoted).
var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// validate checks that every name Build would write into SQL is a plain
// identifier; a failure is a programming error in a Table definition.
func (t Table) validate() error {
	if t.Qualifier != "" && !identRE.MatchString(t.Qualifier) {
		return fmt.Errorf("filter table %s: invalid qualifier %q", t.Name, t.Qualifier)
	}
	for c := range t.Columns {
		if !identRE.MatchString(c) {
			return fmt.Errorf("filter table %s: invalid column name %q", t.Name, c)
		}
	}
	for prefix, c := range t.JSONPaths {
		if k, ok := t.Columns[c]; !ok || k != JSON {
			return fmt.Errorf("filter table %s: JSON path %q maps to %q, which is not a JSON column", t.Name, prefix, c)
		}
	}
	if t.ProjectOrGlobal {
		if _, ok := t.Columns["project_id"]; !ok {
			return fmt.Errorf("filter table %s: ProjectOrGlobal needs a project_id column", t.Name)
		}
	}
	return nil
}

// column writes a column reference, quoted and optionally qualified.
func (t Table) column(name string) string {
	if t.Qualifier != "" {
		return `"` + t.Qualifier + `"."` + name + `"`
	}
	return `"` + name + `"`
}
