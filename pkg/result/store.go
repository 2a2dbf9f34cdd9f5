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
