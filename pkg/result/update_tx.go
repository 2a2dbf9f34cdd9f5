package result

import (
	"context"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/fingerprint"
	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// Update applies PUT /result/{id} as one transaction that holds the result's
// row from load to save, so concurrent PUTs merging different metadata keys
// serialise and none is lost: PostgreSQL takes a row lock (SELECT ... FOR
// UPDATE), SQLite's immediate transactions already admit one writer at a time.
func (s *Service) Update(ctx context.Context, u *model.User, id uuid.UUID, req UpdateRequest) (*model.Result, error) {
	var out *model.Result
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		var err error
		out, err = s.update(ctx, u, id, req)
		if err == nil {
			err = fingerprint.Refresh(ctx, s.db, out)
		}
		return err
	})
	return out, err
}
