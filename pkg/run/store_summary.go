package run

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// resultCounts aggregates a run's results by outcome, with their total
// duration. In the summary's transaction it is planned serially
// (db.Serial): a parallel plan scanned the whole results table.
func (s store) resultCounts(ctx context.Context, runID uuid.UUID) (Counts, error) {
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
