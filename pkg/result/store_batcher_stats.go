package result

import (
	"sync/atomic"
	"time"
)

// WriterStats are the insert batcher's running totals since the service
// started: how many insert statements (batches) it committed, how many
// rows they held, and how long the rows' requests sat in its queue before
// a writer took them. A benchmark reads them before and after a load to
// count, per stored row, the commits and the queueing that POST /result
// pays for (cmd/bench); they are counts, so a shared machine's noise does
// not move them the way it moves a rate.
type WriterStats struct {
	Batches, Rows int64
	QueueWait     time.Duration
}

// Sub is s minus an earlier reading o: what happened in between.
func (s WriterStats) Sub(o WriterStats) WriterStats {
	return WriterStats{Batches: s.Batches - o.Batches, Rows: s.Rows - o.Rows, QueueWait: s.QueueWait - o.QueueWait}
}

// writerCounters are the atomics behind WriterStats.
type writerCounters struct {
	batches, rows, queueNanos atomic.Int64
}

// taken records a batch a writer took from the queue at now.
func (c *writerCounters) taken(batch []*insertReq, now time.Time) {
	var wait time.Duration
	for _, req := range batch {
		wait += now.Sub(req.queued)
	}
	c.queueNanos.Add(int64(wait))
}

// stored records the rows of one committed insert statement.
func (c *writerCounters) stored(rows int) {
	c.batches.Add(1)
	c.rows.Add(int64(rows))
}

func (c *writerCounters) read() WriterStats {
	return WriterStats{Batches: c.batches.Load(), Rows: c.rows.Load(), QueueWait: time.Duration(c.queueNanos.Load())}
}

// WriterStats reads the insert batcher's totals.
func (s *Service) WriterStats() WriterStats { return s.writes.counts.read() }
