package result

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/fingerprint"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// batcher combines concurrent single-result inserts into multi-row inserts
// committed in one transaction. pytest-ibutsu and friends POST one result per
// request; with many clients, a commit (and its WAL flush) per row is what
// limits throughput, not the work per row. Each request still returns only
// after its own row is committed, so nothing acknowledged can be lost.
//
// Batches form opportunistically: a worker takes one request, then whatever
// else is already waiting (up to maxBatch), so a lone request is never
// delayed. If a batch fails (a duplicate id, a missing run, a run moved to
// another project since its request was checked: fingerprint.ErrRunMoved),
// its rows are retried one by one so each request gets its own answer.
type batcher struct {
	db       *db.DB
	reqs     chan *insertReq
	maxBatch int
	linger   time.Duration
	// written is told about each committed insert statement (the count
	// tables' compaction trigger); nil: nobody is.
	written func(ctx context.Context)
	stop    chan struct{}
	wg      sync.WaitGroup
	// counts are the totals WriterStats reads.
	counts writerCounters

	// mu makes close wait for sends in progress, so every request that got
	// into the queue is written by the workers' final drain.
	mu     sync.RWMutex
	closed bool
}

type insertReq struct {
	r *model.Result
	// fp is fingerprint.Of(r) when the caller computed it (nil: not).
	fp     *fingerprint.Row
	done   chan error
	queued time.Time
}

// errBatcherClosed is returned once Close has been called.
var errBatcherClosed = errors.New("result writer is shut down")

func newBatcher(d *db.DB, workers, maxBatch int) *batcher {
	b := &batcher{db: d, reqs: make(chan *insertReq, workers*maxBatch), maxBatch: maxBatch, linger: time.Millisecond, stop: make(chan struct{})}
	for i := 0; i < workers; i++ {
		b.wg.Add(1)
		go b.work()
	}
	return b
}

// insert queues r and waits until it is committed (or failed). Inside a
// caller's transaction it inserts directly, so the row joins that
// transaction. fp, when not nil, is fingerprint.Of(r), already computed.
func (b *batcher) insert(ctx context.Context, r *model.Result, fp *fingerprint.Row) error {
	if db.InTx(ctx) {
		return b.create(ctx, []*model.Result{r}, []*fingerprint.Row{fp})
	}
	req := &insertReq{r: r, fp: fp, done: make(chan error, 1), queued: time.Now()}
	b.mu.RLock()
	if b.closed {
		b.mu.RUnlock()
		return errBatcherClosed
	}
	select {
	case b.reqs <- req:
		b.mu.RUnlock()
	case <-ctx.Done():
		b.mu.RUnlock()
		return ctx.Err()
	}
	select {
	case err := <-req.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (b *batcher) work() {
	defer b.wg.Done()
	batch := make([]*insertReq, 0, b.maxBatch)
	for {
		select {
		case <-b.stop:
			b.drain()
			return
		case first := <-b.reqs:
			batch = append(batch[:0], first)
		fill:
			for len(batch) < b.maxBatch {
				select {
				case more := <-b.reqs:
					batch = append(batch, more)
				default:
					break fill
				}
			}
			// Under load (others were already waiting), linger briefly so
			// the batch fills up: fewer, larger commits. A lone request is
			// never delayed.
			if len(batch) > 1 && len(batch) < b.maxBatch {
				linger := time.NewTimer(b.linger)
			wait:
				for len(batch) < b.maxBatch {
					select {
					case more := <-b.reqs:
						batch = append(batch, more)
					case <-linger.C:
						break wait
					}
				}
				linger.Stop()
			}
			b.flush(batch)
		}
	}
}

// drain answers requests still queued at shutdown by inserting them.
func (b *batcher) drain() {
	for {
		select {
		case req := <-b.reqs:
			b.flush([]*insertReq{req})
		default:
			return
		}
	}
}

func (b *batcher) flush(batch []*insertReq) {
	b.counts.taken(batch, time.Now())
	// Requests are detached from their callers' contexts: a row that is in
	// a batch is written whether or not its client is still waiting.
	ctx := context.Background()
	if len(batch) == 1 {
		err := b.create(ctx, []*model.Result{batch[0].r}, []*fingerprint.Row{batch[0].fp})
		batch[0].done <- err
		b.committed(ctx, 1, err)
		return
	}
	rows, fps := make([]*model.Result, len(batch)), make([]*fingerprint.Row, len(batch))
	for i, req := range batch {
		rows[i], fps[i] = req.r, req.fp
	}
	if err := b.create(ctx, rows, fps); err == nil {
		for _, req := range batch {
			req.done <- nil
		}
		b.committed(ctx, len(rows), nil)
		return
	}
	for _, req := range batch {
		err := b.create(ctx, []*model.Result{req.r}, []*fingerprint.Row{req.fp})
		req.done <- err
		b.committed(ctx, 1, err)
	}
}

// committed counts an insert statement of rows rows that committed (err
// nil) and tells b.written about it, after its callers have their answers.
func (b *batcher) committed(ctx context.Context, rows int, err error) {
	if err == nil {
		b.counts.stored(rows)
	}
	if err == nil && b.written != nil {
		b.written(ctx)
	}
}

// create inserts rows and, in the same statement or transaction, the
// fingerprints of the failures among them (docs/triage.md): on PostgreSQL
// a batch with failures is one statement, like a batch without
// (fingerprint.InsertResultsOf; fps are the fingerprints known, by row).
func (b *batcher) create(ctx context.Context, rows []*model.Result, fps []*fingerprint.Row) error {
	return fingerprint.InsertResultsOf(ctx, b.db, rows, fps, func(ctx context.Context) error {
		if err := b.db.Conn(ctx).Create(rows).Error; err != nil {
			return fmt.Errorf("insert results: %w", err)
		}
		return nil
	})
}

// close stops the workers after the queued requests are written.
func (b *batcher) close() {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return
	}
	b.closed = true
	b.mu.Unlock()
	close(b.stop)
	b.wg.Wait()
}
