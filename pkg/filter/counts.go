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

// RunSums is the PostgreSQL table ibutsu_run_sums (migration 19): run
// summary sums per project, day, component, env, source and Jenkins job,
// kept exact by triggers on runs. Its columns keep the runs table's names
// and kinds, and its data holds the runs' data reduced to jenkins.job_name,
// so a filter on RunSumFields means the same on both tables.
var RunSums = Table{Name: "ibutsu_run_sums", JSONPaths: metadataPaths, Columns: map[string]Kind{
	"project_id": UUID, "component": Text, "env": Text, "source": Text, "data": JSON,
}}

// RunSumFields are the fields of RunSums that hold the runs' values: its
// plain columns and the one JSON path it keeps (its other metadata paths
// are absent there, not equal).
var RunSumFields = map[string]bool{
	"project_id": true, "component": true, "env": true, "source": true,
	"metadata.jenkins.job_name": true, "data.jenkins.job_name": true,
}

// OnlyFields reports whether every filter string that parses names one of
// fields. Strings that do not parse are ignored by Build on every table
// alike and do not count against it.
func OnlyFields(fields map[string]bool, filters []string) bool {
	for _, s := range filters {
		if e, ok := Parse(s); ok && !fields[e.Field] {
			return false
		}
	}
	return true
}
