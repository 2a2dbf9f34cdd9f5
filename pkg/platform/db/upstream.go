package db

// What we know about upstream Ibutsu's schema history (github.com/ibutsu/
// ibutsu-server, backend/alembic/versions/, release 3.1.1). Every revision id
// and every step below was read from upstream's migration files; the
// pg_dump of a database at each revision is in testdata/upstream/ (the
// head's whole, the older ones as differences) and the tests adopt each one.

// UpstreamHead is upstream 3.1.1's alembic head. Our baseline (00001) is the
// schema a database has at this revision, and a database we create records
// it in alembic_version so upstream's `alembic upgrade head` is a no-op.
const UpstreamHead = "d18de2b3253f"

// upstreamChain is upstream's linear revision chain, oldest first.
var upstreamChain = []string{
	"cacecc4f1237", // initial baseline (has the meta table)
	"fc3df1d9ee4e", // drops meta; 15 PostgreSQL-only indexes on results/runs
	"53994db980f1", // imports.created NOT NULL DEFAULT now()
	"8cf9148b9ad9", // import_files.import_id FK ON DELETE CASCADE
	"e5736dbcc0b0", // data: moves one hard-coded project into another
	"d18de2b3253f", // backfills runs.summary.pass_percent; ix_runs_pass_percent
}

// upstreamRevisionIndex is the position of rev in upstreamChain, or -1.
func upstreamRevisionIndex(rev string) int {
	for i, r := range upstreamChain {
		if r == rev {
			return i
		}
	}
	return -1
}

// e5736dbcc0b0 moves every run, result, dashboard, widget config and
// membership of one project into another, by fixed ids. Only a database
// holding the source project is affected; on any other it does nothing.
const (
	upstreamMergeFromProject = "c6fd19a7-858a-4226-8c27-d8fa7ddf6d0c"
	upstreamMergeRevision    = "e5736dbcc0b0"
)

// upstreamMetaIndexes are fc3df1d9ee4e's indexes (PostgreSQL only).
var upstreamMetaIndexes = []struct{ name, def string }{
	{"ix_results_assignee", "results ((data ->> 'assignee'))"},
	{"ix_results_classification", "results ((data ->> 'classification'))"},
	{"ix_results_component_env_project", "results (component, env, project_id, start_time DESC)"},
	{"ix_results_component_start_time_result_project_id", "results (component, start_time, result, project_id)"},
	{"ix_results_exception_name", "results ((data ->> 'exception_name'))"},
	{"ix_results_jenkins_build_number", "results (((data -> 'jenkins') ->> 'build_number'))"},
	{"ix_results_jenkins_job_name", "results (((data -> 'jenkins') ->> 'job_name'))"},
	{"ix_results_requirements", "results USING gin ((data -> 'requirements'))"},
	{"ix_results_result_satver_project_id_run_id_snapver", "results (result, (data ->> 'SatelliteVersion'), project_id, run_id, (data ->> 'SnapVersion'))"},
	{"ix_results_tags", "results USING gin ((data -> 'tags'))"},
	{"ix_runs_jenkins_build_number", "runs (((data -> 'jenkins') ->> 'build_number'))"},
	{"ix_runs_jenkins_job_name", "runs (((data -> 'jenkins') ->> 'job_name'))"},
	{"ix_runs_jjn_jbn", "runs (((data -> 'jenkins') ->> 'job_name'), ((data -> 'jenkins') ->> 'build_number'))"},
	{"ix_runs_summary", "runs USING gin (summary)"},
	{"ix_runs_tags", "runs USING gin ((data -> 'tags'))"},
}

// upstreamPassPercentIndex is d18de2b3253f's index.
const upstreamPassPercentIndex = "ix_runs_pass_percent"

const upstreamPassPercentIndexDef = "runs (((summary ->> 'pass_percent')::integer))"

// upstreamTableNames are the tables of upstream's head schema (besides
// alembic_version).
var upstreamTableNames = []string{"groups", "users", "dashboards", "projects", "widget_configs", "imports",
	"import_files", "runs", "results", "artifacts", "tokens", "users_projects"}

// upstreamIndexes are the names of every index upstream's head schema has
// that does not back a constraint. Any other index on upstream's tables is
// ours, and `backend migrate --down-to-upstream` drops it.
var upstreamIndexes = map[string]bool{}

