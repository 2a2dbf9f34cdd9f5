package filter

import (
	"fmt"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// Dialect selects the SQL Build generates: the filter language needs JSON,
// regular-expression and case-insensitive operators that PostgreSQL and
// SQLite spell differently.
type Dialect int

// The supported dialects.
const (
	Postgres Dialect = iota
	SQLite
)

// String names the dialect.
func (d Dialect) String() string {
	switch d {
	case Postgres:
		return "postgres"
	case SQLite:
		return "sqlite"
	}
	return fmt.Sprintf("Dialect(%d)", int(d))
}

// DialectOf returns the dialect of an open database, so callers need not
// translate db.Dialect themselves.
func DialectOf(d *db.DB) Dialect {
	if d != nil && d.Dialect == db.SQLite {
		return SQLite
	}
	return Postgres
}

// dialect writes the SQL that differs between databases. col arguments are
// already-quoted column references; everything a user typed arrives as an
// argument and becomes a bound parameter.
type dialect interface {
	// jsonValue is the JSON value at path, still JSON (jsonb, or JSON text).
	jsonValue(col string, path []string) frag
	// jsonText is the JSON value at path as text; NULL when missing or JSON null.
	jsonText(col string, path []string) frag
	// jsonNumber is the JSON value at path as a number; NULL unless it is a JSON number.
	jsonNumber(col string, path []string) frag
	// asText casts a non-text expression to text.
	asText(e frag) frag
	// param is a placeholder for a converted value compared with a k expression.
	param(k Kind, v any) frag
	// timeArg renders a UTC time the way the dialect compares timestamps.
	timeArg(t time.Time) any
	// regex matches text expression e against a pattern; it may reject the pattern.
	regex(e frag, pattern string) (frag, error)
	// like matches text expression e case-insensitively against a LIKE pattern
	// whose escape character is `\`.
	like(e frag, pattern string) frag
	// arrayContains: the JSON array at path has the string element s, or
	// (num != nil) the number num (int64 or float64).
	arrayContains(col string, path []string, s string, num any) frag
	// arrayAny: the JSON array at path has any of the strings as an element.
	arrayAny(col string, path []string, values []string) frag
}

// impl returns the SQL writer of d.
func (d Dialect) impl() (dialect, error) {
	switch d {
	case Postgres:
		return pgDialect{}, nil
	case SQLite:
		return sqliteDialect{}, nil
	}
	return nil, fmt.Errorf("filter: unknown dialect %v", d)
}
