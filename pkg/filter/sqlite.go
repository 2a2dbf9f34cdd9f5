package filter

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// sqliteDialect writes SQL for SQLite. JSON columns hold JSON text; paths are
// bound as `$."key"…` strings. `REGEXP` needs the function registered by
// RegisterSQLite. Times compare as text in the storage format below.
type sqliteDialect struct{}

// SQLiteTimeLayout is the text form timestamps have in SQLite: what
// github.com/glebarez/go-sqlite writes for a time.Time by default, applied to
// UTC values (`2024-05-01 10:00:00.5+00:00`, fraction trimmed, offset always
// +00:00). Strings in this form sort chronologically, so filters compare them
// with plain text comparison; filter times are rendered the same way.
const SQLiteTimeLayout = "2006-01-02 15:04:05.999999999-07:00"

// sqlitePath renders JSON keys as an SQLite JSON path with every key quoted.
// Keys come from the field grammar ([A-Za-z0-9_-]) and are bound anyway.
func sqlitePath(path []string) string {
	var b strings.Builder
	b.WriteString("$")
	for _, k := range path {
		b.WriteString(`."`)
		b.WriteString(k)
		b.WriteString(`"`)
	}
	return b.String()
}

func (sqliteDialect) jsonValue(col string, path []string) frag {
	return sq("json_extract(", col, ", ", arg(sqlitePath(path)), ")")
}

// jsonText renders the value as PostgreSQL's `->>` does: strings bare, JSON
// null as NULL, booleans as true/false, numbers and containers as JSON text.
func (sqliteDialect) jsonText(col string, path []string) frag {
	p := sqlitePath(path)
	return sq("(CASE json_type(", col, ", ", arg(p), ") WHEN 'null' THEN NULL WHEN 'true' THEN 'true'",
		" WHEN 'false' THEN 'false' ELSE CAST(json_extract(", col, ", ", arg(p), ") AS TEXT) END)")
}

func (sqliteDialect) jsonNumber(col string, path []string) frag {
	p := sqlitePath(path)
	return sq("(CASE WHEN json_type(", col, ", ", arg(p), ") IN ('integer', 'real') THEN json_extract(",
		col, ", ", arg(p), ") END)")
}

func (sqliteDialect) asText(e frag) frag { return sq("CAST(", e, " AS TEXT)") }

func (sqliteDialect) param(_ Kind, v any) frag { return arg(v) }

func (sqliteDialect) timeArg(t time.Time) any { return t.UTC().Format(SQLiteTimeLayout) }

// regex checks the pattern with Go's regexp, which the registered REGEXP
// function uses, so a bad pattern is a 400 rather than a failed query.
func (sqliteDialect) regex(e frag, pattern string) (frag, error) {
	if _, err := regexp.Compile(pattern); err != nil {
		return frag{}, fmt.Errorf("invalid regular expression %q: %w", pattern, err)
	}
	return sq("(", e, " REGEXP ", arg(pattern), ")"), nil
}

// like lower-cases both sides because SQLite's LIKE case-folding can be
// switched off by a pragma; lower() folds ASCII only.
func (sqliteDialect) like(e frag, pattern string) frag {
	return sq("(lower(", e, ") LIKE lower(", arg(pattern), `) ESCAPE '\')`)
}

// arrayElems iterates the array at path (a scalar yields itself, an object
// nothing, as with PostgreSQL's containment).
func arrayElems(col string, path []string, cond frag) frag {
	p := sqlitePath(path)
	return sq("EXISTS (SELECT 1 FROM json_each(", col, ", ", arg(p), ") AS je WHERE json_type(",
		col, ", ", arg(p), ") <> 'object' AND (", cond, "))")
}

func (sqliteDialect) arrayContains(col string, path []string, s string, num any) frag {
	cond := sq("je.type = 'text' AND je.value = ", arg(s))
	if num != nil {
		// SQLite compares integers and reals numerically, so 5 equals 5.0.
		cond = sq("(", cond, ") OR (je.type IN ('integer', 'real') AND je.value = ", arg(num), ")")
	}
	return arrayElems(col, path, cond)
}

func (sqliteDialect) arrayAny(col string, path []string, values []string) frag {
	elems := make([]frag, len(values))
	for i, v := range values {
		elems[i] = arg(v)
	}
	return arrayElems(col, path, sq("je.type = 'text' AND je.value IN (", joinFrags(elems, ", "), ")"))
}
