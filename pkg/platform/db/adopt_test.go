package db

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/pressly/goose/v3"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

// restoreUpstream builds, in a new database, what upstream 3.1.1's alembic
// leaves at rev (upstream's own pg_dump --schema-only at that revision) with
// the one alembic_version row a real upstream database has.
func restoreUpstream(t *testing.T, rev string) string {
	t.Helper()
	dsn := testenv.NewPostgresDatabase(t)
	ddl := upstreamDump(t, rev)
	q, err := sql.Open("pgx", dsn) // its own pool: the dump clears search_path
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = q.Close() }()
	if _, err := q.Exec(string(ddl)); err != nil {
		t.Fatalf("restore %s: %v", rev, err)
	}
	if _, err := q.Exec("INSERT INTO public.alembic_version (version_num) VALUES ($1)", rev); err != nil {
		t.Fatal(err)
	}
	return dsn
}

func openDSN(t *testing.T, dsn string) *DB {
	t.Helper()
	d, err := Open(context.Background(), pgConfig(dsn), quiet())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return d
}

const (
	upUser    = "0b4c3a5e-6a0f-4d7e-9a57-0d1d2e3f4a01"
	upProject = "0b4c3a5e-6a0f-4d7e-9a57-0d1d2e3f4a02"
	upNoName  = "0b4c3a5e-6a0f-4d7e-9a57-0d1d2e3f4a03"
	upDash    = "0b4c3a5e-6a0f-4d7e-9a57-0d1d2e3f4a04"
	upImport  = "0b4c3a5e-6a0f-4d7e-9a57-0d1d2e3f4a05"
)

