package flaky

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/ibutsu-go/ibutsu/pkg/flaky/flakylock"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/paging"
)

// Tables of migration 00011, 00023's and 00026's.
const (
	settingsTable = "ibutsu_flaky_settings"
	testsTable    = "ibutsu_flaky_tests"
	evidenceTable = "ibutsu_flaky_evidence"
	runTestsTable = "ibutsu_flaky_run_tests"
	touchedTable  = "ibutsu_flaky_run_touched" // 00026, PostgreSQL only
)

// chunk bounds the ids of one IN list (SQLite allows 32766 parameters).
const chunk = 500

// store holds the SQL of the feature. Detection reads results and runs;
// the list and the markers read only our three tables.
type store struct {
	db *db.DB
}

type settingsRow struct {
	ProjectID  uuid.UUID `gorm:"column:project_id;type:uuid;primaryKey"`
	MinFlips   int       `gorm:"column:min_flips"`
	LastRuns   int       `gorm:"column:last_runs"`
	WindowDays int       `gorm:"column:window_days"`
}

func (settingsRow) TableName() string { return settingsTable }

// TestRow is one row of ibutsu_flaky_tests: a test currently flaky.
type TestRow struct {
	ID         uuid.UUID `gorm:"column:id;type:uuid;primaryKey"`
	ProjectID  uuid.UUID `gorm:"column:project_id;type:uuid"`
	TestID     string    `gorm:"column:test_id"`
	Component  string    `gorm:"column:component"`
	Env        string    `gorm:"column:env"`
	Job        string    `gorm:"column:job"`
	Score      float64   `gorm:"column:score"`
	FlipRate   float64   `gorm:"column:flip_rate"`
	Flips      int       `gorm:"column:flips"`
	Retries    int       `gorm:"column:retries"`
	Runs       int       `gorm:"column:runs"`
	FirstFlake time.Time `gorm:"column:first_flake"`
	LastFlake  time.Time `gorm:"column:last_flake"`
	DetectedAt time.Time `gorm:"column:detected_at"`
	UpdatedAt  time.Time `gorm:"column:updated_at"`
}

// TableName implements gorm's Tabler.
func (TestRow) TableName() string { return testsTable }

func (t TestRow) key() Key {
	return Key{TestID: t.TestID, Component: t.Component, Env: t.Env, Job: t.Job}
}

// EvidenceRow is one row of ibutsu_flaky_evidence.
type EvidenceRow struct {
	FlakyID   uuid.UUID  `gorm:"column:flaky_id;type:uuid;primaryKey"`
	ResultID  uuid.UUID  `gorm:"column:result_id;type:uuid;primaryKey"`
	RunID     *uuid.UUID `gorm:"column:run_id;type:uuid"`
	Kind      string     `gorm:"column:kind"`
	Outcome   string     `gorm:"column:outcome"`
	Build     string     `gorm:"column:build"`
	StartTime time.Time  `gorm:"column:start_time"`
}

// TableName implements gorm's Tabler.
func (EvidenceRow) TableName() string { return evidenceTable }

// settings loads a project's stored thresholds; ok is false without a row.
func (s store) settings(ctx context.Context, projectID uuid.UUID) (Settings, bool, error) {
	var row settingsRow
	err := s.db.Conn(ctx).Where("project_id = ?", projectID).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Settings{}, false, nil
	}
	if err != nil {
		return Settings{}, false, fmt.Errorf("load flaky settings: %w", err)
	}
	return Settings{MinFlips: row.MinFlips, LastRuns: row.LastRuns, WindowDays: row.WindowDays}, true, nil
}

// lockSettings serializes the changes of one project's settings until
// ctx's transaction ends: a PostgreSQL advisory lock, since the settings
// row may not exist yet (SQLite admits one writer at a time).
func (s store) lockSettings(ctx context.Context, projectID uuid.UUID) error {
	return s.db.TxLock(ctx, "flaky settings", "ibutsu-flaky-settings:"+projectID.String())
}

func (s store) saveSettings(ctx context.Context, projectID uuid.UUID, st Settings) error {
	row := settingsRow{ProjectID: projectID, MinFlips: st.MinFlips, LastRuns: st.LastRuns, WindowDays: st.WindowDays}
	err := s.db.Conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "project_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"min_flips", "last_runs", "window_days"}),
	}).Create(&row).Error
	if err != nil {
		return fmt.Errorf("save flaky settings: %w", err)
	}
	return nil
}

