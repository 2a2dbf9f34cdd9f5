package result

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// matchingIDs locks and returns, in id order, at most limit ids of the
// results matching filters within scope — the rows GET /result would list
// for the same filters. Call it inside db.WithTx so the lock holds until
// the bulk update commits.
func (s store) matchingIDs(ctx context.Context, scope func(*gorm.DB) *gorm.DB, filters []string, limit int) ([]uuid.UUID, error) {
	where, args, err := filter.Build(filter.DialectOf(s.db), filter.Results, filters)
	if err != nil {
		return nil, err
	}
	q := ForUpdate(ctx, s.db).Model(&model.Result{})
	if scope != nil {
		q = scope(q)
	}
	if where != "" {
		q = q.Where(where, args...)
	}
	var ids []uuid.UUID
	if err := q.Order("id").Limit(limit).Pluck("id", &ids).Error; err != nil {
		return nil, fmt.Errorf("select results to update: %w", err)
	}
	return ids, nil
}
