package run

import (
	"context"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// Update applies PUT /run/{id} as one transaction that holds the run's row
// from load to save, so concurrent PUTs (and the summary task, which locks
// the same row) merging different metadata keys serialise and none is lost.
func (s *Service) Update(ctx context.Context, u *model.User, id uuid.UUID, req UpdateRequest) (*model.Run, error) {
	var out *model.Run
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		var err error
		out, err = s.update(ctx, u, id, req)
		return err
	})
	return out, err
}