func init() {
	for _, n := range []string{
		"ix_artifacts_filename", "ix_artifacts_result_id", "ix_artifacts_run_id", "ix_artifacts_upload_date",
		"ix_dashboards_project_id", "ix_dashboards_title", "ix_dashboards_user_id", "ix_groups_name",
		"ix_import_files_import_id", "ix_imports_created", "ix_imports_filename", "ix_imports_format",
		"ix_imports_status", "ix_projects_group_id", "ix_projects_name", "ix_projects_owner_id",
		"ix_projects_title", "ix_results_component", "ix_results_duration", "ix_results_env",
		"ix_results_project_id", "ix_results_result", "ix_results_run_id", "ix_results_source",
		"ix_results_start_time", "ix_results_test_id", "ix_runs_component", "ix_runs_created",
		"ix_runs_duration", "ix_runs_env", "ix_runs_project_id", "ix_runs_source", "ix_runs_start_time",
		"ix_tokens_user_id", "ix_users_email", "ix_users_group_id", "ix_widget_configs_dashboard_id",
		"ix_widget_configs_navigable", "ix_widget_configs_project_id", "ix_widget_configs_title",
		"ix_widget_configs_type", "ix_widget_configs_weight", "ix_widget_configs_widget",
		upstreamPassPercentIndex,
	} {
		upstreamIndexes[n] = true
	}
	for _, ix := range upstreamMetaIndexes {
		upstreamIndexes[ix.name] = true
	}
}

// concurrentIndexes are the indexes our migrations and the adoption of an
// older upstream revision build CONCURRENTLY. An interrupted build leaves
// such an index INVALID; Migrate drops those first so IF NOT EXISTS does
// not skip them on the rerun.
func concurrentIndexes() []string {
	out := []string{
		// 00002
		"ix_results_project_id_start_time", "ix_results_run_id_start_time", "ix_results_data_component",
		"ix_results_data_env", "ix_runs_project_id_start_time", "ix_users_projects_project_id",
		// 00006
		"ix_results_run_id_project_id", "ix_results_run_id_test_id", "ix_artifacts_result_id_filename",
		"ix_artifacts_run_id_filename",
		upstreamPassPercentIndex,
		// 00017
		"ix_runs_project_id_job_name_start_time",
		// 00018 (and its Down, which builds 00009's index again)
		"ix_ibutsu_result_fingerprints_run_start", "ix_ibutsu_result_fingerprints_run",
		// 00025
		"ix_ibutsu_results_run_failed",
	}
	for _, ix := range upstreamMetaIndexes {
		out = append(out, ix.name)
	}
	return out
}

// passPercentBatch is how many runs one backfill statement updates: each
// batch is its own short transaction, so writers to runs wait at most for
// one batch.
const passPercentBatch = 5000

// passPercentBackfillSQL gives every run whose summary is a JSON object
// without pass_percent the value d18de2b3253f computes: floor(passes * 100 /
// tests), clamped to 0..100, where passes, when missing, is tests minus
// failures, errors, skips, xpasses and xfailures; 0 when tests is missing or
// not positive. Counters that are not plain non-negative integers count as
// missing. A summary that is not an object is left alone (upstream's
// migration would stop on it).
func passPercentBackfillSQL() string {
	num := func(key string) string {
		return "CASE WHEN summary->>'" + key + "' ~ '^[0-9]+$' THEN (summary->>'" + key + "')::numeric END"
	}
	zero := func(key string) string { return "COALESCE(" + num(key) + ", 0)" }
	return `UPDATE runs AS r
SET summary = jsonb_set(r.summary, '{pass_percent}', to_jsonb(c.pct))
FROM (
    SELECT id, CASE WHEN t > 0 THEN LEAST(GREATEST(floor(COALESCE(p, t - f - e - s - xp - xf) * 100 / t)::int, 0), 100) ELSE 0 END AS pct
    FROM (
        SELECT id, ` + num("tests") + ` AS t, ` + num("passes") + ` AS p,
            ` + zero("failures") + ` AS f, ` + zero("errors") + ` AS e, ` + zero("skips") + ` AS s,
            ` + zero("xpasses") + ` AS xp, ` + zero("xfailures") + ` AS xf
        FROM runs
        WHERE summary IS NOT NULL AND jsonb_typeof(summary) = 'object' AND summary->'pass_percent' IS NULL
        LIMIT $1
    ) parsed
) AS c
WHERE r.id = c.id`
}
