package filter

// Expensive reports whether any of filters uses an operator no index
// serves: a regular expression (`~`) or a substring match (`%`, an
// unanchored ILIKE). On a large table such a filter reads every row the
// other filters leave, and a pathological regex can burn a whole
// statement timeout, so callers run them under a shorter timeout and a
// concurrency limit. Strings that do not parse are not expensive (Build
// ignores them).
func Expensive(filters []string) bool {
	for _, s := range filters {
		if e, ok := Parse(s); ok && (e.Op == OpRegex || e.Op == OpLike) {
			return true
		}
	}
	return false
}
