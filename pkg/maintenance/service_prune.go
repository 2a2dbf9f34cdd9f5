package maintenance

import (
	"context"
	"fmt"
	"time"
)

// prune deletes the rows of k older than defaultCutoff (nil: the default
// does not apply) in projects without an override, then, per project with
// an override of d > 0 days, its rows older than d days. Rows of pinned runs
// are kept.
func (s *Service) prune(ctx context.Context, k kind, defaultCutoff *time.Time) (int64, error) {
	var total int64
	if defaultCutoff != nil {
		n, err := s.store.pruneUnlessOverridden(ctx, k, *defaultCutoff)
		total += n
		if err != nil {
			return total, err
		}
	}
	over, err := s.store.overrides(ctx, k.column)
	if err != nil {
		return total, err
	}
	for pid, days := range over {
		if days <= 0 {
			continue // 0 = keep forever
		}
		n, err := s.store.pruneProject(ctx, k, pid, s.now().AddDate(0, 0, -days))
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// PruneImports deletes import records (and their files and chunks) older than days,
// or than their project's import_days.
func (s *Service) PruneImports(ctx context.Context, days int) (string, error) {
	var cutoff *time.Time
	if days >= 1 {
		c := s.now().AddDate(0, 0, -days)
		cutoff = &c
	}
	n, err := s.prune(ctx, s.store.importKind(), cutoff)
	if err != nil {
		return "", err
	}
	if cutoff == nil {
		return skipped(fmt.Sprintf("Skipped: days parameter (%d) must be >= 1", days), n, "import records"), nil
	}
	return fmt.Sprintf("Deleted %d import records older than %d days", n, days), nil
}

// skipped is the message of a prune whose default was refused: upstream's
// text, plus what the project overrides deleted, if anything.
func skipped(msg string, n int64, what string) string {
	if n == 0 {
		return msg
	}
	return fmt.Sprintf("%s; deleted %d %s by project retention", msg, n, what)
}

// PruneFiles deletes artifacts uploaded more than months×30 days ago (or
// than their project's artifact_days); fewer than 2 months is refused as
// upstream does. Artifacts of pinned runs and their results are kept.
func (s *Service) PruneFiles(ctx context.Context, months int) (string, error) {
	var cutoff *time.Time
	if months >= 2 {
		c := s.cutoff(months)
		cutoff = &c
	}
	n, err := s.prune(ctx, s.store.artifactKind(), cutoff)
	if err != nil {
		return "", err
	}
	if cutoff == nil {
		return skipped(fmt.Sprintf("Skipped: months parameter (%d) must be >= 2", months), n, "artifacts"), nil
	}
	return fmt.Sprintf("Deleted %d artifacts older than %d months", n, months), nil
}

// PruneResults deletes results started more than months×30 days ago (or
// than their project's result_days) with their artifacts, whatever the
// artifacts' age; fewer than 4 is refused. Results of pinned runs are kept.
func (s *Service) PruneResults(ctx context.Context, months int) (string, error) {
	var cutoff *time.Time
	if months >= 4 {
		c := s.cutoff(months)
		cutoff = &c
	}
	n, err := s.prune(ctx, s.store.resultKind(), cutoff)
	if err != nil {
		return "", err
	}
	if cutoff == nil {
		return skipped(fmt.Sprintf("Skipped: months parameter (%d) must be >= 4", months), n, "results"), nil
	}
	return fmt.Sprintf("Deleted %d results older than %d months", n, months), nil
}

// PruneRuns deletes runs started more than months×30 days ago (or than
// their project's run_days) with their artifacts, their results and those
// results' artifacts; fewer than 10 is refused. Pinned runs are kept.
func (s *Service) PruneRuns(ctx context.Context, months int) (string, error) {
	var cutoff *time.Time
	if months >= 10 {
		c := s.cutoff(months)
		cutoff = &c
	}
	n, err := s.prune(ctx, s.store.runKind(), cutoff)
	if err != nil {
		return "", err
	}
	if cutoff == nil {
		return skipped(fmt.Sprintf("Skipped: months parameter (%d) must be >= 10", months), n, "runs"), nil
	}
	return fmt.Sprintf("Deleted %d runs older than %d months", n, months), nil
}

func (s *Service) cutoff(months int) time.Time {
	return s.now().AddDate(0, 0, -months*daysInMonth)
}