// projectsWithResults lists the projects that have results since t.
func (s store) projectsWithResults(ctx context.Context, since time.Time) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	err := s.db.Conn(ctx).Raw(`SELECT id FROM projects p WHERE EXISTS (
		SELECT 1 FROM results r WHERE r.project_id = p.id AND r.start_time >= ?)
		OR EXISTS (SELECT 1 FROM `+testsTable+` f WHERE f.project_id = p.id) ORDER BY id`, since).Scan(&ids).Error
	if err != nil {
		return nil, fmt.Errorf("list projects to refresh: %w", err)
	}
	return ids, nil
}

// runTest is a test of a run worth re-examining, with its figures in the run.
type runTest struct {
	TestID   string `gorm:"column:test_id"`
	Results  int    `gorm:"column:results"`
	Failures int    `gorm:"column:failures"`
	// Flaky tells that the test is flaky in the run's project (touchedSQL).
	Flaky bool `gorm:"column:flaky"`
}

// candidate tells whether a test with these figures can be flaky because
// of the run: it has results in it and failed in it or is flaky already.
func (t runTest) candidate() bool {
	return t.Results > 0 && (t.Failures > 0 || t.Flaky)
}

// changedTestsSQL reads the tests of a run worth re-examining (see
// changedTests) without reading the run's other results. The run's failed
// and errored tests with their failures (f) are one range of the partial
// index ix_ibutsu_results_run_failed (migration 00025, failures only); the
// candidates (k) are those and the project's flaky tests
// (ibutsu_flaky_tests by project), and only for the candidates are the
// run's results counted (c), one probe of ix_results_run_id_test_id
// (run_id, test_id) each. The count is a correlated subquery so that both
// PostgreSQL and SQLite probe per candidate, where a join would let the
// planner read the whole run again (the GROUP BY over every result of the
// run this replaced cost 400-600 ms per summary window at 100k+ results,
// issue #21). f and c are MATERIALIZED: f is read twice, and inlined, c's
// subquery would be evaluated again wherever its column is used.
//
// The index holds every failure whoever wrote it, unlike
// ibutsu_result_fingerprints, which has none for a failure written by an
// upstream server on the same database until the hourly backfill, nor for
// an import with fingerprinting off. Arguments: run, project, run, run.
const changedTestsSQL = `WITH f AS MATERIALIZED (
		SELECT test_id, COUNT(*) AS failures FROM results
		WHERE run_id = ? AND result IN ('failed', 'error') AND test_id IS NOT NULL GROUP BY test_id
	), k AS (
		SELECT test_id, failures FROM f
		UNION ALL SELECT DISTINCT t.test_id, 0 FROM ` + testsTable + ` t
		WHERE t.project_id = ? AND NOT EXISTS (SELECT 1 FROM f WHERE f.test_id = t.test_id)
	), c AS MATERIALIZED (
		SELECT k.test_id, (SELECT COUNT(*) FROM results r WHERE r.run_id = ? AND r.test_id = k.test_id) AS results,
			k.failures
		FROM k
	)
	SELECT c.test_id, c.results, c.failures FROM c
	LEFT JOIN ` + runTestsTable + ` e ON e.run_id = ? AND e.test_id = c.test_id
	WHERE c.results > 0 AND (e.test_id IS NULL OR e.results <> c.results OR e.failures <> c.failures)
	ORDER BY c.test_id`

// changedTests lists the tests of a run worth re-examining, those that
// failed or errored in it and those already flaky in its project (with a
// result in the run), whose figures in the run (results, failures) differ
// from those the run's last refresh examined them with
// (ibutsu_flaky_run_tests), or that it did not examine. It reads about as
// many results as the run has failures plus the results of the project's
// flaky tests in the run, not the whole run (changedTestsSQL).
//
// It runs in a transaction planned serially (db.Serial): the statement is
// meant to be index probes, but for a run holding a tenth of the results
// table PostgreSQL chose a parallel scan of the whole table for the run's
// pass this replaced, every refresh (issue #21); should a plan ever scan
// again, it does not do so in parallel.
func (s store) changedTests(ctx context.Context, runID uuid.UUID) (projectID *uuid.UUID, out []runTest, err error) {
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.db.Serial(ctx); err != nil {
			return err
		}
		projectID, out, err = s.changedTestsIn(ctx, runID)
		return err
	})
	return projectID, out, err
}

