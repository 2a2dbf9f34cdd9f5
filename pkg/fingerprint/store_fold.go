package fingerprint

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"
	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// foldedInsert writes a batch of new results together with everything
// WithResults writes beside them — the automatic classification rule's
// choice in the row's metadata, the fingerprints, the classification rows
// and the rule's audit rows — as ONE statement (data-modifying CTEs), so a
// batch with failures costs one round trip and one commit like a batch
// without. WithResults' transaction took five round trips (BEGIN, the
// rule's probe, two INSERTs, COMMIT), which with one failure in ten put
// nearly every batch of a busy server on the slow path.
//
// The input is one array per column (a fixed statement text, so the pgx
// statement cache holds one plan whatever the batch size). The rule is the
// one of applyRule: for an unclassified failure of a project whose
// auto_classify is on, the classification most common among the
// project's classified results of the same fingerprint (ties: the first in
// byte order, as MostCommon's sort.Strings), read from the statement's
// snapshot, so like applyRule it does not count the batch itself. It reads
// the counts the triggers of migration 00021 keep
// (ibutsu_fingerprint_class_counts: at most a few dozen delta rows per
// fingerprint), not the classification rows applyRule counts: those are one
// per classified result, so a read of them grew with the cluster and every
// batch with a failure paid for it (issue #21's ingest with the rule on
// fell from 1.05 to 0.65 of the plain one as the bench's ruled cluster
// grew). All
// sub-statements see the same snapshot and the foreign keys are checked at
// its end, so a row refused anywhere (a duplicate id, a missing run) undoes
// the whole statement.
//
// The fingerprint and classification rows are plain INSERTs, without the
// ON CONFLICT of Upsert: the results are new (a duplicate id fails the
// results INSERT and with it the statement), and no such row can exist for
// a result that does not (both are deleted with it), so a conflict could
// never fire. Without it PostgreSQL skips the speculative insertion: the
// arbiter index probe before each row and the WAL record confirming it.
//
// The fingerprint, classification and audit rows have no foreign key on
// PostgreSQL (migrations 00027 and 00028): each names a row written by this
// same statement, so a key's check, a trigger event and a FOR KEY SHARE
// lock with its WAL record per row, could never fail here; statement
// triggers delete them with their result or fingerprint.
//
// lk decides each row's run project on the locked row: a result's project
// is its run's project, and the caller checked that on a read without a
// lock, so a move of the run (PUT /run, which holds the run FOR UPDATE)
// committed since would leave the row in the old project beside a run in
// the new one. FOR KEY SHARE, the foreign-key check's own lock, waits for
// such a move and then reads the run as it committed; it does not wait for
// other inserts. When any row's project is not its locked run's, the
// statement writes nothing and returns no row (ErrRunMoved); a run that
// does not exist is left to the foreign key. Every written row is returned
// (ruled NULL where the rule gave nothing).
const foldedInsert = `WITH lk AS (
	SELECT id, project_id FROM runs WHERE id = ANY($3::uuid[]) FOR KEY SHARE
), v AS (
	SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::float8[],
		$9::timestamp[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::uuid[])
		AS v(id, project_id, run_id, test_id, result, data, params, duration, start_time, source, env, component, fp, exc, norm, cls, hid)
	WHERE NOT EXISTS (SELECT 1 FROM unnest($2::uuid[], $3::uuid[]) AS m(project_id, run_id)
		JOIN lk ON lk.id = m.run_id WHERE lk.project_id IS DISTINCT FROM m.project_id)
), best AS (
	SELECT DISTINCT ON (c.project_id, c.fingerprint) c.project_id, c.fingerprint, c.classification
	FROM ibutsu_project_triage s JOIN ibutsu_fingerprint_class_counts c ON c.project_id = s.project_id
	WHERE s.auto_classify
		AND s.project_id IN (SELECT project_id FROM v WHERE fp IS NOT NULL AND cls IS NULL)
		AND c.fingerprint IN (SELECT fp FROM v WHERE fp IS NOT NULL AND cls IS NULL)
	GROUP BY c.project_id, c.fingerprint, c.classification
	HAVING SUM(c.n) > 0
	ORDER BY c.project_id, c.fingerprint, SUM(c.n) DESC, c.classification COLLATE "C"
), w AS (
	SELECT v.*, best.classification AS ruled
	FROM v LEFT JOIN best ON v.fp IS NOT NULL AND v.cls IS NULL AND best.project_id = v.project_id AND best.fingerprint = v.fp
), ins AS (
	INSERT INTO results (id, project_id, run_id, test_id, result, data, params, duration, start_time, source, env, component)
	SELECT id, project_id, run_id, test_id, result,
		CASE WHEN ruled IS NULL THEN data::jsonb ELSE data::jsonb || jsonb_build_object('classification', ruled) END,
		params::jsonb, duration, start_time, source, env, component
	FROM w
), fps AS (
	INSERT INTO ibutsu_result_fingerprints (result_id, project_id, run_id, fingerprint, exception, normalised, start_time)
	SELECT id, project_id, run_id, fp, exc, norm, start_time FROM w WHERE fp IS NOT NULL
), classes AS (
	INSERT INTO ibutsu_fingerprint_classifications (result_id, project_id, fingerprint, classification)
	SELECT id, project_id, fp, COALESCE(cls, ruled) FROM w WHERE fp IS NOT NULL AND COALESCE(cls, ruled) IS NOT NULL
), hist AS (
	INSERT INTO ibutsu_classification_history (id, result_id, old_value, new_value, user_id, by_rule, fingerprint, changed_at)
	SELECT hid, id, NULL, ruled, NULL, true, fp, $18 FROM w WHERE ruled IS NOT NULL
)
SELECT id, ruled FROM w`

