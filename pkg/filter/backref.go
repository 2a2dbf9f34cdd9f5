package filter

import "errors"

// errBackReference refuses `~` patterns with back-references. PostgreSQL
// matches those by backtracking, which takes exponential time: one filter
// such as `metadata.env~^(.*)(.*)(.*)\1\2\3$` costs seconds per row and
// holds a connection until the statement timeout (test/resilience
// TestRegexFiltersAreBoundedByTheStatementTimeout), so a few concurrent
// requests would exhaust the pool. Without them PostgreSQL's engine is
// automaton-based and fast. SQLite (Go's RE2) has never accepted them.
var errBackReference = errors.New(`back-references (\1 … \9) are not supported in regular expressions`)

// hasBackReference reports whether pattern holds an escape \1 … \9 (an
// escaped backslash does not count). Inside a bracket expression that is not
// a back-reference in PostgreSQL's syntax, but it is refused too: nobody
// needs it there and Go's syntax rejects it as well.
func hasBackReference(pattern string) bool {
	for i := 0; i+1 < len(pattern); i++ {
		if pattern[i] != '\\' {
			continue
		}
		if c := pattern[i+1]; c >= '1' && c <= '9' {
			return true
		}
		i++ // skip the escaped character (\\ included)
	}
	return false
}