func (s store) changedTestsIn(ctx context.Context, runID uuid.UUID) (*uuid.UUID, []runTest, error) {
	var r model.Run
	err := s.db.Conn(ctx).Select("id", "project_id").Where("id = ?", runID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("load run: %w", err)
	}
	if r.ProjectID == nil {
		return nil, nil, nil
	}
	var out []runTest
	err = s.db.Conn(ctx).Raw(changedTestsSQL, runID, *r.ProjectID, runID, runID).Scan(&out).Error
	if err != nil {
		return nil, nil, fmt.Errorf("list run tests: %w", err)
	}
	return r.ProjectID, out, nil
}

// touchedSQL takes the rows ibutsu_flaky_run_touched (migration 00026)
// holds for a run, the changes of its tests' results and failures written
// since its last refresh, and gives for each test touched its figures in
// the run now: the figures the last refresh stored (ibutsu_flaky_run_tests)
// plus the changes, or, for a test without stored figures (never a
// candidate in the run, or pruned), probes of results on (run_id, test_id),
// first its failures through the partial index of 00025, which holds no
// entry for a test that only passed, and its results only when it can be
// a candidate. The DELETE and the reads share one snapshot: a write
// committed after it is neither counted nor taken, its row stays for the
// next refresh. The stored figures are a probe of their key per test (the
// LIMIT keeps the planner from joining every stored row of the run, which
// it did, a tenth of a large run). Returned: the tests that have stored
// figures (to bring up to date) or can be candidates. Arguments by name:
// run, project.
const touchedSQL = `WITH d AS (
		DELETE FROM ` + touchedTable + ` WHERE run_id = @run RETURNING test_id, results, failures
	), t AS (
		SELECT test_id, SUM(results) AS results, SUM(failures) AS failures FROM d GROUP BY test_id
	), g AS MATERIALIZED (
		SELECT t.test_id, e.results + t.results AS results,
			COALESCE(e.failures + t.failures, (SELECT COUNT(*) FROM results r
				WHERE r.run_id = @run AND r.test_id = t.test_id AND r.result IN ('failed', 'error'))) AS failures,
			e.test_id IS NOT NULL AS stored,
			EXISTS (SELECT 1 FROM ` + testsTable + ` k WHERE k.project_id = @project AND k.test_id = t.test_id) AS flaky
		FROM t LEFT JOIN LATERAL (SELECT e.test_id, e.results, e.failures FROM ` + runTestsTable + ` e
			WHERE e.run_id = @run AND e.test_id = t.test_id LIMIT 1) e ON true
	)
	SELECT g.test_id, COALESCE(g.results, CASE WHEN g.failures > 0 OR g.flaky THEN
			(SELECT COUNT(*) FROM results r WHERE r.run_id = @run AND r.test_id = g.test_id) ELSE 0 END) AS results,
		g.failures, g.flaky
	FROM g WHERE g.stored OR g.failures > 0 OR g.flaky ORDER BY g.test_id`

