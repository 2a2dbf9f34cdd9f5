package bench

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Load is the outcome of running n operations from several clients.
type Load struct {
	N       int
	Elapsed time.Duration
	Lat     []time.Duration // sorted
	Errors  int
	First   error
}

// merge adds o's operations and time to l (for interleaved rounds).
func (l Load) merge(o Load) Load {
	l.N += o.N
	l.Elapsed += o.Elapsed
	l.Lat = append(l.Lat, o.Lat...)
	slices.Sort(l.Lat)
	l.Errors += o.Errors
	if l.First == nil {
		l.First = o.First
	}
	return l
}

// Rate is operations per second.
func (l Load) Rate() float64 { return float64(l.N) / l.Elapsed.Seconds() }

// Pct returns the p-th percentile latency (0 < p ≤ 100) in milliseconds.
func (l Load) Pct(p float64) float64 { return pct(l.Lat, p) }

func pct(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.5) - 1
	i = max(0, min(i, len(sorted)-1))
	return float64(sorted[i].Microseconds()) / 1000
}

// Err summarises failures (nil when every operation succeeded).
func (l Load) Err() error {
	if l.Errors == 0 {
		return nil
	}
	return fmt.Errorf("%d of %d operations failed, first: %w", l.Errors, l.N, l.First)
}

// run executes op for i in [0,n) from `clients` goroutines and records each
// operation's latency.
func run(ctx context.Context, clients, n int, op func(ctx context.Context, i int) error) Load {
	var next atomic.Int64
	var mu sync.Mutex
	l := Load{N: n, Lat: make([]time.Duration, 0, n)}
	var wg sync.WaitGroup
	start := time.Now()
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat := make([]time.Duration, 0, n/clients+1)
			var errs int
			var first error
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					break
				}
				t0 := time.Now()
				err := op(ctx, i)
				lat = append(lat, time.Since(t0))
				if err != nil {
					errs++
					if first == nil {
						first = err
					}
				}
			}
			mu.Lock()
			l.Lat = append(l.Lat, lat...)
			l.Errors += errs
			if l.First == nil {
				l.First = first
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	l.Elapsed = time.Since(start)
	slices.Sort(l.Lat)
	if err := ctx.Err(); err != nil && l.First == nil {
		l.Errors, l.First = 1, err
	}
	return l
}

// samplePair times a and b alternately n times each (after `warm` untimed
// calls of each), so background load on a shared machine hits both alike:
// their ratio stays meaningful when absolute numbers drift. The error is the
// first side's failures, else the second's: a timing of failed calls is no
// figure to report.
func samplePair(ctx context.Context, n, warm int, a, b func(ctx context.Context) error) (Load, Load, error) {
	for i := 0; i < warm; i++ {
		for _, fn := range []func(context.Context) error{a, b} {
			if err := fn(ctx); err != nil {
				failed := Load{N: 1, Elapsed: time.Nanosecond, Errors: 1, First: err}
				return failed, failed, failed.Err()
			}
		}
	}
	var la, lb Load
	for i := 0; i < n && ctx.Err() == nil; i++ {
		la = la.merge(run(ctx, 1, 1, func(ctx context.Context, _ int) error { return a(ctx) }))
		lb = lb.merge(run(ctx, 1, 1, func(ctx context.Context, _ int) error { return b(ctx) }))
	}
	err := la.Err()
	if err == nil {
		err = lb.Err()
	}
	return la, lb, err
}
