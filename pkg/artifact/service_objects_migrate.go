package artifact

import (
	"context"
	"fmt"
	"io"

	"github.com/google/uuid"
)

// MigrateProgress is reported after every batch of Migrate.
type MigrateProgress struct {
	Moved, Skipped int
	Bytes          int64
	Last           uuid.UUID
}

// Migrate moves artifacts between the database and the store in batches of
// batch, in id order, calling progress after each batch. To the store it
// moves those at or above the threshold whose bytes are still in the
// database; with toDatabase it brings every stored object back. Each
// artifact moves in its own transaction and only when it is still as
// picked, so an interrupted run is resumed by running it again.
func (o *Objects) Migrate(ctx context.Context, toDatabase bool, batch int, progress func(MigrateProgress)) (MigrateProgress, error) {
	var p MigrateProgress
	for {
		ids, err := o.store.migrationBatch(ctx, toDatabase, o.cfg.Threshold, p.Last, batch)
		if err != nil {
			return p, err
		}
		for _, id := range ids {
			n, moved, err := o.moveOne(ctx, id, toDatabase)
			if err != nil {
				return p, fmt.Errorf("artifact %s: %w", id, err)
			}
			if moved {
				p.Moved++
				p.Bytes += n
			} else {
				p.Skipped++
			}
			p.Last = id
		}
		if len(ids) > 0 && progress != nil {
			progress(p)
		}
		if len(ids) < batch {
			return p, nil
		}
	}
}

func (o *Objects) moveOne(ctx context.Context, id uuid.UUID, toDatabase bool) (int64, bool, error) {
	if toDatabase {
		row, err := o.store.objectRow(ctx, id)
		if err != nil || row == nil {
			return 0, false, err
		}
		r, err := o.open(ctx, row, 0)
		if err != nil {
			return 0, false, err
		}
		b, err := io.ReadAll(r)
		_ = r.Close()
		if err != nil {
			return 0, false, fmt.Errorf("read object: %w", err)
		}
		if err := o.store.moveToDatabase(ctx, id, b); err != nil {
			return 0, false, err
		}
		return int64(len(b)), true, o.s.Delete(ctx, row.Key)
	}
	b, err := o.store.content(ctx, id)
	if err != nil {
		return 0, false, err
	}
	if int64(len(b)) < o.cfg.Threshold || len(b) == 0 {
		return 0, false, nil
	}
	key := o.key(id)
	etag, err := o.s.PutBytes(ctx, key, b)
	if err != nil {
		return 0, false, err
	}
	moved, err := o.store.moveToObject(ctx, ObjectRow{ArtifactID: id, Key: key, Size: int64(len(b)), ETag: etag})
	if err != nil || !moved {
		// Changed or deleted meanwhile: the object is not needed.
		_ = o.s.Delete(ctx, key)
		return 0, false, err
	}
	return int64(len(b)), true, nil
}
