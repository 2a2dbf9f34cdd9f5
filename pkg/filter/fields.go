package filter

import (
	"fmt"
	"sort"
	"strings"
)

// CheckFields refuses (ErrInvalid) a filter on a field t does not have, such
// as a misspelt `metdata.env=x`, which Build silently ignores. Build keeps
// ignoring them because widgets apply one set of additional filters to
// runs and results alike; the run and result lists call CheckFields first
// so a person who mistypes a field is told so instead of seeing every row.
// Upstream errors or matches nothing on such a field, never filters by it,
// so no client can depend on it (docs/api-compatibility.md#filter-fields).
// Strings that do not parse stay ignored, as upstream ignores them.
func CheckFields(t Table, filters []string) error {
	for _, s := range filters {
		e, ok := Parse(s)
		if !ok {
			continue
		}
		if _, ok := resolve(t, e.Field); !ok {
			return fmt.Errorf("%w: unknown field %q; %s can be filtered by %s", ErrInvalid, e.Field, t.Name, t.fieldList())
		}
	}
	return nil
}

// fieldList names t's filterable fields for a message: its columns and its
// JSON path prefixes (`metadata.<path>`).
func (t Table) fieldList() string {
	var names []string
	for c, k := range t.Columns {
		if k != JSON {
			names = append(names, c)
		}
	}
	for p := range t.JSONPaths {
		if p != "data" {
			names = append(names, p+".<path>")
		}
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
