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

// pruneMonths is the prune of a task counted in months: the rows of k
// older than months×30 days (or than their project's override), where
// fewer than least months is refused as upstream does (the overrides still
// apply). what names the rows in the message.
func (s *Service) pruneMonths(ctx context.Context, k kind, months, least int, what string) (string, error) {
	var cutoff *time.Time
	if months >= least {
		c := s.now().AddDate(0, 0, -months*daysInMonth)
		cutoff = &c
	}
	n, err := s.prune(ctx, k, cutoff)
	if err != nil {
		return "", err
	}
	if cutoff == nil {
		return skipped(fmt.Sprintf("Skipped: months parameter (%d) must be >= %d", months, least), n, what), nil
	}
	return fmt.Sprintf("Deleted %d %s older than %d months", n, what, months), nil
}

// PruneFiles deletes artifacts uploaded more than months×30 days ago (or
// than their project's artifact_days); fewer than 2 months is refused as
// upstream does. Artifacts of pinned runs and their results are kept.
func (s *Service) PruneFiles(ctx context.Context, months int) (string, error) {
	return s.pruneMonths(ctx, s.store.artifactKind(), months, 2, "artifacts")
}

// PruneResults deletes results started more than months×30 days ago (or
// than their project's result_days) with their artifacts, whatever the
// artifacts' age; fewer than 4 is refused. Results of pinned runs are kept.
func (s *Service) PruneResults(ctx context.Context, months int) (string, error) {
	return s.pruneMonths(ctx, s.store.resultKind(), months, 4, "results")
}

// PruneRuns deletes runs started more than months×30 days ago (or than
// their project's run_days) with their artifacts, their results and those
// results' artifacts; fewer than 10 is refused. Pinned runs are kept.
func (s *Service) PruneRuns(ctx context.Context, months int) (string, error) {
	return s.pruneMonths(ctx, s.store.runKind(), months, 10, "runs")
}
