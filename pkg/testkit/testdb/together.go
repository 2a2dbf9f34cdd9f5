package testdb

import (
	"sync"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// Together runs fn(0) … fn(n-1) in n goroutines released at one moment and
// returns their errors by index: how a race test plays requests (or
// replicas) arriving together.
func Together(n int, fn func(i int) error) []error {
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = fn(i)
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

// WarmPool opens n connections of d's pool (they stay idle in it), so a
// race test's goroutines start their statements together instead of one
// after the other while the pool dials: a fresh connection takes longer
// than a whole check-then-insert, and a cold pool hid races.
func WarmPool(t testing.TB, d *db.DB, n int) {
	t.Helper()
	errs := Together(n, func(int) error {
		var x int
		return d.SQL.QueryRow("SELECT 1 FROM pg_sleep(0.05)").Scan(&x)
	})
	for _, err := range errs {
		if err != nil {
			t.Fatalf("warm the pool: %v", err)
		}
	}
}
