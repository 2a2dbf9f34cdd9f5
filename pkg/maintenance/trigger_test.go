package maintenance

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

// inlineQueue runs the compaction task in the caller, as a worker would
// moments later, so the bound below is a count, not a race with a worker.
type inlineQueue struct {
	svc      *Service
	enqueued atomic.Int64
	written  atomic.Int64 // inserts made so far, counted by the writers
	// mostDuring is the most inserts made while one compaction ran: the
	// deltas that compaction may not have seen.
	mostDuring atomic.Int64
}

func (q *inlineQueue) Enqueue(ctx context.Context, typ string, payload []byte, _ ...queue.Option) (string, error) {
	if typ != TypeCompactCounts {
		return "", fmt.Errorf("unexpected task %s", typ)
	}
	q.enqueued.Add(1)
	before := q.written.Load()
	_, err := q.svc.compactHandler(ctx, payload)
	during := q.written.Load() - before
	for {
		most := q.mostDuring.Load()
		if during <= most || q.mostDuring.CompareAndSwap(most, during) {
			return "", err
		}
	}
}

// countRows is how many rows ibutsu_result_counts holds.
func countRows(t *testing.T, d *db.DB) int64 {
	t.Helper()
	var n int64
	if err := d.Conn(context.Background()).Raw("SELECT count(*) FROM ibutsu_result_counts").Scan(&n).Error; err != nil {
		t.Error(err)
	}
	return n
}

// countsMatchResults fails unless the count table's sums equal a GROUP BY
// over results, group by group.
func countsMatchResults(t *testing.T, d *db.DB, when string) {
	t.Helper()
	var diff []string
	err := d.Conn(context.Background()).Raw(`SELECT COALESCE(c.component, r.component, '') || ':' || COALESCE(c.n, 0) || '≠' || COALESCE(r.n, 0) FROM
		(SELECT project_id, day, result, component, env, SUM(n) AS n FROM ibutsu_result_counts GROUP BY 1, 2, 3, 4, 5 HAVING SUM(n) <> 0) c
		FULL JOIN (SELECT project_id, start_time::date AS day, result, component, env, count(*) AS n FROM results GROUP BY 1, 2, 3, 4, 5) r
		ON c.project_id IS NOT DISTINCT FROM r.project_id AND c.day = r.day AND c.result IS NOT DISTINCT FROM r.result
			AND c.component IS NOT DISTINCT FROM r.component AND c.env IS NOT DISTINCT FROM r.env
		WHERE c.n IS DISTINCT FROM r.n`).Scan(&diff).Error
	if err != nil || len(diff) > 0 {
		t.Fatalf("%s: counts differ from results: %v %v", when, diff, err)
	}
}

