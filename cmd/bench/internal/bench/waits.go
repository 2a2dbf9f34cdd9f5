package bench

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// waitSampler polls pg_stat_activity every 25 ms while a phase runs and
// counts what the benchmark database's active backends are doing (their
// wait event, or "CPU" when they wait on nothing). It tells whether a rate
// is bound by WAL flushes, locks or the server's CPU without a profiler on
// the PostgreSQL side.
type waitSampler struct {
	stop   context.CancelFunc
	wg     sync.WaitGroup
	counts map[string]int
	total  int
}

func startWaitSampler(ctx context.Context, pool *pgxpool.Pool) *waitSampler {
	ctx, cancel := context.WithCancel(ctx)
	w := &waitSampler{stop: cancel, counts: map[string]int{}}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		t := time.NewTicker(25 * time.Millisecond)
		defer t.Stop()
		for {
			rows, err := pool.Query(ctx, `SELECT coalesce(wait_event, 'CPU') FROM pg_stat_activity
				WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()`)
			if err == nil {
				for rows.Next() {
					var ev string
					if rows.Scan(&ev) == nil {
						w.counts[ev]++
						w.total++
					}
				}
				rows.Close()
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return w
}

// Stop ends sampling and returns the top three states with their shares.
func (w *waitSampler) Stop() string {
	w.stop()
	w.wg.Wait()
	if w.total == 0 {
		return "PG idle"
	}
	type kv struct {
		k string
		n int
	}
	var l []kv
	for k, n := range w.counts {
		l = append(l, kv{k, n})
	}
	sort.Slice(l, func(i, j int) bool { return l[i].n > l[j].n })
	var parts []string
	for _, e := range l[:min(3, len(l))] {
		parts = append(parts, fmt.Sprintf("%s %d%%", e.k, e.n*100/w.total))
	}
	return "PG: " + strings.Join(parts, ", ")
}
