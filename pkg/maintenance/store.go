package maintenance

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// store is the SQL of the housekeeping tasks; the service decides what to
// prune and what to report, the store knows the tables.
type store struct {
	db *db.DB
}

// deleteBatches repeatedly selects up to batchSize ids with pick (whose
// last placeholder is the LIMIT) and deletes them (and their dependants)
// with del, one short transaction per batch, until none are left. It
// returns how many ids were deleted.
func (st store) deleteBatches(ctx context.Context, pick string, args []any, del func(ctx context.Context, ids []uuid.UUID) error) (int64, error) {
	var total int64
	args = append(append([]any{}, args...), batchSize)
	for {
		var ids []uuid.UUID
		err := st.db.WithTx(ctx, func(ctx context.Context) error {
			if err := st.db.Conn(ctx).Raw(pick, args...).Scan(&ids).Error; err != nil {
				return fmt.Errorf("select rows to prune: %w", err)
			}
			if len(ids) == 0 {
				return nil
			}
			return del(ctx, ids)
		})
		if err != nil {
			return total, err
		}
		total += int64(len(ids))
		if len(ids) < batchSize {
			return total, nil
		}
	}
}

func (st store) exec(ctx context.Context, sql string, args ...any) error {
	if err := st.db.Conn(ctx).Exec(sql, args...).Error; err != nil {
		return fmt.Errorf("prune: %w", err)
	}
	return nil
}

// overrides loads the projects overriding column of retentionTable, with
// their days.
func (st store) overrides(ctx context.Context, column string) (map[uuid.UUID]int, error) {
	var rows []struct {
		ProjectID uuid.UUID
		Days      int
	}
	err := st.db.Conn(ctx).Raw("SELECT project_id, " + column + " AS days FROM " + retentionTable + " WHERE " + column + " IS NOT NULL").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load project retention: %w", err)
	}
	out := make(map[uuid.UUID]int, len(rows))
	for _, r := range rows {
		out[r.ProjectID] = r.Days
	}
	return out, nil
}

// runResultCountsTable holds a run's result counts as deltas (PostgreSQL
// migration 24; pkg/run folds them in each summary).
const runResultCountsTable = "ibutsu_run_result_counts"

// recentRun is a run with its stored summary and its actual result count.
type recentRun struct {
	ID      uuid.UUID
	Summary model.JSON
	Results int64
}

// runsStartedAfter loads the runs started after since with their result
// counts. On PostgreSQL a run's count is the sum of its rows in
// ibutsu_run_result_counts (migration 24), which the results triggers keep
// equal to its results, so the check reads a few rows a run instead of
// counting every result of three hours of runs each time it runs.
func (st store) runsStartedAfter(ctx context.Context, since time.Time) ([]recentRun, error) {
	count := `(SELECT count(*) FROM results WHERE results.run_id = r.id)`
	if st.db.Dialect == db.Postgres {
		count = `(SELECT coalesce(sum(c.tests), 0) FROM ` + runResultCountsTable + ` c WHERE c.run_id = r.id)`
	}
	var rows []recentRun
	err := st.db.Conn(ctx).Raw(`SELECT r.id, r.summary, `+count+` AS results
		FROM runs r WHERE r.start_time > ?`, since).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load recent runs: %w", err)
	}
	return rows, nil
}

// compactLockID is the transaction advisory lock compactions take, so two
// schedulers (or a retried task) never fold the same deltas at once.
const compactLockID int64 = 0x1b75_0002

// compactSQL folds the count deltas the results triggers append (PostgreSQL
// migration 5) into one row per group, dropping groups that net to zero.
// Deltas appended by writers while it runs are not in its snapshot and
// stay for the next compaction, so totals never change.
const compactSQL = `WITH moved AS (DELETE FROM ibutsu_result_counts RETURNING project_id, day, result, component, env, n),
folded AS (INSERT INTO ibutsu_result_counts (project_id, day, result, component, env, n)
	SELECT project_id, day, result, component, env, SUM(n) FROM moved
	GROUP BY project_id, day, result, component, env HAVING SUM(n) <> 0 RETURNING 1)
SELECT (SELECT count(*) FROM moved) AS before, (SELECT count(*) FROM folded) AS after`