// seedUpstream inserts rows shaped like the ones upstream's server writes,
// including what older revisions allowed (imports.created NULL before
// 53994db980f1, the meta table before fc3df1d9ee4e) and run summaries
// without pass_percent (before d18de2b3253f).
func seedUpstream(t *testing.T, d *DB, rev string) {
	t.Helper()
	pos := upstreamRevisionIndex(rev)
	created := "now()"
	if pos < upstreamRevisionIndex("53994db980f1") {
		created = "NULL"
	}
	stmts := []string{
		`INSERT INTO groups (id, name, data) VALUES ('0b4c3a5e-6a0f-4d7e-9a57-0d1d2e3f4a10', 'g', '{}')`,
		`INSERT INTO users (id, email, _password, name, activation_code, is_superadmin, is_active, group_id)
		 VALUES ('` + upUser + `', 'up@example.com', NULL, 'Up', NULL, false, true, NULL)`,
		`INSERT INTO projects (id, name, title, owner_id) VALUES ('` + upProject + `', 'proj', 'Proj', '` + upUser + `')`,
		`INSERT INTO projects (id, name, title) VALUES ('` + upNoName + `', NULL, NULL)`,
		`INSERT INTO dashboards (id, title, description, filters, project_id, user_id)
		 VALUES ('` + upDash + `', 'dash', '', '', '` + upProject + `', NULL)`,
		`UPDATE projects SET default_dashboard_id = '` + upDash + `' WHERE id = '` + upProject + `'`,
		`INSERT INTO widget_configs (id, project_id, dashboard_id, title, type, weight, widget, params, navigable)
		 VALUES ('0b4c3a5e-6a0f-4d7e-9a57-0d1d2e3f4a11', '` + upProject + `', '` + upDash + `', 'w', 'widget', 0, 'result-summary', '{}', true)`,
		`INSERT INTO users_projects (user_id, project_id) VALUES ('` + upUser + `', '` + upProject + `')`,
		`INSERT INTO runs (id, project_id, data, env, component, source, start_time, duration, summary, created) VALUES
		 ('0b4c3a5e-6a0f-4d7e-9a57-0d1d2e3f4b01', '` + upProject + `', '{"component": "c"}', 'e', 'c', 's', now(), 1.5,
		  '{"tests": 10, "failures": 2, "errors": 1, "skips": 1, "xfailures": 0, "xpasses": 0}', now()),
		 ('0b4c3a5e-6a0f-4d7e-9a57-0d1d2e3f4b02', '` + upProject + `', '{}', NULL, NULL, NULL, now(), NULL, '{"tests": 3, "passes": 2}', now()),
		 ('0b4c3a5e-6a0f-4d7e-9a57-0d1d2e3f4b03', '` + upProject + `', '{}', NULL, NULL, NULL, now(), NULL, '{"tests": 0}', now()),
		 ('0b4c3a5e-6a0f-4d7e-9a57-0d1d2e3f4b04', '` + upProject + `', NULL, NULL, NULL, NULL, now(), NULL, NULL, now()),
		 ('0b4c3a5e-6a0f-4d7e-9a57-0d1d2e3f4b05', '` + upProject + `', '{}', NULL, NULL, NULL, now(), NULL, '{"tests": 4, "passes": 4, "pass_percent": 77}', now())`,
		`INSERT INTO results (id, project_id, run_id, test_id, result, data, params, duration, start_time, source, env, component) VALUES
		 ('0b4c3a5e-6a0f-4d7e-9a57-0d1d2e3f4c01', '` + upProject + `', '0b4c3a5e-6a0f-4d7e-9a57-0d1d2e3f4b01', 'test_a', 'passed', '{"tags": ["a"]}', '{}', 0.1, now(), 's', 'e', 'c'),
		 ('0b4c3a5e-6a0f-4d7e-9a57-0d1d2e3f4c02', '` + upProject + `', '0b4c3a5e-6a0f-4d7e-9a57-0d1d2e3f4b01', 'test_b', 'failed', '{}', NULL, NULL, now(), NULL, NULL, NULL)`,
		`INSERT INTO artifacts (id, content, result_id, run_id, filename, data, upload_date)
		 VALUES ('0b4c3a5e-6a0f-4d7e-9a57-0d1d2e3f4d01', 'hello', '0b4c3a5e-6a0f-4d7e-9a57-0d1d2e3f4c01', NULL, 'log.txt', '{}', now())`,
		`INSERT INTO tokens (id, name, token, expires, user_id) VALUES ('0b4c3a5e-6a0f-4d7e-9a57-0d1d2e3f4e01', 'login-token', 'a.b.c', NULL, '` + upUser + `')`,
		`INSERT INTO imports (id, filename, format, data, status, created) VALUES ('` + upImport + `', 'f.xml', 'junit', '{}', 'done', ` + created + `)`,
		`INSERT INTO import_files (id, import_id, content) VALUES ('0b4c3a5e-6a0f-4d7e-9a57-0d1d2e3f4f01', '` + upImport + `', 'abc')`,
	}
	if pos == 0 {
		stmts = append(stmts, `INSERT INTO meta (key, value) VALUES ('version', '1')`)
	}
	for _, s := range stmts {
		if _, err := d.SQL.Exec(s); err != nil {
			t.Fatalf("seed %s: %v\n%s", rev, err, s)
		}
	}
}

