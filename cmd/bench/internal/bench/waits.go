package bench

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// waitSampler polls pg_stat_activity every 25 ms while a phase runs and
// counts what the benchmark database's active backends are doing (their
// wait event, or "CPU" when they wait on nothing). It tells whether a rate
// is bound by WAL flushes, locks or the server's CPU without a profiler on
// the PostgreSQL side. It polls over the probe pool (cost.go), so neither
// the limit's pool nor the backends' CPU figures carry its queries.
type waitSampler struct {
	stop   func()
	counts map[string]int
}

func startWaitSampler(ctx context.Context, pool *pgxpool.Pool) *waitSampler {
	w := &waitSampler{counts: map[string]int{}}
	w.stop = sampleEvery(ctx, 25*time.Millisecond, func(ctx context.Context) {
		rows, err := pool.Query(ctx, `SELECT coalesce(wait_event, 'CPU') FROM pg_stat_activity
			WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid() AND application_name <> $1`, probeApp)
		if err != nil {
			return
		}
		defer rows.Close()
		for rows.Next() {
			var ev string
			if rows.Scan(&ev) == nil {
				w.counts[ev]++
			}
		}
	})
	return w
}

// Stop ends sampling and returns the top three states with their shares.
func (w *waitSampler) Stop() string {
	w.stop()
	return waitSummary(w.counts)
}

// StopInto ends sampling and adds its counts to into, so the phases of
// one load (rounds interleaved with other loads) are summed before
// waitSummary reads them.
func (w *waitSampler) StopInto(into map[string]int) {
	w.stop()
	for k, n := range w.counts {
		into[k] += n
	}
}

// waitSummary names the top three states of counts with their shares.
func waitSummary(counts map[string]int) string {
	total := 0
	for _, n := range counts {
		total += n
	}
	if total == 0 {
		return "PG idle"
	}
	type kv struct {
		k string
		n int
	}
	var l []kv
	for k, n := range counts {
		l = append(l, kv{k, n})
	}
	sort.Slice(l, func(i, j int) bool { return l[i].n > l[j].n || l[i].n == l[j].n && l[i].k < l[j].k })
	var parts []string
	for _, e := range l[:min(3, len(l))] {
		parts = append(parts, fmt.Sprintf("%s %d%%", e.k, e.n*100/total))
	}
	return "PG: " + strings.Join(parts, ", ")
}

// sampleEvery calls sample at once and then every interval, on a goroutine
// of its own, until the returned stop is called or ctx ends. stop waits for
// the sample under way, so the caller may then read what sample wrote.
func sampleEvery(ctx context.Context, interval time.Duration, sample func(ctx context.Context)) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			sample(ctx)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}