// touchedTests is changedTests on PostgreSQL, for RefreshRun's
// transaction: it takes the run's lock (lockRun, held to the commit) and
// its touched rows (touchedSQL), so it reads about as many rows as were
// written to the run since its last refresh, not the run's failures. It
// returns the run's project (nil: no run or no project), the figures to
// store (saveExamined) and the tests to examine. A run without stored
// figures (its first refresh, or none for a day, or since migration 00026
// emptied them) is read as changedTests does, its touched rows taken in the
// same statement: the stored figures plus the touched rows are then again
// the run's figures. The DELETE is undone with the transaction when the
// refresh fails, so no touch is lost.
func (s store) touchedTests(ctx context.Context, runID uuid.UUID) (*uuid.UUID, []runTest, []string, error) {
	if err := s.lockRun(ctx, runID); err != nil {
		return nil, nil, nil, err
	}
	if err := s.db.Serial(ctx); err != nil {
		return nil, nil, nil, err
	}
	// FOR KEY SHARE, as the foreign keys of the figures written later take
	// it: a delete of the run waits for this refresh, rather than blocking
	// it there while its trigger (00026) waits for the touched rows taken here.
	// Retention locks the runs it deletes FOR UPDATE before it deletes any
	// of their results, so a refresh that comes second waits here for the
	// whole delete and then finds no run (pkg/flaky/flakylock).
	var r model.Run
	err := s.db.Conn(ctx).Select("id", "project_id").Where("id = ?", runID).
		Clauses(clause.Locking{Strength: "KEY SHARE"}).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil, nil, nil
	}
	if err != nil {
		return nil, nil, nil, fmt.Errorf("load run: %w", err)
	}
	if r.ProjectID == nil {
		return nil, nil, nil, wrap("clear run touches", s.db.Conn(ctx).Exec("DELETE FROM "+touchedTable+" WHERE run_id = ?", runID).Error)
	}
	var stored bool
	err = s.db.Conn(ctx).Raw("SELECT EXISTS (SELECT 1 FROM "+runTestsTable+" WHERE run_id = ?)", runID).Scan(&stored).Error
	if err != nil {
		return nil, nil, nil, fmt.Errorf("find examined run tests: %w", err)
	}
	var out []runTest
	if !stored {
		err = s.db.Conn(ctx).Raw("WITH gone AS (DELETE FROM "+touchedTable+" WHERE run_id = ?), "+
			strings.TrimPrefix(changedTestsSQL, "WITH "), runID, runID, *r.ProjectID, runID, runID).Scan(&out).Error
		if err != nil {
			return nil, nil, nil, fmt.Errorf("list run tests: %w", err)
		}
		ids := make([]string, len(out))
		for i, t := range out {
			ids[i] = t.TestID
		}
		return r.ProjectID, out, ids, nil
	}
	err = s.db.Conn(ctx).Raw(touchedSQL, map[string]any{"run": runID, "project": *r.ProjectID}).Scan(&out).Error
	if err != nil {
		return nil, nil, nil, fmt.Errorf("list touched run tests: %w", err)
	}
	var ids []string
	for _, t := range out {
		if t.candidate() {
			ids = append(ids, t.TestID)
		}
	}
	return r.ProjectID, out, ids, nil
}

// flakyRunLocks is the first key of the per-run advisory locks (lockRun),
// apart from the one-key locks of projects (lockProject).
const flakyRunLocks = 2026

// lockRun serialises the flaky refreshes of one run, and the prune of its
// touched rows, for the rest of the transaction: each takes the touched
// rows and stores figures that the next one adds them to (touchedTests).
// Taken before lockProject, never after it.
func (s store) lockRun(ctx context.Context, runID uuid.UUID) error {
	return wrap("lock flaky run", s.db.Conn(ctx).Exec("SELECT pg_advisory_xact_lock(?, hashtext(?))",
		flakyRunLocks, runID.String()).Error)
}

// pruneTouched drops, on PostgreSQL, the touched rows of runs that hold a
// row written before t (a run not refreshed since: a retention prune of a
// kept run's results, a refresh that kept failing), and with them the
// run's stored figures, which without the rows no longer add up: the run's
// next refresh reads its failures again (touchedTests). One transaction per
// run, under the run's lock, so no refresh of it is half done, and holding
// the run's row FOR KEY SHARE, as a refresh does: a delete of the run
// (retention) removes its figures (cascade) and then its touched rows (a
// trigger), the reverse of the order here, so the two must not both be
// under way; the row lock makes one wait for the other before either
// deletes anything.
func (s store) pruneTouched(ctx context.Context, before time.Time) error {
	if s.db.Dialect != db.Postgres {
		return nil
	}
	var runs []uuid.UUID
	if err := s.db.Conn(ctx).Raw("SELECT DISTINCT run_id FROM "+touchedTable+" WHERE at < ?", before).Scan(&runs).Error; err != nil {
		return fmt.Errorf("find stale run touches: %w", err)
	}
	for _, id := range runs {
		err := s.db.WithTx(ctx, func(ctx context.Context) error {
			if err := s.lockRun(ctx, id); err != nil {
				return err
			}
			var held []uuid.UUID
			if err := s.db.Conn(ctx).Raw("SELECT id FROM runs WHERE id = ? FOR KEY SHARE", id).Scan(&held).Error; err != nil {
				return err
			}
			if err := s.db.Conn(ctx).Exec("DELETE FROM "+touchedTable+" WHERE run_id = ?", id).Error; err != nil {
				return err
			}
			return s.db.Conn(ctx).Exec("DELETE FROM "+runTestsTable+" WHERE run_id = ?", id).Error
		})
		if err != nil {
			return fmt.Errorf("prune run touches: %w", err)
		}
	}
	return nil
}

