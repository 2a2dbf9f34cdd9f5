package quarantine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

var errNotFound = errors.New("quarantine entry not found")

// store reads and writes ibutsu_quarantine (migration 00012).
type store struct {
	db *db.DB
}

// match is p in the dialect's matching syntax, stored in `match`.
func (s store) match(p Pattern) string {
	if s.db.Dialect == db.SQLite {
		return p.GlobPattern()
	}
	return p.LikePattern()
}

// matchSQL is the condition "test id column col matches entry q".
func (s store) matchSQL(col string) string {
	if s.db.Dialect == db.SQLite {
		return `(q.pattern = ` + col + ` OR (q.is_glob AND ` + col + ` GLOB q.match))`
	}
	// Backslash is LIKE's default escape character: no ESCAPE clause, which
	// PostgreSQL would evaluate (like_escape) for every row.
	return `(q.pattern = ` + col + ` OR (q.is_glob AND ` + col + ` LIKE q.match))`
}

func (s store) list(ctx context.Context, projectID uuid.UUID, offset, limit int) ([]Entry, int64, error) {
	var total int64
	q := s.db.Conn(ctx).Model(&Entry{}).Where("project_id = ?", projectID)
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count quarantine: %w", err)
	}
	var out []Entry
	if err := q.Order("pattern").Offset(offset).Limit(limit).Find(&out).Error; err != nil {
		return nil, 0, fmt.Errorf("list quarantine: %w", err)
	}
	return out, total, nil
}

func (s store) get(ctx context.Context, projectID, id uuid.UUID) (*Entry, error) {
	return db.Take[Entry](s.db.Conn(ctx).Where("id = ? AND project_id = ?", id, projectID), errNotFound, "quarantine entry")
}

// duplicate is the answer to a pattern the project already has.
func duplicate(pattern string) error {
	return fieldError("pattern", "%q is already quarantined in this project", pattern)
}

// create inserts e unless its project has max entries or the pattern.
func (s store) create(ctx context.Context, e *Entry, maxEntries int) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.lockProject(ctx, e.ProjectID); err != nil {
			return err
		}
		var n int64
		if err := s.db.Conn(ctx).Model(&Entry{}).Where("project_id = ?", e.ProjectID).Count(&n).Error; err != nil {
			return fmt.Errorf("count quarantine: %w", err)
		}
		if n >= int64(maxEntries) {
			return apperr.Invalid("A project can quarantine at most %d patterns", maxEntries)
		}
		if err := s.taken(ctx, e); err != nil {
			return err
		}
		if err := s.db.Conn(ctx).Create(e).Error; err != nil {
			return fmt.Errorf("create quarantine entry: %w", err)
		}
		return nil
	})
}

// lockProject takes, on PostgreSQL, the transaction lock on one project's
// quarantine list that every create and update holds from its checks (the
// bound, a free pattern) to its commit: creates sent together all counted
// the same rows and all went in, past MaxEntries, and a pattern taken by
// a request in flight failed on the unique index instead of with the
// "already quarantined" 400. SQLite runs one writer at a time.
func (s store) lockProject(ctx context.Context, projectID uuid.UUID) error {
	return s.db.TxLock(ctx, "quarantine list", "ibutsu-quarantine:"+projectID.String())
}

// taken is the duplicate error when another entry of e's project has its
// pattern (the unique index stays the last word under races).
func (s store) taken(ctx context.Context, e *Entry) error {
	var n int64
	err := s.db.Conn(ctx).Model(&Entry{}).Where("project_id = ? AND pattern = ? AND id <> ?", e.ProjectID, e.Pattern, e.ID).Count(&n).Error
	if err != nil {
		return fmt.Errorf("check quarantine pattern: %w", err)
	}
	if n > 0 {
		return duplicate(e.Pattern)
	}
	return nil
}

func (s store) update(ctx context.Context, e *Entry) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.lockProject(ctx, e.ProjectID); err != nil {
			return err
		}
		if err := s.taken(ctx, e); err != nil {
			return err
		}
		return db.Done(s.db.Conn(ctx).Model(&Entry{}).Where("id = ? AND project_id = ?", e.ID, e.ProjectID).
			Updates(map[string]any{"pattern": e.Pattern, "is_glob": e.IsGlob, "match": e.Match, "reason": e.Reason,
				"owner": e.Owner, "expires": e.Expires, "updated": e.Updated}), "update quarantine entry")
	})
}

