package fingerprint

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
)

// TypeBackfill fingerprints failed and errored results written before
// fingerprints existed, or by a writer that does not compute them (an
// upstream Python server sharing the database).
const TypeBackfill = "triage.backfill_fingerprints"

// Backfill bounds: rows per batch (one transaction each) and batches per
// task run, so one run holds no lock for long and ends in minutes; the
// next scheduled run goes on where this one stopped.
const (
	backfillBatch   = 500
	backfillBatches = 200
)

// Schedule runs the backfill hourly: a pass over results that finds
// nothing to do is one index walk, and new rows get their fingerprints on
// write anyway.
func Schedule() []queue.Periodic {
	return []queue.Periodic{{Name: "fingerprint-backfill", Spec: "@every 1h", Type: TypeBackfill, Payload: []byte(`{}`)}}
}

// RegisterBackfill registers the backfill task's handler.
func RegisterBackfill(reg *queue.Registry, d *db.DB, log *slog.Logger) {
	reg.Register(TypeBackfill, func(ctx context.Context, _ []byte) ([]byte, error) {
		n, err := Backfill(ctx, d, backfillBatches)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			log.Info("fingerprinted existing results", "count", n)
		}
		return json.Marshal(fmt.Sprintf("Fingerprinted %d results", n))
	}, queue.MaxRetry(3), queue.Timeout(30*time.Minute), queue.Retention(24*time.Hour))
}

// Backfill fingerprints up to batches×backfillBatch failed or errored
// results that have no fingerprint, walking results in id order, one
// transaction per batch. It is idempotent (rows are upserted) and
// resumable: what a stopped run did is kept, and the next finds only what
// is still missing. It returns how many results it fingerprinted.
func Backfill(ctx context.Context, d *db.DB, batches int) (int, error) {
	total := 0
	after := uuid.Nil
	for i := 0; i < batches; i++ {
		var rows []*model.Result
		err := d.WithTx(ctx, func(ctx context.Context) error {
			var err error
			if rows, err = lockUnfingerprinted(ctx, d, after); err != nil || len(rows) == 0 {
				return err
			}
			return Record(ctx, d, rows)
		})
		if err != nil {
			return total, err
		}
		if len(rows) == 0 {
			break
		}
		total += len(rows)
		after = rows[len(rows)-1].ID
		if len(rows) < backfillBatch {
			break
		}
	}
	return total, nil
}

// lockUnfingerprinted reads the next batch of failed and errored results
// after the id after that have no fingerprint, in the caller's transaction,
// and on PostgreSQL holds their rows FOR KEY SHARE until it ends. The
// fingerprint table has no foreign key to results (migration 00027): a
// result's fingerprint is deleted by a statement trigger when the result
// is, which cannot see a fingerprint written by a transaction still in
// flight. These are the one fingerprints written for results another
// transaction wrote, so the lock the key's check took is taken here: a
// DELETE of one of them waits for this transaction and its trigger then
// sees the new fingerprint, and a result deleted before is not read.
// SQLite keeps the key and admits one writer at a time.
func lockUnfingerprinted(ctx context.Context, d *db.DB, after uuid.UUID) ([]*model.Result, error) {
	var rows []*model.Result
	q := d.Conn(ctx).Where("result IN ? AND id > ? AND NOT EXISTS (SELECT 1 FROM ibutsu_result_fingerprints f WHERE f.result_id = results.id)",
		[]string{"failed", "error"}, after).Order("id").Limit(backfillBatch)
	if d.Dialect == db.Postgres {
		q = q.Clauses(clause.Locking{Strength: "KEY SHARE"})
	}
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("find results to fingerprint: %w", err)
	}
	return rows, nil
}