// runTestRow is one row of ibutsu_flaky_run_tests: a test's figures in a
// run when the run's refresh last examined it.
type runTestRow struct {
	RunID     uuid.UUID `gorm:"column:run_id;type:uuid;primaryKey"`
	TestID    string    `gorm:"column:test_id;primaryKey"`
	Results   int       `gorm:"column:results"`
	Failures  int       `gorm:"column:failures"`
	UpdatedAt time.Time `gorm:"column:updated_at"`
}

// TableName implements gorm's Tabler.
func (runTestRow) TableName() string { return runTestsTable }

// saveExamined records the figures of a run's tests that were just
// examined (read before the history they were examined with). It runs in
// the transaction that wrote the findings, under the project's lock, so
// the figures stored are always those of the findings stored. On SQLite
// the last writer wins: an older examination committed last leaves older
// figures, which only makes the next refresh examine the tests again. On
// PostgreSQL the run's lock orders the refreshes of a run, and the figures
// are those the touched rows taken in the same transaction add up to.
func (s store) saveExamined(ctx context.Context, runID uuid.UUID, tests []runTest, now time.Time) error {
	rows := make([]runTestRow, len(tests))
	for i, t := range tests {
		rows[i] = runTestRow{RunID: runID, TestID: t.TestID, Results: t.Results, Failures: t.Failures, UpdatedAt: now}
	}
	for part := range chunks(rows) {
		err := s.db.Conn(ctx).Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "run_id"}, {Name: "test_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"results", "failures", "updated_at"}),
		}).Create(&part).Error
		if err != nil {
			return wrap("save examined run tests", err)
		}
	}
	return nil
}

// pruneExamined deletes the figures not written since before (a run
// refreshed again afterwards examines those tests once more).
func (s store) pruneExamined(ctx context.Context, before time.Time) error {
	return wrap("prune examined run tests", s.db.Conn(ctx).Where("updated_at < ?", before).Delete(&runTestRow{}).Error)
}

// candidates lists the test ids of a project (among testIDs, or all when
// nil) that both passed and failed since t: both rules need that.
func (s store) candidates(ctx context.Context, projectID uuid.UUID, since time.Time, testIDs []string) ([]string, error) {
	q := `SELECT test_id FROM results WHERE project_id = ? AND start_time >= ? AND test_id IS NOT NULL
		AND result IN ('passed', 'failed', 'error')`
	base := []any{projectID, since}
	tail := ` GROUP BY test_id HAVING SUM(CASE WHEN result = 'passed' THEN 1 ELSE 0 END) > 0
		AND SUM(CASE WHEN result <> 'passed' THEN 1 ELSE 0 END) > 0 ORDER BY test_id`
	if testIDs == nil {
		var out []string
		if err := s.db.Conn(ctx).Raw(q+tail, base...).Scan(&out).Error; err != nil {
			return nil, fmt.Errorf("find flaky candidates: %w", err)
		}
		return out, nil
	}
	out := []string{}
	for part := range chunks(testIDs) {
		var got []string
		if err := s.db.Conn(ctx).Raw(q+" AND test_id IN ?"+tail, append(base, part)...).Scan(&got).Error; err != nil {
			return nil, fmt.Errorf("find flaky candidates: %w", err)
		}
		out = append(out, got...)
	}
	return out, nil
}

func chunks[T any](xs []T) func(func([]T) bool) {
	return func(yield func([]T) bool) {
		for i := 0; i < len(xs); i += chunk {
			if !yield(xs[i:min(i+chunk, len(xs))]) {
				return
			}
		}
	}
}

