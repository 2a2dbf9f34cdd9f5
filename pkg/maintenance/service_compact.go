package maintenance

import (
	"context"
	"encoding/json"
)

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
	before, after, err = s.store.compactCounts(ctx)
	if err != nil {
		return 0, 0, err
	}
	s.log.Info("result counts compacted", "rows_before", before, "rows_after", after)
	return before, after, nil
}