func (s store) remove(ctx context.Context, projectID, id uuid.UUID) (int64, error) {
	res := s.db.Conn(ctx).Where("id = ? AND project_id = ?", id, projectID).Delete(&Entry{})
	if res.Error != nil {
		return 0, fmt.Errorf("delete quarantine entry: %w", res.Error)
	}
	return res.RowsAffected, nil
}

// active lists the entries of the projects that apply at now.
func (s store) active(ctx context.Context, projectIDs []uuid.UUID, now time.Time) ([]Entry, error) {
	var out []Entry
	err := s.db.Conn(ctx).Where("project_id IN ? AND (expires IS NULL OR expires > ?)", projectIDs, now).
		Order("pattern").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("active quarantine: %w", err)
	}
	return out, nil
}

// activeLookup reads the patterns of the projects' entries that apply at
// now, by project, as a page look-up (db.Lookup: k the project, a the
// pattern, n 1 for a glob).
func (s store) activeLookup(projectIDs []uuid.UUID, now time.Time, read func(byProject map[uuid.UUID][]Pattern)) db.Lookup {
	return db.Lookup{
		SQL: `SELECT project_id AS k, pattern AS a, NULL AS b, NULL AS c, CASE WHEN is_glob THEN 1 ELSE 0 END AS n
			FROM ibutsu_quarantine WHERE project_id IN ? AND (expires IS NULL OR expires > ?)`,
		Args: []any{projectIDs, now},
		Read: func(rows []db.LookupRow) {
			byProject := map[uuid.UUID][]Pattern{}
			for _, r := range rows {
				byProject[r.K] = append(byProject[r.K], Pattern{Text: model.Deref(r.A), Glob: r.N == 1})
			}
			read(byProject)
		},
	}
}

// runCountsLookup counts each run's failed and errored results matching an
// entry of the result's project that applies at now, as a page look-up
// (k the run, n the count; runs without any are absent). projectIDs are the
// runs' projects: when none of them has an entry applying now, the count
// reads no result at all.
func (s store) runCountsLookup(runIDs, projectIDs []uuid.UUID, now time.Time, out map[uuid.UUID]int) db.Lookup {
	return db.Lookup{
		SQL:  s.runCountsSQL(),
		Args: []any{runIDs, projectIDs, now, now},
		Read: func(rows []db.LookupRow) {
			for _, r := range rows {
				out[r.K] = int(r.N)
			}
		},
	}
}

// nodeRow is what the latest result of a test says about its pytest node.
type nodeRow struct {
	NodeID *string
	FSPath *string
}

// node reads metadata.node_id and metadata.fspath of the project's latest
// result of testID (index ix_results_test_id).
func (s store) node(ctx context.Context, projectID uuid.UUID, testID string) (*nodeRow, error) {
	sel := `SELECT data ->> 'node_id' AS node_id, data ->> 'fspath' AS fs_path`
	if s.db.Dialect == db.SQLite {
		sel = `SELECT json_extract(data, '$.node_id') AS node_id, json_extract(data, '$.fspath') AS fs_path`
	}
	var rows []nodeRow
	err := s.db.Conn(ctx).Raw(sel+` FROM results WHERE test_id = ? AND project_id = ?
		ORDER BY start_time DESC LIMIT 1`, testID, projectID).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("test node id: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return &rows[0], nil
}

// runCountsSQL counts the quarantined failures of runs (parameters: the
// run ids, their project ids and now twice). The patterns are matched once
// per distinct test id of the runs' failures (runs of one job share most
// of them), not once per result. The uncorrelated EXISTS is evaluated once
// (a one-time filter in PostgreSQL's plan): without an entry in the runs'
// projects no result is read.
func (s store) runCountsSQL() string {
	return `WITH f AS (
			SELECT r.run_id, r.project_id, r.test_id FROM results r
			WHERE r.run_id IN ? AND r.result IN ('failed', 'error') AND r.test_id IS NOT NULL
			AND EXISTS (SELECT 1 FROM ibutsu_quarantine q0 WHERE q0.project_id IN ? AND (q0.expires IS NULL OR q0.expires > ?))
		), t AS (
			SELECT DISTINCT project_id, test_id FROM f
		), m AS MATERIALIZED (
			SELECT t.project_id, t.test_id FROM t WHERE EXISTS (
				SELECT 1 FROM ibutsu_quarantine q WHERE q.project_id = t.project_id
				AND (q.expires IS NULL OR q.expires > ?) AND ` + s.matchSQL("t.test_id") + `)
		)
		SELECT f.run_id AS k, NULL AS a, NULL AS b, NULL AS c, COUNT(*) AS n
		FROM f JOIN m ON m.project_id = f.project_id AND m.test_id = f.test_id
		GROUP BY f.run_id`
}
