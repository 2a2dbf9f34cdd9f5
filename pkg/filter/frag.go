package filter

import "strings"

// frag is a piece of SQL with the arguments of its `?` placeholders, in
// order. Building SQL only by concatenating frags keeps every placeholder
// next to its argument, whatever order the pieces are produced in.
type frag struct {
	sql  string
	args []any
}

// sq concatenates strings (literal SQL written by this package, never user
// input) and frags into one frag.
func sq(parts ...any) frag {
	var b strings.Builder
	var args []any
	for _, p := range parts {
		switch v := p.(type) {
		case string:
			b.WriteString(v)
		case frag:
			b.WriteString(v.sql)
			args = append(args, v.args...)
		default:
			panic("filter: sq takes string or frag") // programming error, never input-dependent
		}
	}
	return frag{sql: b.String(), args: args}
}

// arg is a single placeholder bound to v.
func arg(v any) frag { return frag{sql: "?", args: []any{v}} }

// joinFrags joins frags with a literal separator.
func joinFrags(fs []frag, sep string) frag {
	parts := make([]any, 0, 2*len(fs))
	for i, f := range fs {
		if i > 0 {
			parts = append(parts, sep)
		}
		parts = append(parts, f)
	}
	return sq(parts...)
}

// never is the predicate that matches no row: used when a value cannot be
// compared with its column (a non-UUID for a UUID column, a non-number for a
// number), where upstream fails with a database error.
var never = frag{sql: "1=0"}
