package importer

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// repoint moves results that already exist to their (new) run, as upstream
// does for an archive result whose id is known, and returns the rest.
func (w *writer) repoint(ctx context.Context, rows []model.Result) ([]model.Result, error) {
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	// Their runs first, so the projects the guard reads are not changed by
	// a run move before the update (the move waits), and in the order a
	// move takes run and results (lockResultRuns); then the results.
	if err := lockResultRuns(ctx, w.db, ids); err != nil {
		return nil, err
	}
	found, err := w.lockExisting(ctx, ids)
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return rows, nil
	}
	known := make(map[uuid.UUID]bool, len(found))
	for _, f := range found {
		if w.guard != nil {
			if err := w.guard(f.ID, f.ProjectID); err != nil {
				return nil, err
			}
		}
		known[f.ID] = true
		w.existing[f.ID] = true
	}
	fresh := rows[:0:0]
	byRun := map[uuid.UUID][]uuid.UUID{}
	for _, r := range rows {
		if !known[r.ID] {
			fresh = append(fresh, r)
			continue
		}
		byRun[*r.RunID] = append(byRun[*r.RunID], r.ID)
	}
	for runID, ids := range byRun {
		if err := w.db.Conn(ctx).Model(&model.Result{}).Where("id IN ?", ids).Update("run_id", runID).Error; err != nil {
			return nil, fmt.Errorf("re-point existing results: %w", err)
		}
	}
	return fresh, nil
}

// storedResult is a stored result repoint found: its id and project.
type storedResult struct {
	ID        uuid.UUID
	ProjectID *uuid.UUID
}

// lockExisting reads which of ids are stored results, with their project,
// and on PostgreSQL locks them FOR NO KEY UPDATE, in id order, until the
// import's transaction ends. Fingerprint, classification and audit rows
// have no foreign key to their result there (migrations 00027, 00028): a
// statement trigger deletes them with it, and it cannot see rows that a
// transaction still in flight writes. These results were written by
// others, so without the lock a result deleted between this read and
// fingerprint.Record kept a fingerprint naming nothing. With it a DELETE
// in flight makes this read wait and then not return the result, which
// the import then writes as new: the archive says the result exists, and
// the delete came first. A DELETE after the read waits for the import.
// The lock is the one the re-point's UPDATE takes anyway, taken earlier:
// the guard also sees the project the row has when it is moved, and id
// order keeps two re-imports of overlapping archives from deadlocking.
// SQLite keeps the keys and admits one writer at a time.
func (w *writer) lockExisting(ctx context.Context, ids []uuid.UUID) ([]storedResult, error) {
	var found []storedResult
	q := w.db.Conn(ctx).Model(&model.Result{}).Select("id, project_id").Where("id IN ?", ids).Order("id")
	if w.db.Dialect == db.Postgres {
		q = q.Clauses(clause.Locking{Strength: "NO KEY UPDATE"})
	}
	if err := q.Scan(&found).Error; err != nil {
		return nil, fmt.Errorf("look up existing results: %w", err)
	}
	return found, nil
}