// goCreatedSchema is the schema of a database our migrations created.
func goCreatedSchema(t *testing.T) []string {
	t.Helper()
	d := openPG(t)
	if err := d.Migrate(context.Background(), quiet()); err != nil {
		t.Fatal(err)
	}
	s, err := DescribeSchema(context.Background(), d.SQL)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func describe(t *testing.T, d *DB) []string {
	t.Helper()
	s, err := DescribeSchema(context.Background(), d.SQL)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// diffLines returns the lines of a not in b.
func diffLines(a, b []string) []string {
	in := map[string]bool{}
	for _, l := range b {
		in[l] = true
	}
	var out []string
	for _, l := range a {
		if !in[l] {
			out = append(out, l)
		}
	}
	return out
}

func sameSchema(t *testing.T, what string, got, want []string) {
	t.Helper()
	if extra, missing := diffLines(got, want), diffLines(want, got); len(extra)+len(missing) > 0 {
		t.Errorf("%s: schema differs\nextra:\n  %s\nmissing:\n  %s", what,
			strings.Join(extra, "\n  "), strings.Join(missing, "\n  "))
	}
}

func alembicRevision(t *testing.T, d *DB) string {
	t.Helper()
	var rev string
	if err := d.SQL.QueryRow("SELECT version_num FROM alembic_version").Scan(&rev); err != nil {
		t.Fatal(err)
	}
	return rev
}

// wantUpstreamHead fails the test unless alembic_version names upstream's
// head, the revision upstream's server expects.
func wantUpstreamHead(t *testing.T, d *DB) {
	t.Helper()
	if got := alembicRevision(t, d); got != UpstreamHead {
		t.Errorf("alembic_version %q, want %s", got, UpstreamHead)
	}
}

// sameRowCounts fails the test for every table whose row count is no
// longer what it was before (what rowCounts returned then).
func sameRowCounts(t *testing.T, d *DB, before map[string]int) {
	t.Helper()
	after := rowCounts(t, d)
	for tbl, n := range before {
		if after[tbl] != n {
			t.Errorf("%s: %d rows before, %d after", tbl, n, after[tbl])
		}
	}
}

// migrateUpTo applies our migrations up to version alone, as a database
// deployed at that version had them.
func migrateUpTo(t *testing.T, d *DB, version int64) {
	t.Helper()
	withProvider(t, d, func(p *goose.Provider) error {
		_, err := p.UpTo(context.Background(), version)
		return err
	})
}

// withProvider runs step with d's migration provider on the handle its
// migrations use; step's error fails the test.
func withProvider(t *testing.T, d *DB, step func(p *goose.Provider) error) {
	t.Helper()
	mdb := d.migrationDB()
	if mdb != d.SQL { // SQLite migrates on the serving handle itself
		defer func() { _ = mdb.Close() }()
	}
	p, err := d.provider(mdb, quiet())
	if err != nil {
		t.Fatal(err)
	}
	if err := step(p); err != nil {
		t.Fatal(err)
	}
}

// TestAdoptEveryUpstreamRevision adopts a database at each revision of
// upstream 3.1.1's chain, with rows in every table: older revisions are
// brought to upstream's head (schema and pass-percent backfill), every row
// is kept, and the result is the same schema as a database we create.
func TestAdoptEveryUpstreamRevision(t *testing.T) {
	want := goCreatedSchema(t)
	for _, rev := range upstreamChain {
		t.Run(rev, func(t *testing.T) {
			ctx := context.Background()
			d := openDSN(t, restoreUpstream(t, rev))
			seedUpstream(t, d, rev)
			before := rowCounts(t, d)
			if err := d.Migrate(ctx, quiet()); err != nil {
				t.Fatalf("migrate: %v", err)
			}
			if err := d.CheckSchema(ctx); err != nil {
				t.Fatal(err)
			}
			sameRowCounts(t, d, before)
			wantUpstreamHead(t, d)
			sameSchema(t, "adopted "+rev+" vs created by us", describe(t, d), want)

			// d18de2b3253f's backfill (a run that had pass_percent keeps it;
			// one without a summary stays without). At the head itself
			// upstream's backfill does not run; our 00010 still fills runs
			// that have counts but no passes (b01, b03) by the same rule, and
			// leaves b02, which has passes, alone.
			wantPct := map[string]string{"b01": "60", "b02": "66", "b03": "0", "b04": "<nil>", "b05": "77"}
			if rev == UpstreamHead {
				wantPct["b02"] = "<nil>"
			}
			for suffix, w := range wantPct {
				var got sql.NullString
				if err := d.SQL.QueryRow("SELECT summary->>'pass_percent' FROM runs WHERE id = $1",
					"0b4c3a5e-6a0f-4d7e-9a57-0d1d2e3f4"+suffix).Scan(&got); err != nil {
					t.Fatal(err)
				}
				if g := map[bool]string{true: got.String, false: "<nil>"}[got.Valid]; g != w {
					t.Errorf("run %s pass_percent %s, want %s", suffix, g, w)
				}
			}
			var nullCreated int
			if err := d.SQL.QueryRow("SELECT count(*) FROM imports WHERE created IS NULL").Scan(&nullCreated); err != nil {
				t.Fatal(err)
			}
			if nullCreated != 0 {
				t.Errorf("%d imports without created", nullCreated)
			}
			// 8cf9148b9ad9: deleting an import takes its files along.
			if _, err := d.SQL.Exec("DELETE FROM imports WHERE id = $1", upImport); err != nil {
				t.Fatalf("delete import: %v", err)
			}
			// A second run changes nothing.
			if err := d.Migrate(ctx, quiet()); err != nil {
				t.Fatal(err)
			}
			sameSchema(t, "second migrate", describe(t, d), want)
		})
	}
}

// An upstream database the adoption cannot take as it is stops with one
// line saying what to run, and is left untouched.
func TestAdoptRefusesUnknownOrUnsafeRevisions(t *testing.T) {
	ctx := context.Background()
	cases := map[string]struct {
		rev, setup, want string
	}{
		"unknown revision":    {"d18de2b3253f", "UPDATE alembic_version SET version_num = '0a1b2c3d4e5f'", `alembic_version is "0a1b2c3d4e5f", which is not a revision of upstream Ibutsu 3.1.1`},
		"empty":               {"d18de2b3253f", "DELETE FROM alembic_version", "alembic_version holds 0 rows"},
		"two heads":           {"d18de2b3253f", "INSERT INTO alembic_version VALUES ('cacecc4f1237')", "alembic_version holds 2 rows"},
		"merge project there": {"8cf9148b9ad9", "INSERT INTO projects (id, name) VALUES ('" + upstreamMergeFromProject + "', 'hcc')", "run `alembic upgrade head` with ibutsu-server 3.1.1 first, then `backend migrate`"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			d := openDSN(t, restoreUpstream(t, c.rev))
			if _, err := d.SQL.Exec(c.setup); err != nil {
				t.Fatal(err)
			}
			before := describe(t, d)
			err := d.Migrate(ctx, quiet())
			if !errors.Is(err, ErrUpstreamRevision) || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("got %v, want one line with %q", err, c.want)
			}
			sameSchema(t, "refused adoption", describe(t, d), before)
		})
	}
}

