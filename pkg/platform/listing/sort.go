package listing

import (
	"net/http"
	"regexp"
	"strings"

	"gorm.io/gorm/clause"

	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// SortFields is what a list endpoint lets its `sort` parameter order by.
// Only these names ever reach SQL, and always as literal, quoted column
// names chosen here; JSON keys are bound parameters.
type SortFields struct {
	// Columns are the plain sortable columns, by API field name (which is
	// also the column name).
	Columns []string
	// NumericJSON maps a field prefix (e.g. "summary") to the JSON column
	// whose top-level keys sort as numbers (`summary.failures`); a key that
	// holds anything but a JSON number sorts as NULL.
	NumericJSON map[string]string
}

// SortKey is one parsed key of a sort parameter.
type SortKey struct {
	// Field is the API field name, e.g. "start_time" or "summary.failures".
	Field string
	// Desc is true for a leading "-".
	Desc bool

	column  string // quoted column
	jsonKey string // set for NumericJSON fields
}

// Sort is a parsed, validated sort parameter; the zero value means "the
// endpoint's default order".
type Sort struct {
	Keys []SortKey
}

// IsZero reports whether no sort was requested.
func (s Sort) IsZero() bool { return len(s.Keys) == 0 }

// maxSortKeys bounds the number of keys one request may give.
const maxSortKeys = 5

// identRE is what a column name must look like to be written into SQL.
var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// jsonKeyRE is what a numeric JSON key may look like (summary keys are
// plain words); anything else is rejected rather than quoted.
var jsonKeyRE = regexp.MustCompile(`^[A-Za-z0-9_]{1,64}$`)

// ParseSort reads a sort parameter: comma-separated field names, each
// optionally prefixed with "-" (descending) or "+" (ascending, the default).
// An empty parameter is the zero Sort. A field not in allowed, a repeated
// field or more than a few keys is a 400 problem naming the allowed fields.
func ParseSort(raw string, allowed SortFields) (Sort, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return Sort{}, nil
	}
	var s Sort
	seen := map[string]bool{}
	for _, part := range strings.Split(raw, ",") {
		part = strings.TrimSpace(part)
		k := SortKey{}
		switch {
		case strings.HasPrefix(part, "-"):
			k.Desc = true
			part = part[1:]
		case strings.HasPrefix(part, "+"):
			part = part[1:]
		}
		k.Field = strings.TrimSpace(part)
		if !resolveSort(&k, allowed) {
			return Sort{}, apperr.Problem(http.StatusBadRequest, "Cannot sort by %q; sortable fields are %s", k.Field, allowed.describe())
		}
		if seen[k.Field] {
			return Sort{}, apperr.Problem(http.StatusBadRequest, "Sort field %q is given more than once", k.Field)
		}
		seen[k.Field] = true
		s.Keys = append(s.Keys, k)
	}
	if len(s.Keys) > maxSortKeys {
		return Sort{}, apperr.Problem(http.StatusBadRequest, "At most %d sort fields may be given", maxSortKeys)
	}
	return s, nil
}

// resolveSort fills k's column (and JSON key) when allowed lists its field.
func resolveSort(k *SortKey, allowed SortFields) bool {
	for _, c := range allowed.Columns {
		if k.Field == c && identRE.MatchString(c) {
			k.column = `"` + c + `"`
			return true
		}
	}
	prefix, key, ok := strings.Cut(k.Field, ".")
	if !ok {
		return false
	}
	col, ok := allowed.NumericJSON[prefix]
	if !ok || !identRE.MatchString(col) || !jsonKeyRE.MatchString(key) {
		return false
	}
	k.column, k.jsonKey = `"`+col+`"`, key
	return true
}

// describe lists the allowed fields for error messages.
func (f SortFields) describe() string {
	names := append([]string(nil), f.Columns...)
	for prefix := range f.NumericJSON {
		names = append(names, prefix+".<key>")
	}
	return strings.Join(names, ", ")
}

// orderBy renders the sort for d. NULLs sort last in both directions on
// both databases, and the primary key breaks ties so pages never overlap.
func (s Sort) orderBy(d db.Dialect) clause.OrderBy {
	return clause.OrderBy{Expression: s.orderByExpr(d)}
}

// orderByExpr is the ORDER BY list with its bound JSON keys.
func (s Sort) orderByExpr(d db.Dialect) clause.Expr {
	var sql strings.Builder
	var vars []any
	for i, k := range s.Keys {
		if i > 0 {
			sql.WriteString(", ")
		}
		if k.jsonKey == "" {
			sql.WriteString(k.column)
		} else {
			expr, args := numericJSON(d, k.column, k.jsonKey)
			sql.WriteString(expr)
			vars = append(vars, args...)
		}
		if k.Desc {
			sql.WriteString(" DESC")
		} else {
			sql.WriteString(" ASC")
		}
		sql.WriteString(" NULLS LAST")
	}
	sql.WriteString(`, "id" ASC`)
	return clause.Expr{SQL: sql.String(), Vars: vars, WithoutParentheses: true}
}

// numericJSON is the number at top-level key of a JSON column, NULL unless
// it is a JSON number; the key is bound, never written into the SQL.
func numericJSON(d db.Dialect, col, key string) (string, []any) {
	if d == db.SQLite {
		path := `$."` + key + `"`
		return "(CASE WHEN json_type(" + col + ", ?) IN ('integer', 'real') THEN json_extract(" + col + ", ?) END)", []any{path, path}
	}
	return "(CASE WHEN jsonb_typeof(" + col + " -> ?::text) = 'number' THEN CAST(" + col + " ->> ?::text AS numeric) END)", []any{key, key}
}
