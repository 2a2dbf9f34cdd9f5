package run

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// resultCounts is the run's results counted by outcome, with their total
// duration. On PostgreSQL it folds the run's rows of
// ibutsu_run_result_counts (migration 24), which statement triggers on
// results keep as deltas, into one row and returns their sums: the cost
// follows the writes since the last summary, not the size of the run.
// SQLite aggregates the results.
func (s store) resultCounts(ctx context.Context, runID uuid.UUID) (Counts, error) {
	if s.db.Dialect != db.Postgres {
		return s.aggregateResults(ctx, runID)
	}
	return s.foldResultCounts(ctx, runID)
}

// foldRunCountsSQL deletes the run's delta rows, inserts their sums as one
// row (none when every sum is zero) and returns the sums. In READ
// COMMITTED the DELETE removes exactly the rows its snapshot sees, and the
// sums are of exactly those rows (RETURNING); rows committed after the
// snapshot stay for the next fold, so nothing is counted twice or lost.
// The caller holds the run's row lock (lockForSummary), so two folds of a
// run never interleave, and a fold of another run touches other rows.
// duration is returned as text: a numeric beyond float8's range reads as
// ±Inf (strconv.ParseFloat) instead of failing the cast.
const foldRunCountsSQL = `WITH gone AS (
	DELETE FROM ibutsu_run_result_counts WHERE run_id = @run
	RETURNING tests, failures, errors, skips, xfailures, xpasses, duration, nonfinite
), total AS (
	SELECT coalesce(sum(tests), 0)::bigint AS tests, coalesce(sum(failures), 0)::bigint AS failures,
		coalesce(sum(errors), 0)::bigint AS errors, coalesce(sum(skips), 0)::bigint AS skips,
		coalesce(sum(xfailures), 0)::bigint AS xfailures, coalesce(sum(xpasses), 0)::bigint AS xpasses,
		coalesce(sum(duration), 0) AS duration, coalesce(sum(nonfinite), 0)::bigint AS nonfinite
	FROM gone
), kept AS (
	INSERT INTO ibutsu_run_result_counts (run_id, tests, failures, errors, skips, xfailures, xpasses, duration, nonfinite)
	SELECT @run, tests, failures, errors, skips, xfailures, xpasses, duration, nonfinite FROM total
	WHERE tests <> 0 OR failures <> 0 OR errors <> 0 OR skips <> 0 OR xfailures <> 0 OR xpasses <> 0
		OR duration <> 0 OR nonfinite <> 0
)
SELECT tests, failures, errors, skips, xfailures, xpasses, duration::text AS duration, nonfinite FROM total`

// foldResultCounts is resultCounts on PostgreSQL. While the run has a
// result whose duration is NaN or infinite (which the deltas count but
// cannot sum), the duration is summed from the results, as float8 does.
func (s store) foldResultCounts(ctx context.Context, runID uuid.UUID) (Counts, error) {
	var row struct {
		Tests, Failures, Errors, Skips, Xfailures, Xpasses, Nonfinite int64
		Duration                                                      string
	}
	err := s.db.Conn(ctx).Raw(foldRunCountsSQL, sql.Named("run", runID)).Scan(&row).Error
	if err != nil {
		return Counts{}, fmt.Errorf("fold result counts: %w", err)
	}
	c := Counts{Tests: row.Tests, Failures: row.Failures, Errors: row.Errors, Skips: row.Skips,
		XFailures: row.Xfailures, XPasses: row.Xpasses}
	if row.Nonfinite != 0 {
		all, err := s.aggregateResults(ctx, runID)
		c.Duration = all.Duration
		return c, err
	}
	// A numeric sum of float8 values parses; beyond float8's range it is
	// ±Inf with ErrRange, the value a float8 sum would overflow to.
	c.Duration, err = strconv.ParseFloat(row.Duration, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return Counts{}, fmt.Errorf("fold result counts: duration %q: %w", row.Duration, err)
	}
	return c, nil
}

// aggregateResults aggregates a run's results by outcome, with their
// total duration. In the summary's transaction it is planned serially
// (db.Serial): a parallel plan scanned the whole results table.
func (s store) aggregateResults(ctx context.Context, runID uuid.UUID) (Counts, error) {
	var c Counts
	if err := s.db.Serial(ctx); err != nil {
		return Counts{}, err
	}
	err := s.db.Conn(ctx).Model(&model.Result{}).Where("run_id = ?", runID).Select(`count(*) AS tests,
		coalesce(sum(CASE WHEN result = 'failed' THEN 1 ELSE 0 END), 0) AS failures,
		coalesce(sum(CASE WHEN result = 'error' THEN 1 ELSE 0 END), 0) AS errors,
		coalesce(sum(CASE WHEN result = 'skipped' THEN 1 ELSE 0 END), 0) AS skips,
		coalesce(sum(CASE WHEN result = 'xfailed' THEN 1 ELSE 0 END), 0) AS x_failures,
		coalesce(sum(CASE WHEN result = 'xpassed' THEN 1 ELSE 0 END), 0) AS x_passes,
		coalesce(sum(duration), 0) AS duration`).Scan(&c).Error
	if err != nil {
		return Counts{}, fmt.Errorf("aggregate results: %w", err)
	}
	return c, nil
}

// firstResult is the run's earliest result, or nil when it has none.
func (s store) firstResult(ctx context.Context, runID uuid.UUID) (*model.Result, error) {
	q := s.db.Conn(ctx).Where("run_id = ?", runID).Order("start_time ASC").Limit(1)
	return db.Take[model.Result](q, nil, "first result")
}

// saveSummary writes a run whose summary was recomputed.
func (s store) saveSummary(ctx context.Context, r *model.Run) error {
	if err := s.db.Conn(ctx).Save(r).Error; err != nil {
		return fmt.Errorf("save run summary: %w", err)
	}
	return nil
}
