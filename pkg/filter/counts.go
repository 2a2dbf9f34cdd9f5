package filter

// ResultCounts is the PostgreSQL table ibutsu_result_counts (migration 5):
// result counts per project, day, result, component and env, kept exact by
// triggers on results. Its columns keep the results table's names and
// kinds, so a filter on them means the same on both tables.
var ResultCounts = Table{Name: "ibutsu_result_counts", Columns: map[string]Kind{
	"project_id": UUID, "result": Text, "component": Text, "env": Text,
}}

// OnlyColumns reports whether every filter string that parses names a
// column of t, so Build over t means the same as over a wider table with
// those columns. Strings that do not parse are ignored by Build on every
// table alike and do not count against it.
func OnlyColumns(t Table, filters []string) bool {
	for _, s := range filters {
		e, ok := Parse(s)
		if !ok {
			continue
		}
		if _, known := t.Columns[e.Field]; !known {
			return false
		}
	}
	return true
}
