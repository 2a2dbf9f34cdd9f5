package result

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// store is the results table as the service uses it: every SQL statement of
// the package but the list queries (store_list.go) and the batched inserts
// (batcher.go).
type store struct {
	db *db.DB
}

// get loads a result; ErrNotFound when there is none.
func (s store) get(ctx context.Context, id uuid.UUID) (*model.Result, error) {
	return s.take(ctx, s.db.Conn(ctx), id)
}

// getForUpdate loads a result and, inside a transaction on PostgreSQL, locks
// its row until the transaction ends.
func (s store) getForUpdate(ctx context.Context, id uuid.UUID) (*model.Result, error) {
	return s.take(ctx, ForUpdate(ctx, s.db), id)
}

func (s store) take(_ context.Context, q *gorm.DB, id uuid.UUID) (*model.Result, error) {
	return db.Take[model.Result](q.Where("id = ?", id), ErrNotFound, "result")
}

// lockRunsOf locks, on PostgreSQL inside a transaction, the run result id
// is in (as last committed) and the run target names (nil: none), FOR KEY
// SHARE and in id order, before the caller locks the result's row, and
// returns the ids it locked (nil on SQLite, whose write transactions
// admit one writer at a time). A run move holds its run FOR UPDATE and
// then updates the run's results; a PUT /result that held the result's
// row first and then needed the run — its target's key check, or the
// counts trigger's key check on the run it leaves — deadlocked with it.
// Runs before results, as the move takes them, makes one wait for the
// other instead. A run that does not exist is simply not returned.
func (s store) lockRunsOf(ctx context.Context, id uuid.UUID, target *uuid.UUID) (map[uuid.UUID]bool, error) {
	if s.db.Dialect != db.Postgres || !db.InTx(ctx) {
		return nil, nil
	}
	var ids []uuid.UUID
	err := s.db.Conn(ctx).Raw(`SELECT id FROM runs
		WHERE id = ANY(ARRAY[(SELECT run_id FROM results WHERE id = ?), CAST(? AS uuid)])
		ORDER BY id FOR KEY SHARE`, id, target).Scan(&ids).Error
	if err != nil {
		return nil, fmt.Errorf("lock the result's runs: %w", err)
	}
	held := make(map[uuid.UUID]bool, len(ids))
	for _, r := range ids {
		held[r] = true
	}
	return held, nil
}

// runExists reports whether a run with id exists.
func (s store) runExists(ctx context.Context, id uuid.UUID) (bool, error) {
	return db.Exists(s.db.Conn(ctx).Model(&model.Run{}).Where("id = ?", id), "run")
}

// save writes every column of an updated result.
func (s store) save(ctx context.Context, r *model.Result) error {
	if err := s.db.Conn(ctx).Save(r).Error; err != nil {
		return fmt.Errorf("update result: %w", err)
	}
	return nil
}

// lockResults loads the results of ids for a bulk update, locking their rows
// in id order (a fixed order, so two bulk updates over overlapping ids cannot
// deadlock).
func (s store) lockResults(ctx context.Context, ids []uuid.UUID) ([]model.Result, error) {
	var rows []model.Result
	if err := ForUpdate(ctx, s.db).Where("id IN ?", ids).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load results: %w", err)
	}
	return rows, nil
}

// saveMetadata writes a result's metadata and the columns derived from it.
func (s store) saveMetadata(ctx context.Context, r *model.Result) error {
	err := s.db.Conn(ctx).Model(&model.Result{}).Where("id = ?", r.ID).
		Updates(map[string]any{"data": r.Data, "env": r.Env, "component": r.Component}).Error
	if err != nil {
		return fmt.Errorf("bulk update result: %w", err)
	}
	return nil
}

// ForUpdate is the handle for ctx with a FOR UPDATE row lock on PostgreSQL
// (SQLite has no row locks; its write transactions are exclusive). Call it
// inside db.WithTx: outside a transaction the lock ends with the statement.
func ForUpdate(ctx context.Context, d *db.DB) *gorm.DB {
	q := d.Conn(ctx)
	if d.Dialect == db.Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return q
}

// isDuplicate reports an insert refused for an id that exists (PostgreSQL's
// unique violation; SQLite's driver errors are not classified).
func isDuplicate(err error) bool { return errors.Is(err, gorm.ErrDuplicatedKey) }

// isMissingReference reports an insert refused by a foreign key (a run id
// that does not exist, on PostgreSQL).
func isMissingReference(err error) bool { return errors.Is(err, gorm.ErrForeignKeyViolated) }