// ourObjects names every object our migrations add to upstream's schema
// (documented in migrations/README.md). Anything else in a database we
// create must be exactly upstream's.
var ourObjects = []string{
	"goose_db_version", "ibutsu_project_retention", "ibutsu_import_chunks", "ibutsu_result_counts",
	"ix_ibutsu_result_counts_project_day", "ibutsu_result_counts_insert", "ibutsu_result_counts_delete",
	"ibutsu_result_counts_update", "ibutsu_result_counts_truncate",
	"ix_results_project_id_start_time", "ix_results_run_id_start_time", "ix_results_data_component",
	"ix_results_data_env", "ix_runs_project_id_start_time", "ix_users_projects_project_id",
	"ix_results_run_id_project_id", "ix_results_run_id_test_id", "ix_artifacts_result_id_filename",
	"ix_artifacts_run_id_filename", "ibutsu_account_security",
	"ibutsu_task_outbox", "ix_ibutsu_task_outbox_created",
	"ibutsu_result_fingerprints", "ix_ibutsu_result_fingerprints_run", "ix_ibutsu_result_fingerprints_seen",
	"ibutsu_webhooks", "ix_ibutsu_webhooks_project", "ibutsu_webhook_deliveries", "ix_ibutsu_webhook_deliveries_order",
	"ix_ibutsu_webhook_deliveries_due", "ibutsu_webhook_announced", "ibutsu_webhook_deliveries_seq_seq",
	"ibutsu_quarantine", "ix_ibutsu_quarantine_project_pattern",
	"ibutsu_run_state", "ix_ibutsu_run_state_running", "ibutsu_event_seq",
	"ibutsu_flaky_settings", "ibutsu_flaky_tests", "ix_ibutsu_flaky_tests_key", "ix_ibutsu_flaky_tests_list",
	"ibutsu_flaky_evidence", "ix_ibutsu_flaky_evidence_run", "ix_ibutsu_flaky_evidence_result",
	"ibutsu_artifact_objects", "ibutsu_s3_imports",
	"ibutsu_fingerprint_classifications", "ix_ibutsu_fingerprint_classifications_seen", "ibutsu_project_triage",
	"ibutsu_classification_history", "ix_ibutsu_classification_history_result",
	"ix_runs_project_id_job_name_start_time", "ix_ibutsu_result_fingerprints_run_start",
	"ibutsu_run_sums", "ix_ibutsu_run_sums_project_day", "ibutsu_run_sums_insert", "ibutsu_run_sums_delete",
	"ibutsu_run_sums_update", "ibutsu_run_sums_truncate", "ibutsu_run_sums_num", "ibutsu_run_sums_job",
	"ibutsu_count_deltas_seq", "ibutsu_count_compactions", "ibutsu_count_compactions_pkey", "ibutsu_count_deltas_bump",
	"ibutsu_fingerprint_class_counts", "ix_ibutsu_fingerprint_class_counts_key", "ibutsu_fingerprint_class_counts_fold",
	"ibutsu_fingerprint_class_counts_insert", "ibutsu_fingerprint_class_counts_delete",
	"ibutsu_fingerprint_class_counts_update", "ibutsu_fingerprint_class_counts_truncate",
	"ibutsu_flaky_run_tests", "ix_ibutsu_results_run_failed",
	"ibutsu_run_result_counts", "ix_ibutsu_run_result_counts_run", "ibutsu_run_result_counts_insert",
	"ibutsu_run_result_counts_delete", "ibutsu_run_result_counts_update", "ibutsu_run_result_counts_truncate",
	"ibutsu_run_result_counts_add", "ibutsu_run_result_counts_dur",
	"ibutsu_flaky_run_touched", "ix_ibutsu_flaky_run_touched_run", "ibutsu_flaky_run_touched_runs_delete",
}

