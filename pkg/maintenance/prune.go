package maintenance

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// retentionTable holds the per-project overrides (migration 00003; see
// project.Retention): days per kind, NULL = the task's default, 0 = keep.
const retentionTable = "ibutsu_project_retention"

// importChunkTable holds chunked import files (migration 00004).
const importChunkTable = "ibutsu_import_chunks"

// deleteBatches repeatedly selects up to batchSize ids with pick (whose
// last placeholder is the LIMIT) and deletes them (and their dependants)
// with del, one short transaction per batch, until none are left. It
// returns how many ids were deleted.
func (s *Service) deleteBatches(ctx context.Context, pick string, args []any, del func(ctx context.Context, ids []uuid.UUID) error) (int64, error) {
	var total int64
	args = append(append([]any{}, args...), batchSize)
	for {
		var ids []uuid.UUID
		err := s.db.WithTx(ctx, func(ctx context.Context) error {
			if err := s.db.Conn(ctx).Raw(pick, args...).Scan(&ids).Error; err != nil {
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

// kind describes one prunable table for the per-project retention.
type kind struct {
	// column of retentionTable with this kind's override.
	column string
	// pick selects ids: %[1]s is the age column, %[2]s the project scope,
	// %[3]s the pinned-run exclusion; the placeholders are the cutoff, the
	// scope's arguments and the limit.
	pick string
	// project scopes to one project (every placeholder is the project id).
	project string
	// others scopes to the rows of projects without an override for
	// column (and of no project); %s is the column.
	others string
	// unpinned excludes rows of pinned runs ("1=1" when not applicable).
	unpinned string
	del      func(ctx context.Context, ids []uuid.UUID) error
}

// pinned is the condition "run <alias> is pinned" (metadata.pinned is JSON
// true); never NULL.
func (s *Service) pinned(alias string) string {
	if s.db.Dialect == db.SQLite {
		return "COALESCE(json_type(" + alias + ".data, '$.pinned') = 'true', 0)"
	}
	return "COALESCE((" + alias + ".data -> 'pinned') = 'true'::jsonb, false)"
}

func (s *Service) pinnedRuns() string {
	return "SELECT pr.id FROM runs pr WHERE " + s.pinned("pr")
}

// overridden is the subquery of the projects overriding column.
func overridden(column string) string {
	return "SELECT project_id FROM " + retentionTable + " WHERE " + column + " IS NOT NULL"
}

// overrides loads the projects overriding column, with their days.
func (s *Service) overrides(ctx context.Context, column string) (map[uuid.UUID]int, error) {
	var rows []struct {
		ProjectID uuid.UUID
		Days      int
	}
	err := s.db.Conn(ctx).Raw("SELECT project_id, " + column + " AS days FROM " + retentionTable + " WHERE " + column + " IS NOT NULL").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load project retention: %w", err)
	}
	out := make(map[uuid.UUID]int, len(rows))
	for _, r := range rows {
		out[r.ProjectID] = r.Days
	}
	return out, nil
}

// prune deletes the rows of k older than defaultCutoff (nil: the default
// does not apply) in projects without an override, then, per project with
// an override of d > 0 days, its rows older than d days. Rows of pinned runs
// are kept.
func (s *Service) prune(ctx context.Context, k kind, defaultCutoff *time.Time) (int64, error) {
	var total int64
	if defaultCutoff != nil {
		others := fmt.Sprintf(k.others, k.column)
		n, err := s.deleteBatches(ctx, fmt.Sprintf(k.pick, others, k.unpinned), []any{*defaultCutoff}, k.del)
		total += n
		if err != nil {
			return total, err
		}
	}
	over, err := s.overrides(ctx, k.column)
	if err != nil {
		return total, err
	}
	for pid, days := range over {
		if days <= 0 {
			continue // 0 = keep forever
		}
		cutoff := s.now().AddDate(0, 0, -days)
		args := []any{cutoff}
		for i := strings.Count(k.project, "?"); i > 0; i-- {
			args = append(args, pid)
		}
		n, err := s.deleteBatches(ctx, fmt.Sprintf(k.pick, k.project, k.unpinned), args, k.del)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

func (s *Service) importKind() kind {
	ref := "(data ->> 'project_id')"
	if s.db.Dialect == db.SQLite {
		ref = "json_extract(data, '$.project_id')"
	}
	return kind{
		column:   "import_days",
		pick:     "SELECT id FROM imports WHERE created < ? AND %s AND %s ORDER BY created LIMIT ?",
		project:  ref + " = CAST(? AS TEXT)",
		others:   "(" + ref + " IS NULL OR " + ref + " NOT IN (SELECT CAST(project_id AS TEXT) FROM " + retentionTable + " WHERE %s IS NOT NULL))",
		unpinned: "1=1",
		del: func(ctx context.Context, ids []uuid.UUID) error {
			// The chunks (migration 00004) would go by cascade too; deleting
			// them first does not depend on SQLite's foreign_keys pragma.
			if err := s.exec(ctx, "DELETE FROM "+importChunkTable+" WHERE file_id IN (SELECT id FROM import_files WHERE import_id IN ?)", ids); err != nil {
				return err
			}
			if err := s.exec(ctx, "DELETE FROM import_files WHERE import_id IN ?", ids); err != nil {
				return err
			}
			return s.exec(ctx, "DELETE FROM imports WHERE id IN ?", ids)
		},
	}
}

// PruneImports deletes import records (and their files and chunks) older than days,
// or than their project's import_days.
func (s *Service) PruneImports(ctx context.Context, days int) (string, error) {
	var cutoff *time.Time
	if days >= 1 {
		c := s.now().AddDate(0, 0, -days)
		cutoff = &c
	}
	n, err := s.prune(ctx, s.importKind(), cutoff)
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

func (s *Service) artifactKind() kind {
	inProject := "(EXISTS (SELECT 1 FROM results r WHERE r.id = artifacts.result_id AND r.project_id %[1]s)" +
		" OR EXISTS (SELECT 1 FROM runs u WHERE u.id = artifacts.run_id AND u.project_id %[1]s))"
	return kind{
		column:  "artifact_days",
		pick:    "SELECT id FROM artifacts WHERE upload_date < ? AND %s AND %s LIMIT ?",
		project: fmt.Sprintf(inProject, "= ?"),
		others:  "NOT " + fmt.Sprintf(inProject, "IN ("+overridden("%[1]s")+")"),
		unpinned: "NOT ((artifacts.run_id IS NOT NULL AND artifacts.run_id IN (" + s.pinnedRuns() + "))" +
			" OR (artifacts.result_id IS NOT NULL AND artifacts.result_id IN (SELECT pres.id FROM results pres" +
			" WHERE pres.run_id IN (" + s.pinnedRuns() + "))))",
		del: func(ctx context.Context, ids []uuid.UUID) error {
			return s.exec(ctx, "DELETE FROM artifacts WHERE id IN ?", ids)
		},
	}
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
	n, err := s.prune(ctx, s.artifactKind(), cutoff)
	if err != nil {
		return "", err
	}
	if cutoff == nil {
		return skipped(fmt.Sprintf("Skipped: months parameter (%d) must be >= 2", months), n, "artifacts"), nil
	}
	return fmt.Sprintf("Deleted %d artifacts older than %d months", n, months), nil
}

func (s *Service) resultKind() kind {
	return kind{
		column:   "result_days",
		pick:     "SELECT id FROM results WHERE start_time < ? AND %s AND %s LIMIT ?",
		project:  "project_id = ?",
		others:   "(project_id IS NULL OR project_id NOT IN (" + overridden("%s") + "))",
		unpinned: "(run_id IS NULL OR run_id NOT IN (" + s.pinnedRuns() + "))",
		del: func(ctx context.Context, ids []uuid.UUID) error {
			if err := s.exec(ctx, "DELETE FROM artifacts WHERE result_id IN ?", ids); err != nil {
				return err
			}
			return s.exec(ctx, "DELETE FROM results WHERE id IN ?", ids)
		},
	}
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
	n, err := s.prune(ctx, s.resultKind(), cutoff)
	if err != nil {
		return "", err
	}
	if cutoff == nil {
		return skipped(fmt.Sprintf("Skipped: months parameter (%d) must be >= 4", months), n, "results"), nil
	}
	return fmt.Sprintf("Deleted %d results older than %d months", n, months), nil
}

func (s *Service) runKind() kind {
	return kind{
		column:   "run_days",
		pick:     "SELECT id FROM runs WHERE start_time < ? AND %s AND NOT %s LIMIT ?",
		project:  "project_id = ?",
		others:   "(project_id IS NULL OR project_id NOT IN (" + overridden("%s") + "))",
		unpinned: s.pinned("runs"),
		del: func(ctx context.Context, ids []uuid.UUID) error {
			if err := s.exec(ctx, "DELETE FROM artifacts WHERE run_id IN ? OR result_id IN (SELECT id FROM results WHERE run_id IN ?)", ids, ids); err != nil {
				return err
			}
			if err := s.exec(ctx, "DELETE FROM results WHERE run_id IN ?", ids); err != nil {
				return err
			}
			return s.exec(ctx, "DELETE FROM runs WHERE id IN ?", ids)
		},
	}
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
	n, err := s.prune(ctx, s.runKind(), cutoff)
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