// canFold reports whether a batch can be written by foldedInsert in ctx:
// on PostgreSQL, outside a caller's transaction (inside one the batch
// joins it through WithResults).
func canFold(ctx context.Context, d *db.DB) bool {
	return d.Dialect == db.Postgres && !db.InTx(ctx)
}

// InsertResults is WithResults for a batch of new results outside a
// transaction (the result batcher): on PostgreSQL a batch with failures is
// written in one statement (foldedInsert) with the same outcome — the rule
// applied, the results, their fingerprints, classification rows and audit
// rows, all or nothing. A batch without failures runs insert as it is. In a
// caller's transaction, and on SQLite, it is WithResults (which on SQLite
// checks the rows' runs' projects in its transaction). On error nothing
// was written and rs are unchanged; a duplicate id or a missing run is
// reported as gorm's ErrDuplicatedKey or ErrForeignKeyViolated, as insert
// would.
func InsertResults(ctx context.Context, d *db.DB, rs []*model.Result, insert func(ctx context.Context) error) error {
	return InsertResultsOf(ctx, d, rs, nil, insert)
}

// InsertResultsOf is InsertResults with what Of gave for some of rs already
// known: known[i], when known is not nil and known[i] is not, is Of(rs[i])'s
// row (Fingerprint "" for no fingerprint), so the batch statement does not
// compute it again. POST /api/result computes it to read a failure's marks
// before the insert (PendingAnnotationLookups); computing it twice cost
// about 30-40 µs of the backend's CPU per failure (BenchmarkFailedAnswer's
// profile in pkg/result).
//
// On PostgreSQL outside a transaction, a batch with a row in a run is
// written by foldedInsert even without failures, so its run's project is
// checked on the locked row (ErrRunMoved) in the one statement.
func InsertResultsOf(ctx context.Context, d *db.DB, rs []*model.Result, known []*Row, insert func(ctx context.Context) error) error {
	if !canFold(ctx, d) {
		return WithResults(ctx, d, rs, insert)
	}
	args, ok, err := foldArgs(rs, known)
	if err != nil {
		return err
	}
	if !ok && !inRuns(rs) {
		return insert(ctx)
	}
	ruled, written, err := runFolded(ctx, d, args)
	if err != nil {
		if t, ok := d.Gorm.Dialector.(gorm.ErrorTranslator); ok {
			err = t.Translate(err)
		}
		return fmt.Errorf("insert results: %w", err)
	}
	if written == 0 && len(rs) > 0 {
		return ErrRunMoved
	}
	// Committed: the results now carry what the rule gave them.
	for _, r := range rs {
		if c, ok := ruled[r.ID]; ok {
			if r.Data == nil {
				r.Data = model.JSON{}
			}
			r.Data["classification"] = c
		}
	}
	return nil
}