// history loads the passes, failures and errors of the given tests since
// t, each with its run's Jenkins job and build.
func (s store) history(ctx context.Context, projectID uuid.UUID, since time.Time, testIDs []string) ([]histRow, error) {
	type raw struct {
		ID        uuid.UUID
		RunID     *uuid.UUID
		TestID    string
		Component *string
		Env       *string
		Result    string
		StartTime time.Time
	}
	var out []histRow
	runs := map[uuid.UUID]struct{}{}
	for part := range chunks(testIDs) {
		var rows []raw
		err := s.db.Conn(ctx).Raw(`SELECT id, run_id, test_id, component, env, result, start_time FROM results
			WHERE project_id = ? AND start_time >= ? AND test_id IN ? AND result IN ('passed', 'failed', 'error')`,
			projectID, since, part).Scan(&rows).Error
		if err != nil {
			return nil, fmt.Errorf("load test history: %w", err)
		}
		for _, r := range rows {
			out = append(out, histRow{ResultID: r.ID, RunID: r.RunID, TestID: r.TestID, Component: model.Deref(r.Component),
				Env: model.Deref(r.Env), Result: r.Result, StartTime: r.StartTime})
			if r.RunID != nil {
				runs[*r.RunID] = struct{}{}
			}
		}
	}
	jobs, err := s.runJobs(ctx, runs)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].RunID != nil {
			j := jobs[*out[i].RunID]
			out[i].Job, out[i].Build = j[0], j[1]
		}
	}
	return out, nil
}

// runJobs reads metadata.jenkins.job_name and build_number of runs.
func (s store) runJobs(ctx context.Context, set map[uuid.UUID]struct{}) (map[uuid.UUID][2]string, error) {
	ids := make([]uuid.UUID, 0, len(set))
	for id := range set {
		ids = append(ids, id)
	}
	out := make(map[uuid.UUID][2]string, len(ids))
	for part := range chunks(ids) {
		var runs []model.Run
		if err := s.db.Conn(ctx).Select("id", "data").Where("id IN ?", part).Find(&runs).Error; err != nil {
			return nil, fmt.Errorf("load run jobs: %w", err)
		}
		for _, r := range runs {
			jenkins, _ := r.Data["jenkins"].(map[string]any)
			job, build := model.MetaString(jenkins, "job_name"), model.MetaString(jenkins, "build_number")
			out[r.ID] = [2]string{model.Deref(job), model.Deref(build)}
		}
	}
	return out, nil
}

// existing loads the flaky rows of a project (of the given tests, or all
// when nil).
func (s store) existing(ctx context.Context, projectID uuid.UUID, testIDs []string) ([]TestRow, error) {
	var out []TestRow
	if testIDs == nil {
		err := s.db.Conn(ctx).Where("project_id = ?", projectID).Find(&out).Error
		return out, wrap("load flaky tests", err)
	}
	for part := range chunks(testIDs) {
		var got []TestRow
		if err := s.db.Conn(ctx).Where("project_id = ? AND test_id IN ?", projectID, part).Find(&got).Error; err != nil {
			return nil, wrap("load flaky tests", err)
		}
		out = append(out, got...)
	}
	return out, nil
}

func wrap(what string, err error) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// lockProject serialises the writers of one project's flaky rows for the
// rest of the transaction (PostgreSQL advisory lock; SQLite writes are
// serial anyway), so a run's refresh and the periodic one never both insert
// the same test. Retention takes the same lock before it deletes the
// project's results, which the evidence cites (flakylock).
func (s store) lockProject(ctx context.Context, projectID uuid.UUID) error {
	return flakylock.Projects(ctx, s.db, []uuid.UUID{projectID})
}

// save writes a flaky row and replaces its evidence.
func (s store) save(ctx context.Context, row *TestRow, insert bool, ev []evidenceRow) error {
	conn := s.db.Conn(ctx)
	if insert {
		if err := conn.Create(row).Error; err != nil {
			return wrap("insert flaky test", err)
		}
	} else {
		if err := conn.Save(row).Error; err != nil {
			return wrap("update flaky test", err)
		}
		if err := conn.Where("flaky_id = ?", row.ID).Delete(&EvidenceRow{}).Error; err != nil {
			return wrap("clear flaky evidence", err)
		}
	}
	rows := make([]EvidenceRow, len(ev))
	for i, e := range ev {
		rows[i] = EvidenceRow{FlakyID: row.ID, ResultID: e.ResultID, RunID: e.RunID, Kind: e.Kind, Outcome: e.Outcome,
			Build: e.Build, StartTime: e.StartTime}
	}
	if len(rows) > 0 {
		if err := conn.CreateInBatches(rows, 200).Error; err != nil {
			return wrap("store flaky evidence", err)
		}
	}
	return nil
}