func mentionsOurs(line string) bool {
	for _, o := range ourObjects {
		if strings.Contains(line, " "+o) || strings.Contains(line, o+".") || strings.Contains(line, "("+o) {
			return true
		}
	}
	return false
}

// TestGoCreatedIsUpstreamPlusOurs: a database we create has upstream's head
// schema exactly (every table, column, type, default, constraint and index
// of upstream's own dump) plus only our documented objects, and carries
// alembic_version = upstream's head so upstream's `alembic upgrade head` is
// a no-op.
func TestGoCreatedIsUpstreamPlusOurs(t *testing.T) {
	upstream := describe(t, openDSN(t, restoreUpstream(t, UpstreamHead)))
	d := openPG(t)
	if err := d.Migrate(context.Background(), quiet()); err != nil {
		t.Fatal(err)
	}
	ours := describe(t, d)
	if missing := diffLines(upstream, ours); len(missing) > 0 {
		t.Errorf("upstream objects missing or different:\n  %s", strings.Join(missing, "\n  "))
	}
	for _, l := range diffLines(ours, upstream) {
		if !mentionsOurs(l) {
			t.Errorf("undocumented object: %s", l)
		}
	}
	wantUpstreamHead(t, d)
}

// A database created before 00001 lost our four composite indexes already
// has them (the old baseline built them) and no alembic_version: 00006
// converges it to the same schema.
func TestDeployedDatabaseConverges(t *testing.T) {
	want := goCreatedSchema(t)
	ctx := context.Background()
	d := openPG(t)
	migrateUpTo(t, d, 5)
	for _, s := range []string{
		"CREATE INDEX ix_results_run_id_project_id ON results (run_id, project_id)",
		"CREATE INDEX ix_results_run_id_test_id ON results (run_id, test_id)",
		"CREATE INDEX ix_artifacts_result_id_filename ON artifacts (result_id, filename)",
		"CREATE INDEX ix_artifacts_run_id_filename ON artifacts (run_id, filename)",
	} {
		if _, err := d.SQL.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Migrate(ctx, quiet()); err != nil {
		t.Fatal(err)
	}
	sameSchema(t, "deployed database after 00006", describe(t, d), want)
	wantUpstreamHead(t, d)
}

// An index build interrupted half way leaves an INVALID index; the next
// Migrate drops and rebuilds it instead of skipping it.
func TestMigrateRebuildsInvalidIndex(t *testing.T) {
	want := goCreatedSchema(t)
	ctx := context.Background()
	d := openPG(t)
	if err := d.Migrate(ctx, quiet()); err != nil {
		t.Fatal(err)
	}
	if _, err := d.SQL.Exec("UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'ix_results_run_id_test_id'::regclass"); err != nil {
		t.Skipf("cannot mark an index invalid here: %v", err)
	}
	// The build was interrupted inside 00006, so neither it nor any later
	// migration was recorded (later ones are idempotent too).
	if _, err := d.SQL.Exec("DELETE FROM goose_db_version WHERE version_id >= 6"); err != nil {
		t.Fatal(err)
	}
	if err := d.Migrate(ctx, quiet()); err != nil {
		t.Fatal(err)
	}
	sameSchema(t, "after rebuilding the invalid index", describe(t, d), want)
}

// TestDownToUpstream hands a database we created, with our objects in use
// (a chunked import file, retention settings, result counts), back to
// upstream: afterwards its schema is upstream's own dump exactly, the
// chunked file is whole in import_files.content, and a later migrate
// adopts it again.
func TestDownToUpstream(t *testing.T) {
	ctx := context.Background()
	upstream := describe(t, openDSN(t, restoreUpstream(t, UpstreamHead)))
	d := openPG(t)
	if err := d.Migrate(ctx, quiet()); err != nil {
		t.Fatal(err)
	}
	ours := describe(t, d)
	seedUpstream(t, d, UpstreamHead)
	const chunked = "0b4c3a5e-6a0f-4d7e-9a57-0d1d2e3f4f02"
	for _, s := range []string{
		`INSERT INTO import_files (id, import_id, content) VALUES ('` + chunked + `', '` + upImport + `', NULL)`,
		`INSERT INTO ibutsu_import_chunks (file_id, seq, data) VALUES ('` + chunked + `', 1, 'world'), ('` + chunked + `', 0, 'hello ')`,
		`INSERT INTO ibutsu_project_retention (project_id, result_days) VALUES ('` + upProject + `', 30)`,
	} {
		if _, err := d.SQL.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	before := rowCounts(t, d)
	if err := d.DownToUpstream(ctx, quiet()); err != nil {
		t.Fatalf("down to upstream: %v", err)
	}
	sameSchema(t, "handed back vs upstream's dump", describe(t, d), upstream)
	wantUpstreamHead(t, d)
	sameRowCounts(t, d, before)
	var content string
	if err := d.SQL.QueryRow("SELECT convert_from(content, 'UTF8') FROM import_files WHERE id = $1", chunked).Scan(&content); err != nil || content != "hello world" {
		t.Fatalf("chunked file written back as %q (%v)", content, err)
	}
	// Going back is repeatable: our binary adopts it like any upstream one.
	if err := d.Migrate(ctx, quiet()); err != nil {
		t.Fatal(err)
	}
	sameSchema(t, "adopted again", describe(t, d), ours)
}

func TestDownToUpstreamNeedsMigratedDatabase(t *testing.T) {
	d := openPG(t)
	if err := d.DownToUpstream(context.Background(), quiet()); !errors.Is(err, ErrNotUpstreamReady) {
		t.Fatalf("empty database: %v", err)
	}
	if err := openTestSQLite(t).DownToUpstream(context.Background(), quiet()); !errors.Is(err, ErrNotUpstreamReady) {
		t.Fatalf("sqlite: %v", err)
	}
}

// TestBaselineIsUpstreamHead: 00001 alone builds exactly upstream 3.1.1's
// head schema (upstream's own dump), apart from alembic_version, which
// 00006 adds, and our goose_db_version.
func TestBaselineIsUpstreamHead(t *testing.T) {
	upstream := describe(t, openDSN(t, restoreUpstream(t, UpstreamHead)))
	d := openPG(t)
	migrateUpTo(t, d, baselineVersion)
	baseline := describe(t, d)
	for _, l := range diffLines(upstream, baseline) {
		if !strings.Contains(l, "alembic_version") {
			t.Errorf("missing from the baseline: %s", l)
		}
	}
	for _, l := range diffLines(baseline, upstream) {
		if !strings.Contains(l, versionTable) {
			t.Errorf("the baseline has what upstream does not: %s", l)
		}
	}
}
