package maintenance

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// deleteBatches repeatedly selects up to batchSize ids with pick and
// deletes them (and their dependants) with del, one transaction per batch,
// until none are left. It returns how many ids were deleted.
func (s *Service) deleteBatches(ctx context.Context, pick string, cutoff time.Time, del func(ctx context.Context, ids []uuid.UUID) error) (int64, error) {
	var total int64
	for {
		var ids []uuid.UUID
		err := s.db.WithTx(ctx, func(ctx context.Context) error {
			if err := s.db.Conn(ctx).Raw(pick, cutoff, batchSize).Scan(&ids).Error; err != nil {
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

func (s *Service) exec(ctx context.Context, sql string, args ...any) error {
	if err := s.db.Conn(ctx).Exec(sql, args...).Error; err != nil {
		return fmt.Errorf("prune: %w", err)
	}
	return nil
}

// PruneImports deletes import records (and their files) older than days.
func (s *Service) PruneImports(ctx context.Context, days int) (string, error) {
	if days < 1 {
		return fmt.Sprintf("Skipped: days parameter (%d) must be >= 1", days), nil
	}
	cutoff := s.now().AddDate(0, 0, -days)
	n, err := s.deleteBatches(ctx, "SELECT id FROM imports WHERE created < ? ORDER BY created LIMIT ?", cutoff,
		func(ctx context.Context, ids []uuid.UUID) error {
			if err := s.exec(ctx, "DELETE FROM import_files WHERE import_id IN ?", ids); err != nil {
				return err
			}
			return s.exec(ctx, "DELETE FROM imports WHERE id IN ?", ids)
		})
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("Deleted %d import records older than %d days", n, days), nil
}

// PruneFiles deletes artifacts uploaded more than months×30 days ago;
// fewer than 2 months is refused as upstream does.
func (s *Service) PruneFiles(ctx context.Context, months int) (string, error) {
	if months < 2 {
		return fmt.Sprintf("Skipped: months parameter (%d) must be >= 2", months), nil
	}
	n, err := s.deleteBatches(ctx, "SELECT id FROM artifacts WHERE upload_date < ? LIMIT ?", s.cutoff(months),
		func(ctx context.Context, ids []uuid.UUID) error {
			return s.exec(ctx, "DELETE FROM artifacts WHERE id IN ?", ids)
		})
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("Deleted %d artifacts older than %d months", n, months), nil
}

// PruneResults deletes results started more than months×30 days ago with
// their artifacts, whatever the artifacts' age; fewer than 4 is refused.
func (s *Service) PruneResults(ctx context.Context, months int) (string, error) {
	if months < 4 {
		return fmt.Sprintf("Skipped: months parameter (%d) must be >= 4", months), nil
	}
	n, err := s.deleteBatches(ctx, "SELECT id FROM results WHERE start_time < ? LIMIT ?", s.cutoff(months),
		func(ctx context.Context, ids []uuid.UUID) error {
			if err := s.exec(ctx, "DELETE FROM artifacts WHERE result_id IN ?", ids); err != nil {
				return err
			}
			return s.exec(ctx, "DELETE FROM results WHERE id IN ?", ids)
		})
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("Deleted %d results older than %d months", n, months), nil
}

// PruneRuns deletes runs started more than months×30 days ago with their
// artifacts, their results and those results' artifacts; fewer than 10 is
// refused.
func (s *Service) PruneRuns(ctx context.Context, months int) (string, error) {
	if months < 10 {
		return fmt.Sprintf("Skipped: months parameter (%d) must be >= 10", months), nil
	}
	n, err := s.deleteBatches(ctx, "SELECT id FROM runs WHERE start_time < ? LIMIT ?", s.cutoff(months),
		func(ctx context.Context, ids []uuid.UUID) error {
			if err := s.exec(ctx, "DELETE FROM artifacts WHERE run_id IN ? OR result_id IN (SELECT id FROM results WHERE run_id IN ?)", ids, ids); err != nil {
				return err
			}
			if err := s.exec(ctx, "DELETE FROM results WHERE run_id IN ?", ids); err != nil {
				return err
			}
			return s.exec(ctx, "DELETE FROM runs WHERE id IN ?", ids)
		})
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("Deleted %d runs older than %d months", n, months), nil
}

func (s *Service) cutoff(months int) time.Time {
	return s.now().AddDate(0, 0, -months*daysInMonth)
}
