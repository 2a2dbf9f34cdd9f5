package maintenance

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

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

func (s *Service) compactHandler(ctx context.Context, _ []byte) ([]byte, error) {
	before, after, err := s.CompactResultCounts(ctx)
	if err != nil {
		return nil, err
	}
	return json.Marshal(map[string]int64{"rows_before": before, "rows_after": after})
}

// CompactResultCounts folds the result-count deltas and returns the row
// counts before and after. It does nothing on SQLite, which keeps no
// counts.
func (s *Service) CompactResultCounts(ctx context.Context) (before, after int64, err error) {
	if s.db.Dialect != db.Postgres {
		return 0, 0, nil
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		tx := s.db.Conn(ctx)
		var got bool
		if err := tx.Raw("SELECT pg_try_advisory_xact_lock(?)", compactLockID).Scan(&got).Error; err != nil {
			return err
		}
		if !got {
			return nil // another compaction is running
		}
		return tx.Raw(compactSQL).Row().Scan(&before, &after)
	})
	if err != nil {
		return 0, 0, fmt.Errorf("compact result counts: %w", err)
	}
	s.log.Info("result counts compacted", "rows_before", before, "rows_after", after)
	return before, after, nil
}
