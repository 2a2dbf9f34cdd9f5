package run

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/result"
)

// Update applies PUT /run/{id} as one transaction that holds the run's row
// from load to save, so concurrent PUTs (and the summary task, which locks
// the same row) merging different metadata keys serialise and none is lost.
func (s *Service) Update(ctx context.Context, u *model.User, id uuid.UUID, body map[string]any) (*model.Run, error) {
	var out *model.Run
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		var err error
		out, err = s.update(ctx, u, id, body)
		return err
	})
	return out, err
}

// getForUpdate loads a run and, inside a transaction on PostgreSQL, locks its
// row until the transaction ends.
func (s *Service) getForUpdate(ctx context.Context, id uuid.UUID) (*model.Run, error) {
	var r model.Run
	err := result.ForUpdate(ctx, s.db).Where("id = ?", id).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load run: %w", err)
	}
	return &r, nil
}

// relock re-reads the runs a bulk update selected, locking their rows in id
// order (so overlapping bulk updates cannot deadlock), and replaces each with
// its current state: the merge then starts from what is committed, not from
// the unlocked list read. A run deleted meanwhile is dropped.
func (s *Service) relock(ctx context.Context, runs []model.Run) ([]model.Run, error) {
	if len(runs) == 0 {
		return runs, nil
	}
	ids := make([]uuid.UUID, len(runs))
	for i := range runs {
		ids[i] = runs[i].ID
	}
	var fresh []model.Run
	if err := result.ForUpdate(ctx, s.db).Where("id IN ?", ids).Order("id").Find(&fresh).Error; err != nil {
		return nil, fmt.Errorf("lock runs: %w", err)
	}
	byID := make(map[uuid.UUID]model.Run, len(fresh))
	for _, r := range fresh {
		byID[r.ID] = r
	}
	out := runs[:0]
	for _, r := range runs {
		if f, ok := byID[r.ID]; ok {
			out = append(out, f)
		}
	}
	return out, nil
}