// TestCompactTriggerBoundsDeltaRows: eight writers insert results one
// statement at a time, each telling the trigger, as the result batcher
// does; the count table never holds more than its groups plus about the
// threshold of deltas (without the trigger it holds one row per insert),
// compactions were queued, and the counts equal the results before and
// after a last compaction. A run of the periodic task right after a
// compaction folds nothing.
func TestCompactTriggerBoundsDeltaRows(t *testing.T) {
	d := testdb.Both(t)["postgres"]
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	svc := NewService(d, nil, log)
	q := &inlineQueue{svc: svc}
	const (
		writers, perWriter = 8, 80
		threshold, every   = 40, 4
		groups             = 6 // 3 components × 2 results, one day
	)
	trig := NewCompactTrigger(d, q, threshold, every, log)
	p := uuid.New()
	insert(t, d, &model.Project{ID: p, Name: model.Ptr("p")})
	day := time.Now().UTC().Truncate(24 * time.Hour).Add(time.Hour)
	var peak atomic.Int64
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range perWriter {
				r := &model.Result{ID: uuid.New(), ProjectID: &p, StartTime: day, Component: model.Ptr(fmt.Sprint("c", (w+i)%3)),
					Result: model.Ptr([]string{"passed", "failed"}[i%2])}
				if err := d.Conn(ctx).Create(r).Error; err != nil {
					t.Error(err)
					return
				}
				q.written.Add(1)
				trig.Wrote(ctx)
				if n := countRows(t, d); n > peak.Load() {
					peak.Store(n) // racy max, good enough: every writer samples
				}
			}
		})
	}
	wg.Wait()
	// Deltas beyond the groups: the threshold, the writes between two
	// checks, a write in flight per writer, and the writes made while a
	// compaction ran, twice (those of the last compaction and of the one
	// running): writers go on, as many as the machine lets them, so they
	// are counted, not guessed, and a slow compaction on a busy machine
	// does not fail the test. Without the trigger no compaction runs and
	// the table ends with one row per insert, 640.
	bound := int64(groups+3*threshold+writers*every+writers) + 2*q.mostDuring.Load()
	t.Logf("%d single-row inserts by %d writers: peak %d count rows (bound %d; at most %d written during one compaction), %d compactions queued",
		writers*perWriter, writers, peak.Load(), bound, q.mostDuring.Load(), q.enqueued.Load())
	if peak.Load() > bound {
		t.Errorf("the count table reached %d rows, want at most %d", peak.Load(), bound)
	}
	if q.enqueued.Load() < 2 {
		t.Errorf("%d compactions queued, want several", q.enqueued.Load())
	}
	countsMatchResults(t, d, "after ingest")
	if _, err := svc.compactHandler(ctx, nil); err != nil {
		t.Fatal(err)
	}
	countsMatchResults(t, d, "after compaction")
	if n := countRows(t, d); n > groups {
		t.Errorf("%d rows after compaction, want at most %d", n, groups)
	}
	// Nothing written since: the next run folds nothing, the statement
	// count reads zero.
	counts, sums, err := svc.compact(ctx, false)
	if err != nil || counts.before != 0 || sums.before != 0 {
		t.Errorf("compaction with nothing new = %+v %+v %v, want a no-op", counts, sums, err)
	}
	if n, err := svc.store.pendingDeltas(ctx); err != nil || n != 0 {
		t.Errorf("pending after compaction = %d, %v; want 0", n, err)
	}
}

// recordingQueue keeps what a real queue answered.
type recordingQueue struct {
	q          queue.Queue
	queued     atomic.Int64
	duplicates atomic.Int64
}

func (r *recordingQueue) Enqueue(ctx context.Context, typ string, payload []byte, opts ...queue.Option) (string, error) {
	id, err := r.q.Enqueue(ctx, typ, payload, opts...)
	switch {
	case errors.Is(err, queue.ErrDuplicate):
		r.duplicates.Add(1)
	case err == nil:
		r.queued.Add(1)
	}
	return id, err
}

// TestCompactTriggerQueuesOneTaskAcrossReplicas: two backends (two
// triggers) past the threshold on one database and one Redis queue, with
// no worker running, queue one compaction between them; the others are
// asynq duplicates. Below the threshold nothing is queued.
func TestCompactTriggerQueuesOneTaskAcrossReplicas(t *testing.T) {
	d := testdb.Both(t)["postgres"]
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	opt, err := queue.RedisConnOpt(testenv.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	reg := queue.NewRegistry()
	NewService(d, nil, log).Register(reg)
	rq := queue.NewRedisQueue(opt, reg, "test-compact-"+uuid.NewString()[:8])
	t.Cleanup(func() { _ = rq.Close() })
	rec := &recordingQueue{q: rq}
	replicas := []*CompactTrigger{NewCompactTrigger(d, rec, 10, 1, log), NewCompactTrigger(d, rec, 10, 1, log)}
	p := uuid.New()
	insert(t, d, &model.Project{ID: p, Name: model.Ptr("p")})
	for i := range 30 {
		insert(t, d, &model.Result{ID: uuid.New(), ProjectID: &p, StartTime: time.Now().UTC(), Result: model.Ptr("passed")})
		replicas[i%2].Wrote(ctx)
		if i < 9 && rec.queued.Load()+rec.duplicates.Load() != 0 {
			t.Fatalf("queued a compaction after %d statements, below the threshold of 10", i+1)
		}
	}
	if rec.queued.Load() != 1 || rec.duplicates.Load() < 10 {
		t.Fatalf("%d compactions queued and %d duplicates, want 1 and the rest duplicates", rec.queued.Load(), rec.duplicates.Load())
	}
}
