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

// Update applies PUT /result/{id} as one transaction that holds the result's
// row from load to save, so concurrent PUTs merging different metadata keys
// serialise and none is lost: PostgreSQL takes a row lock (SELECT ... FOR
// UPDATE), SQLite's immediate transactions already admit one writer at a time.
func (s *Service) Update(ctx context.Context, u *model.User, id uuid.UUID, body map[string]any) (*model.Result, error) {
	var out *model.Result
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		var err error
		out, err = s.update(ctx, u, id, body)
		return err
	})
	return out, err
}

// getForUpdate loads a result and, inside a transaction on PostgreSQL, locks
// its row until the transaction ends.
func (s *Service) getForUpdate(ctx context.Context, id uuid.UUID) (*model.Result, error) {
	var r model.Result
	err := ForUpdate(ctx, s.db).Where("id = ?", id).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load result: %w", err)
	}
	return &r, nil
}

// lockResults loads the results of ids for a bulk update, locking their rows
// in id order (a fixed order, so two bulk updates over overlapping ids cannot
// deadlock).
func (s *Service) lockResults(ctx context.Context, ids []uuid.UUID, rows *[]model.Result) error {
	return ForUpdate(ctx, s.db).Where("id IN ?", ids).Order("id").Find(rows).Error
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
