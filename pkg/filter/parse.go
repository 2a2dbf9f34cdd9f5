package filter

import "strings"

// Op is a filter operator, normalised: `)` is stored as OpGe and `(` as OpLe.
type Op string

// The operators of the filter language (docs/api-compatibility.md#filter-operators).
const (
	OpEq     Op = "="  // equals
	OpNe     Op = "!"  // not equals; NULLs never match
	OpGt     Op = ">"  // greater than
	OpLt     Op = "<"  // less than
	OpGe     Op = ">=" // greater or equal; also written `)`
	OpLe     Op = "<=" // less or equal; also written `(`
	OpRegex  Op = "~"  // regular expression, case-sensitive, unanchored
	OpIn     Op = "*"  // one of the `;`-separated values
	OpLike   Op = "%"  // case-insensitive substring
	OpExists Op = "@"  // present (value starts with y/t/1) or absent
)

// singleOps maps each one-character operator to its normalised form; the
// two-character ones (`>=`, `<=`) are tried before these.
var singleOps = map[byte]Op{
	'=': OpEq, '!': OpNe, '>': OpGt, '<': OpLt, ')': OpGe, '(': OpLe,
	'~': OpRegex, '*': OpIn, '%': OpLike, '@': OpExists,
}

// Expr is one parsed filter string: FIELD OPERATOR VALUE.
type Expr struct {
	// Field is the column name or dotted JSON path, e.g. `metadata.jenkins.job_name`.
	Field string
	// Op is the normalised operator.
	Op Op
	// Value is the rest of the string with surrounding double quotes removed.
	Value string
}

// Split turns the repeated `filter` query values into filter strings the way
// upstream's Connexion does (docs/api-compatibility.md#query-strings): all
// values are joined with ","
// and split on ",", so a filter value can never contain a comma. Empty parts
// are dropped.
func Split(values []string) []string {
	var out []string
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			if part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

// Parse parses one filter string. ok is false when the string does not
// follow the grammar (empty, no field, no operator after the field); such
// strings are ignored by Build, as upstream ignores them.
//
// The field is the longest prefix of [A-Za-z0-9._-]; the operator must follow
// it directly, two-character operators first; the value is everything after
// the operator, with every leading and trailing `"` removed (Python's
// str.strip('"')).
func Parse(s string) (Expr, bool) {
	n := 0
	for n < len(s) && isFieldChar(s[n]) {
		n++
	}
	if n == 0 || n == len(s) {
		return Expr{}, false
	}
	rest := s[n:]
	var op Op
	switch {
	case strings.HasPrefix(rest, ">="):
		op, rest = OpGe, rest[2:]
	case strings.HasPrefix(rest, "<="):
		op, rest = OpLe, rest[2:]
	default:
		o, ok := singleOps[rest[0]]
		if !ok {
			return Expr{}, false
		}
		op, rest = o, rest[1:]
	}
	return Expr{Field: s[:n], Op: op, Value: strings.Trim(rest, `"`)}, true
}

// isFieldChar reports whether c may appear in a field name.
func isFieldChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '.' || c == '_' || c == '-'
}

// projectFields are the fields that scope a query by project
// (docs/api-compatibility.md#project-filters).
var projectFields = map[string]bool{"project_id": true, "metadata.project": true, "data.project": true}

// HasProjectFilter reports whether any filter scopes by project: its field is
// exactly `project_id`, `metadata.project` or `data.project`, whatever the
// operator or value. Superadmins must send one on /result and /run.
func HasProjectFilter(filters []string) bool {
	for _, s := range filters {
		if e, ok := Parse(s); ok && projectFields[e.Field] {
			return true
		}
	}
	return false
}
