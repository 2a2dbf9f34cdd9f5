package maintenance

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
)

// Defaults of the compaction trigger: a compaction is queued once 2,000
// write statements have appended count deltas since the last one, checked
// every 32 committed inserts of a backend. A reader then sums at most
// about that many delta rows per table beyond the compacted ones (each
// statement appends one row per group it touched, usually one), whatever
// the ingest rate, instead of everything written in the periodic job's
// 10 minutes.
const (
	DefaultCompactThreshold = 2000
	DefaultCompactEvery     = 32
)

// compactUnique is how long a threshold-queued compaction blocks another
// one with the same payload (asynq releases it when the task succeeds):
// backends crossing the threshold together queue one task, not one each.
const compactUnique = time.Minute

// Enqueuer queues tasks (queue.Queue).
type Enqueuer interface {
	Enqueue(ctx context.Context, typ string, payload []byte, opts ...queue.Option) (string, error)
}

// CompactTrigger queues a compaction of the count tables when their
// deltas pass a threshold, so readers stay fast under sustained ingest
// between the periodic compactions. Writers tell it about their commits
// (Wrote); every few of them one writer reads the statement count since
// the last compaction (migration 20's sequence: no row any writer waits
// on) and, past the threshold, queues the compaction task with a unique
// key, so replicas crossing it together add one task. The compaction
// itself runs in a worker under its advisory lock, as the periodic one.
type CompactTrigger struct {
	store     store
	queue     Enqueuer
	log       *slog.Logger
	threshold int64
	every     int64

	writes   atomic.Int64
	checking atomic.Bool
}

// NewCompactTrigger builds a trigger that checks every `every` writes and
// queues a compaction from `threshold` pending statements. It returns nil
// (a trigger that does nothing) on SQLite, which keeps no count tables.
func NewCompactTrigger(d *db.DB, q Enqueuer, threshold, every int, log *slog.Logger) *CompactTrigger {
	if d.Dialect != db.Postgres {
		return nil
	}
	return &CompactTrigger{store: store{db: d}, queue: q, log: log, threshold: int64(max(threshold, 1)), every: int64(max(every, 1))}
}

// Wrote notes one committed write (a batch of results inserted in one
// statement). Every `every` writes it checks the pending deltas; errors
// are logged, never returned: the write has committed, and the periodic
// compaction still runs.
func (t *CompactTrigger) Wrote(ctx context.Context) {
	if t == nil || t.writes.Add(1)%t.every != 0 || !t.checking.CompareAndSwap(false, true) {
		return
	}
	defer t.checking.Store(false)
	pending, err := t.store.pendingDeltas(ctx)
	if err != nil {
		t.log.Warn("compaction trigger: cannot read the pending count deltas", "error", err)
		return
	}
	if pending < t.threshold {
		return
	}
	_, err = t.queue.Enqueue(ctx, TypeCompactCounts, []byte(`{}`), queue.Unique(compactUnique))
	switch {
	case errors.Is(err, queue.ErrDuplicate):
	case err != nil:
		t.log.Warn("compaction trigger: cannot queue the compaction", "pending_statements", pending, "error", err)
	default:
		t.log.Info("compaction queued: count deltas past the threshold", "pending_statements", pending, "threshold", t.threshold)
	}
}
