package maintenance

import (
	"context"
	"math"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// syncWindow is upstream's SYNC_RUN_TIME: only runs started this recently
// are checked.
const syncWindow = 3 * time.Hour

// SyncAbortedRuns finds runs started in the last three hours whose
// summary.tests differs from their result count and schedules their
// summary recomputation; it returns how many it scheduled.
func (s *Service) SyncAbortedRuns(ctx context.Context) (int, error) {
	rows, err := s.store.runsStartedAfter(ctx, s.now().Add(-syncWindow))
	if err != nil {
		return 0, err
	}
	queued := 0
	for _, r := range rows {
		if summaryTests(r.Summary) == r.Results {
			continue
		}
		s.runs.RunChanged(ctx, r.ID)
		queued++
	}
	return queued, nil
}

func summaryTests(sm model.JSON) int64 {
	if f, ok := sm["tests"].(float64); ok && !math.IsNaN(f) {
		return int64(f)
	}
	return 0
}
