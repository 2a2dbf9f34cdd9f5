package importer

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// runExists reports whether a run with id is stored.
func (st store) runExists(ctx context.Context, id uuid.UUID) (bool, error) {
	return db.Exists(st.db.Conn(ctx).Model(&model.Run{}).Where("id = ?", id), "run id")
}

// lockRunID takes, on PostgreSQL, a transaction lock on the run id an
// archive's run.json names: the import's check whether the run exists and
// its insert (or merge) then happen with no other import of that id in
// between. Archives of one run imported together (several CI workers'
// archives of one run) each merged their metadata into the copy of the run
// they had read, and the last save dropped the others' keys; those that
// found no run each inserted it, and all but the first failed on the
// primary key and were retried.
func (st store) lockRunID(ctx context.Context, id uuid.UUID) error {
	return st.db.TxLock(ctx, "run id", "ibutsu-import-run:"+id.String())
}

// runForMerge locks run id (lockRunID) and loads it with its row locked,
// nil when there is none: an archive merges its metadata into what it
// reads here, so PUT /run (which locks the row FOR UPDATE) cannot change
// the run between this read and the save. FOR NO KEY UPDATE, as the
// summary takes, leaves results being inserted into the run (whose foreign
// key checks hold KEY SHARE on it) free to go on during the import.
func (st store) runForMerge(ctx context.Context, id uuid.UUID) (*model.Run, error) {
	if err := st.lockRunID(ctx, id); err != nil {
		return nil, err
	}
	q := st.db.Conn(ctx)
	if st.db.Dialect == db.Postgres {
		q = q.Clauses(clause.Locking{Strength: "NO KEY UPDATE"})
	}
	return db.Take[model.Run](q.Where("id = ?", id), nil, "run")
}

// lockResultRuns locks, on PostgreSQL, the runs the results ids are in now,
// FOR KEY SHARE and in id order, before an archive import re-points those
// results to its run. The re-pointing UPDATE holds the results' rows and
// then its counts trigger takes the same lock on the runs they leave (a
// key check); a move of such a run (PUT /run), which holds its run and
// then locks the run's results, deadlocked with it. Runs first is the
// order the move takes them in.
func lockResultRuns(ctx context.Context, d *db.DB, ids []uuid.UUID) error {
	if d.Dialect != db.Postgres || !db.InTx(ctx) {
		return nil
	}
	var got []uuid.UUID
	if err := d.Conn(ctx).Raw(`SELECT id FROM runs WHERE id IN (SELECT run_id FROM results WHERE id IN ?)
		ORDER BY id FOR KEY SHARE`, ids).Scan(&got).Error; err != nil {
		return fmt.Errorf("lock the runs of re-pointed results: %w", err)
	}
	return nil
}

// createRun inserts a run.
func (st store) createRun(ctx context.Context, r *model.Run) error {
	if err := st.db.Conn(ctx).Create(r).Error; err != nil {
		return fmt.Errorf("insert run: %w", err)
	}
	return nil
}

// saveRun writes every column of an existing run.
func (st store) saveRun(ctx context.Context, r *model.Run) error {
	if err := st.db.Conn(ctx).Save(r).Error; err != nil {
		return fmt.Errorf("update run: %w", err)
	}
	return nil
}

// setRunSummary writes a run's summary and duration.
func (st store) setRunSummary(ctx context.Context, id uuid.UUID, summary model.JSON, duration float64) error {
	if err := st.db.Conn(ctx).Model(&model.Run{}).Where("id = ?", id).
		Updates(map[string]any{"summary": summary, "duration": duration}).Error; err != nil {
		return fmt.Errorf("update run summary: %w", err)
	}
	return nil
}

// dropArtifact removes the artifact named name of the run or result owner
// (col is run_id or result_id).
func (st store) dropArtifact(ctx context.Context, col string, owner uuid.UUID, name string) error {
	if err := st.db.Conn(ctx).Where(col+" = ? AND filename = ?", owner, name).Delete(&model.Artifact{}).Error; err != nil {
		return fmt.Errorf("replace artifact %s: %w", name, err)
	}
	return nil
}