// foldArgs lays rs out as foldedInsert's column arrays; ok is false when
// none of them is a failure to fingerprint. known is InsertResultsOf's.
func foldArgs(rs []*model.Result, known []*Row) (args []any, ok bool, err error) {
	n := len(rs)
	ids, projects, runs, hids := make([]pgtype.UUID, n), make([]pgtype.UUID, n), make([]pgtype.UUID, n), make([]pgtype.UUID, n)
	tests, results, data, params := make([]*string, n), make([]*string, n), make([]*string, n), make([]*string, n)
	durations, starts := make([]*float64, n), make([]time.Time, n)
	sources, envs, comps := make([]*string, n), make([]*string, n), make([]*string, n)
	fps, excs, norms, cls := make([]*string, n), make([]*string, n), make([]*string, n), make([]*string, n)
	for i, r := range rs {
		ids[i], projects[i], runs[i] = pgtype.UUID{Bytes: r.ID, Valid: true}, pgUUID(r.ProjectID), pgUUID(r.RunID)
		tests[i], results[i], durations[i], starts[i] = r.TestID, r.Result, r.Duration, r.StartTime
		sources[i], envs[i], comps[i] = r.Source, r.Env, r.Component
		if data[i], err = jsonText(r.Data); err != nil {
			return nil, false, err
		}
		if params[i], err = jsonText(r.Params); err != nil {
			return nil, false, err
		}
		var row Row
		if i < len(known) && known[i] != nil {
			row = *known[i]
		} else {
			row, _ = Of(r)
		}
		if row.Fingerprint == "" {
			continue
		}
		ok = true
		fps[i], excs[i], norms[i] = &row.Fingerprint, &row.Exception, &row.Normalised
		if row.Classification != "" {
			cls[i] = &row.Classification
		} else {
			hids[i] = pgtype.UUID{Bytes: uuid.New(), Valid: true}
		}
	}
	return []any{ids, projects, runs, tests, results, data, params, durations, starts, sources, envs, comps,
		fps, excs, norms, cls, hids, time.Now().UTC()}, ok, nil
}

// pgUUID is a nullable uuid as a uuid[] element pgx encodes directly.
// Its arrays of *uuid.UUID went element by element through uuid.UUID's
// driver.Valuer: a string, a failed binary encoding of it, a parse back:
// 217 allocations to encode one 11-element array (the size of the bench's
// batches at 128 clients), against 19 for pgtype.UUID, and the statement
// takes four such arrays. PostgreSQL receives the same uuids and NULLs.
func pgUUID(id *uuid.UUID) pgtype.UUID {
	if id == nil {
		return pgtype.UUID{}
	}
	return pgtype.UUID{Bytes: *id, Valid: true}
}

// ErrRunMoved is InsertResultsOf's answer when a row's project is not its
// run's project as the run's locked row has it (PostgreSQL), or as
// WithResults reads it in its write transaction (SQLite): a move of the run
// committed after the caller's check, and nothing was written. The caller
// checks the row again and answers as for a result posted into a run of
// another project.
var ErrRunMoved = errors.New("a result's run is in another project than the result")

// inRuns reports whether any of rs names a run.
func inRuns(rs []*model.Result) bool {
	for _, r := range rs {
		if r.RunID != nil {
			return true
		}
	}
	return false
}

// runFolded runs foldedInsert and returns the classifications the rule
// gave, by result, and how many results it wrote. The error is the
// driver's, unwrapped, so gorm can classify it. A foreign key is checked
// when the statement ends, after its rows may have been sent, so the error
// can come from any step.
func runFolded(ctx context.Context, d *db.DB, args []any) (ruled map[uuid.UUID]string, written int, err error) {
	rows, err := d.SQL.QueryContext(ctx, foldedInsert, args...)
	if err != nil {
		return nil, 0, err
	}
	ruled = map[uuid.UUID]string{}
	for rows.Next() {
		var id uuid.UUID
		var c *string
		if err := rows.Scan(&id, &c); err != nil {
			_ = rows.Close() // the scan error is the one to report
			return nil, 0, err
		}
		written++
		if c != nil {
			ruled[id] = *c
		}
	}
	if err := rows.Err(); err != nil {
		_ = rows.Close() // the statement's error is the one to report
		return nil, 0, err
	}
	if err := rows.Close(); err != nil {
		return nil, 0, err
	}
	return ruled, written, nil
}

// jsonText is a JSON column's value as the statement takes it: what gorm
// would write (model.JSON's driver value), NULL for a nil map.
func jsonText(j model.JSON) (*string, error) {
	v, err := j.Value()
	if err != nil || v == nil {
		return nil, err
	}
	s, ok := v.(string)
	if !ok {
		return nil, fmt.Errorf("encode JSON column: unexpected %T", driver.Value(v))
	}
	return &s, nil
}
