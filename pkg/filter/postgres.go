package filter

import (
	"encoding/json"
	"time"
)

// pgDialect writes SQL for PostgreSQL. JSON columns are jsonb; keys are bound
// as text parameters of `->`/`->>` (never written into the SQL), and GORM's
// `?` placeholders rule out the `?|` operator, so jsonb_exists_any (the
// function behind `?|`) is used instead.
type pgDialect struct{}

// pgTimeLayout is how a UTC filter time is bound before `CAST(? AS timestamp)`.
const pgTimeLayout = "2006-01-02 15:04:05.999999"

// jsonValue is the jsonb value at path.
func (pgDialect) jsonValue(col string, path []string) frag {
	parts := []any{"(", col}
	for _, k := range path {
		parts = append(parts, " -> ", arg(k), "::text")
	}
	return sq(append(parts, ")")...)
}

func (pgDialect) jsonText(col string, path []string) frag {
	parts := []any{"(", col}
	for i, k := range path {
		op := " -> "
		if i == len(path)-1 {
			op = " ->> "
		}
		parts = append(parts, op, arg(k), "::text")
	}
	return sq(append(parts, ")")...)
}

// jsonNumber checks jsonb_typeof first, so a string or null in the key yields
// NULL instead of a cast error that would fail the whole query.
func (p pgDialect) jsonNumber(col string, path []string) frag {
	return sq("(CASE WHEN jsonb_typeof(", p.jsonValue(col, path), ") = 'number' THEN CAST(",
		p.jsonText(col, path), " AS numeric) END)")
}

func (pgDialect) asText(e frag) frag { return sq("CAST(", e, " AS text)") }

func (pgDialect) param(k Kind, v any) frag {
	switch k {
	case UUID:
		return sq("CAST(", arg(v), " AS uuid)")
	case Int, Float:
		return sq("CAST(", arg(v), " AS numeric)")
	case Timestamp:
		return sq("CAST(", arg(v), " AS timestamp)")
	case Bool:
		return sq("CAST(", arg(v), " AS boolean)")
	}
	return sq("CAST(", arg(v), " AS text)")
}

func (pgDialect) timeArg(t time.Time) any { return t.UTC().Format(pgTimeLayout) }

// regex leaves pattern validation to PostgreSQL (its ARE syntax is not Go's;
// see IsInvalidPattern), except for back-references, which it refuses.
func (pgDialect) regex(e frag, pattern string) (frag, error) {
	if hasBackReference(pattern) {
		return frag{}, errBackReference
	}
	return sq("(", e, " ~ ", arg(pattern), "::text)"), nil
}

// like relies on PostgreSQL's default LIKE escape character, the backslash.
func (pgDialect) like(e frag, pattern string) frag {
	return sq("(", e, " ILIKE ", arg(pattern), "::text)")
}

func (p pgDialect) arrayContains(col string, path []string, s string, num any) frag {
	one := sq(p.jsonValue(col, path), " @> ", arg(jsonScalar(s)), "::jsonb")
	if num == nil {
		return sq("(", one, ")")
	}
	return sq("(", one, " OR ", p.jsonValue(col, path), " @> ", arg(jsonScalar(num)), "::jsonb)")
}

// jsonScalar encodes a string or number scalar as JSON; such values always encode.
func jsonScalar(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "null"
	}
	return string(b)
}

func (p pgDialect) arrayAny(col string, path []string, values []string) frag {
	elems := make([]frag, len(values))
	for i, v := range values {
		elems[i] = sq(arg(v), "::text")
	}
	return sq("jsonb_exists_any(", p.jsonValue(col, path), ", ARRAY[", joinFrags(elems, ", "), "])")
}
