package fingerprint

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"

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
		err := d.Conn(ctx).Where("result IN ? AND id > ? AND NOT EXISTS (SELECT 1 FROM ibutsu_result_fingerprints f WHERE f.result_id = results.id)",
			[]string{"failed", "error"}, after).Order("id").Limit(backfillBatch).Find(&rows).Error
		if err != nil {
			return total, fmt.Errorf("find results to fingerprint: %w", err)
		}
		if len(rows) == 0 {
			break
		}
		if err := d.WithTx(ctx, func(ctx context.Context) error { return Record(ctx, d, rows) }); err != nil {
			return total, err
		}
		total += len(rows)
		after = rows[len(rows)-1].ID
		if len(rows) < backfillBatch {
			break
		}
	}
	return total, nil
}
