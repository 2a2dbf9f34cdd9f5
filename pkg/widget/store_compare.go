package widget

import (
	"context"
	"database/sql"
	"errors"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// run loads run id; nil when there is none.
func (q store) run(ctx context.Context, id string) (*model.Run, error) {
	var r model.Run
	err := q.db.Conn(ctx).Where("id = ?", id).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// latestRunOf is the run of the newest result matching fs (and `project`),
// or nil.
func (q store) latestRunOf(ctx context.Context, a args, fs []string) (*model.Run, error) {
	var w where
	if err := w.filters(q, filter.Results, fs); err != nil {
		return nil, err
	}
	w.scope(q, "project_id", a)
	w.add("run_id IS NOT NULL")
	var latest model.Result
	err := q.db.Conn(ctx).Model(&model.Result{}).Where(trimWhere(w.sql()), w.args...).Order("start_time DESC").Limit(1).Take(&latest).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return q.run(ctx, latest.RunID.String())
}

// resultsOfRun loads the results of run runID matching the filter strings
// fs, ordered by metadata.fspath and id.
func (q store) resultsOfRun(ctx context.Context, runID string, fs []string) ([]model.Result, error) {
	fp, fargs, _, err := q.expr(filter.Results, "metadata.fspath")
	if err != nil {
		return nil, err
	}
	var w where
	if err := w.filters(q, filter.Results, fs); err != nil {
		return nil, err
	}
	w.add("run_id = ?", runID)
	var rs []model.Result
	if err := q.db.Conn(ctx).Where(trimWhere(w.sql()), w.args...).Order(gorm.Expr(fp+", id", fargs...)).Find(&rs).Error; err != nil {
		return nil, err
	}
	return rs, nil
}

// testDiff is one test_id of the target run against the base run: the
// latest result of each (nil fields where the base has none).
type testDiff struct {
	testID     string
	bRes, tRes *string
	bDur, tDur *float64
	bID, tID   *string
}

// testDiffs joins the two runs' latest result per test_id in the database
// and calls fn, in test_id order, for the tests that failed in either run
// or whose duration changed by more than threshold.
func (q store) testDiffs(ctx context.Context, base, target uuid.UUID, threshold float64, fn func(testDiff)) error {
	const latest = `SELECT id, test_id, result, duration,
	  ROW_NUMBER() OVER (PARTITION BY test_id ORDER BY start_time DESC, id DESC) AS rn
	  FROM results WHERE run_id = ? AND test_id IS NOT NULL`
	query := `WITH b AS (` + latest + `), t AS (` + latest + `)
	SELECT t.test_id, b.result, t.result, b.duration, t.duration, b.id, t.id
	FROM t LEFT JOIN b ON b.test_id = t.test_id AND b.rn = 1
	WHERE t.rn = 1 AND (t.result IN ('failed', 'error') OR b.result IN ('failed', 'error')
	  OR ABS(t.duration - b.duration) > ?)
	ORDER BY t.test_id`
	return q.rows(ctx, query, []any{base.String(), target.String(), threshold}, func(r *sql.Rows) error {
		var d testDiff
		var bIDv, tIDv any
		if err := r.Scan(&d.testID, &d.bRes, &d.tRes, &d.bDur, &d.tDur, &bIDv, &tIDv); err != nil {
			return err
		}
		d.bID, d.tID = uuidText(bIDv), uuidText(tIDv)
		fn(d)
		return nil
	})
}

// resultCounts counts the results of the two runs, by run id.
func (q store) resultCounts(ctx context.Context, base, target uuid.UUID) (map[string]int64, error) {
	totals := map[string]int64{}
	err := q.rows(ctx, `SELECT run_id, COUNT(*) FROM results WHERE run_id IN (?, ?) GROUP BY run_id`, []any{base.String(), target.String()}, func(r *sql.Rows) error {
		var rid any
		var n int64
		if err := r.Scan(&rid, &n); err != nil {
			return err
		}
		if s := uuidText(rid); s != nil {
			totals[*s] = n
		}
		return nil
	})
	return totals, err
}

// uuidText reads a uuid column however the driver returns it.
func uuidText(v any) *string {
	switch x := v.(type) {
	case [16]byte:
		s := uuid.UUID(x).String()
		return &s
	case []byte:
		if len(x) == 16 {
			s := uuid.UUID(x).String()
			return &s
		}
	}
	return asString(v)
}

// fingerprintRow is one fingerprinted failure of a compared run.
type fingerprintRow struct {
	runID, fingerprint, exception, normalised, testID string
}

// runFingerprints lists the fingerprinted failures of the two runs
// (ibutsu_result_fingerprints, docs/triage.md) with their test ids.
func (q store) runFingerprints(ctx context.Context, base, target uuid.UUID, fn func(fingerprintRow)) error {
	return q.rows(ctx, `SELECT f.run_id, f.fingerprint, f.exception, f.normalised, COALESCE(r.test_id, '')
		FROM ibutsu_result_fingerprints f JOIN results r ON r.id = f.result_id
		WHERE f.run_id IN (?, ?)`, []any{base.String(), target.String()}, func(r *sql.Rows) error {
		var row fingerprintRow
		var rid any
		if err := r.Scan(&rid, &row.fingerprint, &row.exception, &row.normalised, &row.testID); err != nil {
			return err
		}
		if s := uuidText(rid); s != nil {
			row.runID = *s
		}
		fn(row)
		return nil
	})
}
