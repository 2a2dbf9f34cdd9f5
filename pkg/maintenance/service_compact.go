package maintenance

import (
	"context"
	"encoding/json"
)

// compactHandler runs the periodic and the threshold-queued compactions;
// with nothing written since the last one it folds nothing.
func (s *Service) compactHandler(ctx context.Context, _ []byte) ([]byte, error) {
	counts, sums, err := s.compact(ctx, false)
	if err != nil {
		return nil, err
	}
	return json.Marshal(map[string]int64{"rows_before": counts.before, "rows_after": counts.after,
		"run_sums_before": sums.before, "run_sums_after": sums.after})
}

// CompactResultCounts folds the result-count deltas (and the run-sum
// deltas, PostgreSQL migration 19) and returns the result-count rows
// before and after. It does nothing on SQLite, which keeps no counts.
func (s *Service) CompactResultCounts(ctx context.Context) (before, after int64, err error) {
	counts, _, err := s.compact(ctx, true)
	return counts.before, counts.after, err
}

// compact folds both delta tables and logs their sizes (see
// store.compact for force).
func (s *Service) compact(ctx context.Context, force bool) (counts, sums rowCounts, err error) {
	counts, sums, err = s.store.compact(ctx, force)
	if err != nil || counts.before+sums.before == 0 {
		return counts, sums, err
	}
	s.log.Info("result counts compacted", "rows_before", counts.before, "rows_after", counts.after,
		"run_sums_before", sums.before, "run_sums_after", sums.after)
	return counts, sums, nil
}
