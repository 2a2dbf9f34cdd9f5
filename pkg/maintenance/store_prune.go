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
func (st store) pinned(alias string) string {
	if st.db.Dialect == db.SQLite {
		return "COALESCE(json_type(" + alias + ".data, '$.pinned') = 'true', 0)"
	}
	return "COALESCE((" + alias + ".data -> 'pinned') = 'true'::jsonb, false)"
}

func (st store) pinnedRuns() string {
	return "SELECT pr.id FROM runs pr WHERE " + st.pinned("pr")
}

// overridden is the subquery of the projects overriding column.
func overridden(column string) string {
	return "SELECT project_id FROM " + retentionTable + " WHERE " + column + " IS NOT NULL"
}

func (st store) importKind() kind {
	ref := "(data ->> 'project_id')"
	if st.db.Dialect == db.SQLite {
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
			if err := st.exec(ctx, "DELETE FROM "+importChunkTable+" WHERE file_id IN (SELECT id FROM import_files WHERE import_id IN ?)", ids); err != nil {
				return err
			}
			if err := st.exec(ctx, "DELETE FROM import_files WHERE import_id IN ?", ids); err != nil {
				return err
			}
			return st.exec(ctx, "DELETE FROM imports WHERE id IN ?", ids)
		},
	}
}

func (st store) artifactKind() kind {
	inProject := "(EXISTS (SELECT 1 FROM results r WHERE r.id = artifacts.result_id AND r.project_id %[1]s)" +
		" OR EXISTS (SELECT 1 FROM runs u WHERE u.id = artifacts.run_id AND u.project_id %[1]s))"
	return kind{
		column:  "artifact_days",
		pick:    "SELECT id FROM artifacts WHERE upload_date < ? AND %s AND %s LIMIT ?",
		project: fmt.Sprintf(inProject, "= ?"),
		others:  "NOT " + fmt.Sprintf(inProject, "IN ("+overridden("%[1]s")+")"),
		unpinned: "NOT ((artifacts.run_id IS NOT NULL AND artifacts.run_id IN (" + st.pinnedRuns() + "))" +
			" OR (artifacts.result_id IS NOT NULL AND artifacts.result_id IN (SELECT pres.id FROM results pres" +
			" WHERE pres.run_id IN (" + st.pinnedRuns() + "))))",
		del: func(ctx context.Context, ids []uuid.UUID) error {
			return st.exec(ctx, "DELETE FROM artifacts WHERE id IN ?", ids)
		},
	}
}

// ownProjectColumn sets k's project conditions for a table that carries its
// own project_id column (results, runs): rows of the project, and rows of
// no project or of one that does not override the column.
func ownProjectColumn(k kind) kind {
	k.project = "project_id = ?"
	k.others = "(project_id IS NULL OR project_id NOT IN (" + overridden("%s") + "))"
	return k
}

// resultKind prunes results, of runs that may stay. On PostgreSQL each
// result deleted leaves a row in ibutsu_flaky_run_touched (migration
// 00026: the results delete trigger appends -1 result, and -1 failure for
// a failed or errored one, per result with a run and a test id), which no
// refresh takes at once: a prune triggers none. The rows keep the run's
// flaky figures exact, not stale: a refresh of the run adds them to the
// figures it stored (ibutsu_flaky_run_tests) and gets what the run holds
// now; a test without stored figures is counted from results instead;
// and the periodic refresh drops a run's rows a day old together with its
// stored figures (flaky pruneTouched), so its next refresh counts from
// results. Only their space waits for that prune
// (TestPruneResultsKeepsFlakyFiguresExact).
func (st store) resultKind() kind {
	return ownProjectColumn(kind{
		column:   "result_days",
		pick:     "SELECT id FROM results WHERE start_time < ? AND %s AND %s LIMIT ?",
		unpinned: "(run_id IS NULL OR run_id NOT IN (" + st.pinnedRuns() + "))",
		del: func(ctx context.Context, ids []uuid.UUID) error {
			if err := st.lockFlaky(ctx, "SELECT DISTINCT project_id FROM results WHERE id IN ? AND project_id IS NOT NULL", ids); err != nil {
				return err
			}
			if err := st.exec(ctx, "DELETE FROM artifacts WHERE result_id IN ?", ids); err != nil {
				return err
			}
			return st.exec(ctx, "DELETE FROM results WHERE id IN ?", ids)
		},
	})
}

func (st store) runKind() kind {
	return ownProjectColumn(kind{
		column:   "run_days",
		pick:     "SELECT id FROM runs WHERE start_time < ? AND %s AND NOT %s LIMIT ?",
		unpinned: st.pinned("runs"),
		del: func(ctx context.Context, ids []uuid.UUID) error {
			// The runs first, then the projects (store_locks.go).
			if err := st.lockRuns(ctx, ids); err != nil {
				return err
			}
			if err := st.lockFlaky(ctx, "SELECT DISTINCT project_id FROM results WHERE run_id IN ? AND project_id IS NOT NULL", ids); err != nil {
				return err
			}
			if err := st.exec(ctx, "DELETE FROM artifacts WHERE run_id IN ? OR result_id IN (SELECT id FROM results WHERE run_id IN ?)", ids, ids); err != nil {
				return err
			}
			if err := st.exec(ctx, "DELETE FROM results WHERE run_id IN ?", ids); err != nil {
				return err
			}
			return st.exec(ctx, "DELETE FROM runs WHERE id IN ?", ids)
		},
	})
}

// pruneUnlessOverridden deletes the rows of k older than cutoff in the
// projects without an override for k (and in no project).
func (st store) pruneUnlessOverridden(ctx context.Context, k kind, cutoff time.Time) (int64, error) {
	others := fmt.Sprintf(k.others, k.column)
	return st.deleteBatches(ctx, fmt.Sprintf(k.pick, others, k.unpinned), []any{cutoff}, k.del)
}

// pruneProject deletes the rows of k in project pid older than cutoff.
func (st store) pruneProject(ctx context.Context, k kind, pid uuid.UUID, cutoff time.Time) (int64, error) {
	args := []any{cutoff}
	for i := strings.Count(k.project, "?"); i > 0; i-- {
		args = append(args, pid)
	}
	return st.deleteBatches(ctx, fmt.Sprintf(k.pick, k.project, k.unpinned), args, k.del)
}