// remove deletes flaky rows (their evidence cascades).
func (s store) remove(ctx context.Context, ids []uuid.UUID) error {
	for part := range chunks(ids) {
		conn := s.db.Conn(ctx)
		if err := conn.Where("flaky_id IN ?", part).Delete(&EvidenceRow{}).Error; err != nil {
			return wrap("clear flaky evidence", err)
		}
		if err := conn.Where("id IN ?", part).Delete(&TestRow{}).Error; err != nil {
			return wrap("remove flaky tests", err)
		}
	}
	return nil
}

// listFilter narrows GET /api/flaky.
type listFilter struct {
	ProjectID           uuid.UUID
	Component, Env, Job *string
	Since               *time.Time
}

func (f listFilter) apply(q *gorm.DB) *gorm.DB {
	q = q.Where("project_id = ?", f.ProjectID)
	for col, v := range map[string]*string{"component": f.Component, "env": f.Env, "job": f.Job} {
		if v != nil {
			q = q.Where(col+" = ?", *v)
		}
	}
	if f.Since != nil {
		q = q.Where("last_flake >= ?", *f.Since)
	}
	return q
}

// list reads a page of flaky tests by score (index project_id, score, id).
func (s store) list(ctx context.Context, f listFilter, p paging.Page) ([]TestRow, int64, error) {
	var total int64
	if err := f.apply(s.db.Conn(ctx).Model(&TestRow{})).Count(&total).Error; err != nil {
		return nil, 0, wrap("count flaky tests", err)
	}
	var rows []TestRow
	err := f.apply(s.db.Conn(ctx).Model(&TestRow{})).Order("score DESC, id").Offset(p.Offset()).Limit(p.PageSize).Find(&rows).Error
	return rows, total, wrap("list flaky tests", err)
}

// evidence loads the evidence of flaky rows, oldest first.
func (s store) evidence(ctx context.Context, ids []uuid.UUID) ([]EvidenceRow, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var out []EvidenceRow
	err := s.db.Conn(ctx).Where("flaky_id IN ?", ids).Order("start_time, result_id").Find(&out).Error
	return out, wrap("load flaky evidence", err)
}

// testKey is a flaky test's identity without its job, as results carry it.
type testKey struct {
	ProjectID              uuid.UUID
	TestID, Component, Env string
}

// flakyKeysLookups read which of the given (project, test) pairs are
// flaky, as page look-ups (k the project, a/b/c test id, component, env),
// one per chunk of test ids; the last to read hands read every key.
func (s store) flakyKeysLookups(projects []uuid.UUID, testIDs []string, read func(map[testKey]bool)) []db.Lookup {
	if len(projects) == 0 || len(testIDs) == 0 {
		return nil
	}
	keys := map[testKey]bool{}
	var out []db.Lookup
	for part := range chunks(testIDs) {
		out = append(out, db.Lookup{
			SQL:  `SELECT project_id AS k, test_id AS a, component AS b, env AS c, 0 AS n FROM ` + testsTable + ` WHERE project_id IN ? AND test_id IN ?`,
			Args: []any{projects, part},
			Read: func(rows []db.LookupRow) {
				for _, r := range rows {
					keys[testKey{r.K, model.Deref(r.A), model.Deref(r.B), model.Deref(r.C)}] = true
				}
			},
		})
	}
	last := out[len(out)-1].Read
	out[len(out)-1].Read = func(rows []db.LookupRow) {
		last(rows)
		read(keys)
	}
	return out
}

// runCountsLookup counts the flaky tests whose evidence includes each run,
// as a page look-up (k the run, n the count).
func (s store) runCountsLookup(runIDs []uuid.UUID, out map[uuid.UUID]int) db.Lookup {
	return db.Lookup{
		SQL: `SELECT run_id AS k, NULL AS a, NULL AS b, NULL AS c, COUNT(DISTINCT flaky_id) AS n FROM ` + evidenceTable + `
			WHERE run_id IN ? GROUP BY run_id`,
		Args: []any{runIDs},
		Read: func(rows []db.LookupRow) {
			for _, r := range rows {
				out[r.K] = int(r.N)
			}
		},
	}
}
