package widget

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/dashboard"
	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// store is the SQL of the widgets: it builds and runs their aggregations
// on either database dialect. The computations (one file per widget) read
// their arguments, call it and shape the reply; the SQL each one runs is
// in store_<widget>.go.
type store struct {
	db *db.DB
	d  filter.Dialect
	// access checks project access for widgets that read named runs.
	access Access
	// lim are the caps of config widgets.*.
	lim config.Widgets
	// user is the caller (set per request): rows are scoped to what they
	// may read.
	user *model.User
}

// where collects ANDed SQL conditions and their arguments.
type where struct {
	parts []string
	args  []any
}

// add appends one condition.
func (w *where) add(cond string, args ...any) {
	w.parts = append(w.parts, cond)
	w.args = append(w.args, args...)
}

// filters appends filter-language strings for t (unknown fields ignored).
func (w *where) filters(q store, t filter.Table, fs []string) error {
	s, a, err := filter.Build(q.d, t, fs)
	if err != nil {
		return fmt.Errorf("widget filters: %w", err)
	}
	if s != "" {
		w.add("("+s+")", a...)
	}
	return nil
}

// scope limits the rows to what the caller may read: the project named by
// the `project` parameter when it is a UUID (access already checked; other
// values are ignored, as upstream ignores them), else, for callers who are
// not superadmins, the projects they own or are members of.
func (w *where) scope(q store, col string, a args) {
	if s, ok := a.str("project"); ok {
		if id, valid := uuidArg(s); valid {
			w.add(col+" = ?", id.String())
			return
		}
	}
	if cond, args := dashboard.MemberScope(q.user, col); cond != "" {
		w.add(cond, args...)
	}
}

// sql renders " WHERE …" (or "").
func (w *where) sql() string {
	if len(w.parts) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.parts, " AND ")
}

// expr is filter.Expression for a field of t.
func (q store) expr(t filter.Table, field string) (string, []any, bool, error) {
	s, a, ok, err := filter.Expression(q.d, t, field)
	if err != nil {
		return "", nil, false, fmt.Errorf("widget field %s: %w", field, err)
	}
	return s, a, ok, nil
}

// num is a summary key as a number, 0 when missing, null or not a number
// (docs/api-compatibility.md#widget-filters-and-summary-numbers: upstream
// fails there).
func (q store) num(t filter.Table, field string) (string, []any, error) {
	s, a, ok, err := q.expr(t, field)
	if err != nil {
		return "", nil, err
	}
	if !ok {
		return "0", nil, nil
	}
	return "COALESCE(" + s + ", 0)", a, nil
}

// rows runs a raw query and calls fn for each row.
func (q store) rows(ctx context.Context, query string, args []any, fn func(*sql.Rows) error) error {
	rs, err := q.db.Conn(ctx).Raw(query, args...).Rows()
	if err != nil {
		return fmt.Errorf("widget query: %w", err)
	}
	defer func() { _ = rs.Close() }() // rs.Err() below reports read errors
	for rs.Next() {
		if err := fn(rs); err != nil {
			return err
		}
	}
	if err := rs.Err(); err != nil {
		return fmt.Errorf("widget query: %w", err)
	}
	return nil
}

// timeArg formats t for comparison with a timestamp column through the
// filter language, which casts it per dialect.
func timeArg(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000") }

// asTime reads a timestamp however the driver returns an aggregate of one
// (SQLite hands MIN/MAX back as text).
func asTime(v any) (time.Time, bool) {
	switch t := v.(type) {
	case time.Time:
		return t.UTC(), true
	case string:
		p, err := model.ParseTime(t)
		return p, err == nil
	case []byte:
		p, err := model.ParseTime(string(t))
		return p, err == nil
	}
	return time.Time{}, false
}

// asFloat reads a numeric aggregate (ints, floats, numeric text).
func asFloat(v any) float64 {
	switch n := v.(type) {
	case int64:
		return float64(n)
	case int32:
		return float64(n)
	case float64:
		return n
	case float32:
		return float64(n)
	case []byte:
		var f float64
		_, _ = fmt.Sscan(string(n), &f) // not a number reads as 0
		return f
	case string:
		var f float64
		_, _ = fmt.Sscan(n, &f) // not a number reads as 0
		return f
	}
	return 0
}

// asString reads a text value (nil for SQL NULL).
func asString(v any) *string {
	switch s := v.(type) {
	case nil:
		return nil
	case string:
		return &s
	case []byte:
		str := string(s)
		return &str
	}
	str := fmt.Sprint(v)
	return &str
}

// splitFilters splits an additional_filters string on commas.
func splitFilters(s string) []string { return filter.Split([]string{s}) }

// itoa renders a constant for SQL (LIMIT values are never user text).
func itoa(n int) string { return fmt.Sprint(n) }

// projectExists reports whether project id exists.
func (q store) projectExists(ctx context.Context, id uuid.UUID) (bool, error) {
	return db.Exists(q.db.Conn(ctx).Model(&model.Project{}).Where("id = ?", id.String()), "project")
}
