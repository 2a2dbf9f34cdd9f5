package queue

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// outboxRow is one task kept while Redis was unreachable (table
// ibutsu_task_outbox, migration 00008). ID is the task's id: a summary
// update's per-run id, so a run is kept once however many writes touched it.
type outboxRow struct {
	ID      string    `gorm:"column:id;primaryKey"`
	Type    string    `gorm:"column:type"`
	Payload []byte    `gorm:"column:payload"`
	Created time.Time `gorm:"column:created"`
}

// TableName implements gorm's Tabler.
func (outboxRow) TableName() string { return "ibutsu_task_outbox" }

// Outbox timing: how often the flusher looks while it knows of kept tasks,
// and how often it looks anyway (another replica may have left some).
const (
	outboxPoll  = 2 * time.Second
	outboxSweep = 30 * time.Second
	outboxBatch = 100
)

// outbox writes Durable tasks that could not be queued to the database, in
// the caller's transaction when there is one (so the marker commits with the
// write that needs it), and queues them once Redis answers: at once after
// the next successful enqueue, else within outboxPoll of the breaker's
// cooldown ending. Rows are claimed with SKIP LOCKED on PostgreSQL, so
// replicas flushing together never queue one twice.
type outbox struct {
	db    *db.DB
	q     *RedisQueue
	log   *slog.Logger
	dirty atomic.Bool
	wake  chan struct{}
	stop  chan struct{}
	done  chan struct{}
	once  sync.Once
}

// UseOutbox gives the queue a database outbox for Durable tasks and starts
// its flusher; Close stops it.
func (q *RedisQueue) UseOutbox(d *db.DB, log *slog.Logger) {
	o := &outbox{db: d, q: q, log: log, wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	o.dirty.Store(true) // a previous process may have left tasks
	q.outbox = o
	go o.run()
}

// FlushOutbox queues every kept task Redis accepts now and returns how many
// it queued (the flusher calls it; tests and the periodic sync may too).
func (q *RedisQueue) FlushOutbox(ctx context.Context) (int, error) {
	if q.outbox == nil {
		return 0, nil
	}
	return q.outbox.flush(ctx)
}

func (o *outbox) save(ctx context.Context, typ string, payload []byte, id string, cause error) (string, error) {
	if id == "" {
		id = uuid.NewString()
	}
	row := outboxRow{ID: id, Type: typ, Payload: payload, Created: time.Now().UTC()}
	err := o.db.Conn(context.WithoutCancel(ctx)).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error
	if err != nil {
		return "", errors.Join(cause, fmt.Errorf("keep %s in the outbox: %w", typ, err))
	}
	o.dirty.Store(true)
	o.log.WarnContext(ctx, "task kept in the outbox until Redis answers", "task_type", typ, "task_id", id, "error", cause)
	return id, nil
}

// kick asks the flusher to run now if tasks are kept (nil-safe).
func (o *outbox) kick() {
	if o == nil || !o.dirty.Load() {
		return
	}
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

func (o *outbox) close() {
	if o == nil {
		return
	}
	o.once.Do(func() { close(o.stop); <-o.done })
}

func (o *outbox) run() {
	defer close(o.done)
	tick := time.NewTicker(outboxPoll)
	defer tick.Stop()
	lastSweep := time.Time{}
	for {
		select {
		case <-o.stop:
			return
		case <-o.wake:
		case <-tick.C:
			if !o.dirty.Load() && time.Since(lastSweep) < outboxSweep {
				continue
			}
		}
		lastSweep = time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		if _, err := o.flush(ctx); err != nil {
			o.log.Warn("outbox flush failed", "error", err)
		}
		cancel()
	}
}

// flush queues kept tasks in batches until none are left or Redis fails.
func (o *outbox) flush(ctx context.Context) (int, error) {
	total := 0
	for {
		n, more, err := o.flushBatch(ctx)
		total += n
		if err != nil || !more {
			return total, err
		}
	}
}

// flushBatch queues one batch; more is false when the outbox is empty or
// Redis stopped answering.
func (o *outbox) flushBatch(ctx context.Context) (queued int, more bool, err error) {
	err = o.db.WithTx(ctx, func(ctx context.Context) error {
		q := o.db.Conn(ctx).Order("created").Limit(outboxBatch)
		if o.db.Dialect == db.Postgres {
			q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
		}
		var rows []outboxRow
		if err := q.Find(&rows).Error; err != nil {
			return fmt.Errorf("read the outbox: %w", err)
		}
		if len(rows) == 0 {
			o.dirty.Store(false)
			return nil
		}
		for _, r := range rows {
			opts := o.q.registry.options(r.Type, []Option{TaskID(r.ID)})
			_, err := o.q.enqueue(ctx, r.Type, r.Payload, opts)
			if err != nil && !errors.Is(err, ErrDuplicate) {
				return nil // Redis is still away: keep the rest, commit what went out
			}
			if err := o.db.Conn(ctx).Where("id = ?", r.ID).Delete(&outboxRow{}).Error; err != nil {
				return fmt.Errorf("clear outbox row: %w", err)
			}
			queued++
		}
		more = len(rows) == outboxBatch
		return nil
	})
	if err == nil && queued > 0 {
		o.log.Info("outbox tasks queued", "count", queued)
	}
	return queued, more, err
}