// compactRunSumsSQL folds the run-sum deltas the runs triggers append
// (PostgreSQL migration 19) into one row per group, as compactSQL does for
// the result counts; a group whose every sum nets to zero goes.
const compactRunSumsSQL = `WITH moved AS (DELETE FROM ibutsu_run_sums
	RETURNING project_id, day, component, env, source, data, failures, errors, skips, tests, xfailures, xpasses, xpassed, xfailed),
folded AS (INSERT INTO ibutsu_run_sums
	SELECT project_id, day, component, env, source, data, SUM(failures), SUM(errors), SUM(skips), SUM(tests),
		SUM(xfailures), SUM(xpasses), SUM(xpassed), SUM(xfailed) FROM moved
	GROUP BY project_id, day, component, env, source, data
	HAVING SUM(failures) <> 0 OR SUM(errors) <> 0 OR SUM(skips) <> 0 OR SUM(tests) <> 0
		OR SUM(xfailures) <> 0 OR SUM(xpasses) <> 0 OR SUM(xpassed) <> 0 OR SUM(xfailed) <> 0 RETURNING 1)
SELECT (SELECT count(*) FROM moved) AS before, (SELECT count(*) FROM folded) AS after`

// rowCounts are a table's row counts before and after a compaction.
type rowCounts struct{ before, after int64 }

// compactCounts folds the result-count deltas and returns the row counts
// before and after. It does nothing on SQLite, which keeps no counts, nor
// while another compaction holds the lock.
func (st store) compactCounts(ctx context.Context) (before, after int64, err error) {
	c, _, err := st.compact(ctx, true)
	return c.before, c.after, err
}

// deltaMarkSQL is how many write statements on results and runs have
// appended deltas so far, and how many of them the last compaction folded
// (PostgreSQL migration 20): the sequence's last value counts only once a
// number was taken.
const deltaMarkSQL = `SELECT CASE WHEN s.is_called THEN s.last_value ELSE 0 END,
	COALESCE((SELECT folded_seq FROM ibutsu_count_compactions WHERE id = 1), 0)
	FROM ibutsu_count_deltas_seq s`

// recordFoldedSQL records the statement count a compaction folded up to.
const recordFoldedSQL = `INSERT INTO ibutsu_count_compactions (id, folded_seq) VALUES (1, ?)
	ON CONFLICT (id) DO UPDATE SET folded_seq = EXCLUDED.folded_seq`

// pendingDeltas is how many write statements on results and runs appended
// count deltas since the last compaction (0 on SQLite, which keeps no
// counts). Each appends about one row per group it touched, so this
// bounds the rows a compaction would fold. Reading it is two one-row
// lookups, cheap enough to do every few writes.
func (st store) pendingDeltas(ctx context.Context) (int64, error) {
	if st.db.Dialect != db.Postgres {
		return 0, nil
	}
	var mark, folded int64
	if err := st.db.Conn(ctx).Raw(deltaMarkSQL).Row().Scan(&mark, &folded); err != nil {
		return 0, fmt.Errorf("pending count deltas: %w", err)
	}
	return mark - folded, nil
}

// compact folds the deltas of the result counts and of the run sums in
// one transaction under the compaction lock, returning each table's row
// counts before and after (zero on SQLite, when another compaction is
// running, or, unless force, when no write statement came since the last
// compaction: a frequent or threshold-queued run is then two one-row
// reads).
//
// The statement mark is read before the folds take their snapshot, so
// every statement it counts that had committed by then is folded; one
// still in flight is counted as folded but left for the next compaction,
// which the next writes' mark triggers (the totals are exact either way:
// readers sum whatever deltas there are).
func (st store) compact(ctx context.Context, force bool) (counts, sums rowCounts, err error) {
	if st.db.Dialect != db.Postgres {
		return counts, sums, nil
	}
	err = st.db.WithTx(ctx, func(ctx context.Context) error {
		tx := st.db.Conn(ctx)
		var got bool
		if err := tx.Raw("SELECT pg_try_advisory_xact_lock(?)", compactLockID).Scan(&got).Error; err != nil {
			return err
		}
		if !got {
			return nil // another compaction is running
		}
		var mark, folded int64
		if err := tx.Raw(deltaMarkSQL).Row().Scan(&mark, &folded); err != nil {
			return err
		}
		if !force && mark == folded {
			return nil // nothing written since the last compaction
		}
		if err := tx.Raw(compactSQL).Row().Scan(&counts.before, &counts.after); err != nil {
			return err
		}
		if err := tx.Raw(compactRunSumsSQL).Row().Scan(&sums.before, &sums.after); err != nil {
			return err
		}
		return tx.Exec(recordFoldedSQL, mark).Error
	})
	if err != nil {
		return rowCounts{}, rowCounts{}, fmt.Errorf("compact result counts: %w", err)
	}
	return counts, sums, nil
}
