package testdb

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// LockWaits watches how many backends of a PostgreSQL database wait for a
// lock (pg_stat_activity's wait_event_type 'Lock'), on a connection it
// keeps aside from the pool. WhileHeld plays two parties; a race with
// three (one holding, two queued behind each other in a chosen order)
// needs to know each waiter has reached its lock before starting the
// next, without a sleep deciding it.
type LockWaits struct {
	probe *sql.Conn
}

// WatchLockWaits takes the connection LockWaits polls on (first: the pool
// may be small); it is returned to the pool when t ends.
func WatchLockWaits(t testing.TB, d *db.DB) *LockWaits {
	t.Helper()
	probe, err := d.SQL.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = probe.Close() })
	return &LockWaits{probe: probe}
}

// Await returns once at least n backends wait for a lock, or as soon as
// stop is closed or receives (a party that was to wait returned instead;
// nil never does), and says whether the n waits were seen. Neither within
// 20 s fails the test.
func (w *LockWaits) Await(t testing.TB, n int, stop <-chan struct{}) bool {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; {
		var waiting int
		if err := w.probe.QueryRowContext(context.Background(), `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting >= n {
			return true
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d backends wait for a lock after 20 s, want %d", waiting, n)
		}
		select {
		case <-stop:
			return false
		case <-time.After(10 * time.Millisecond):
		}
	}
}
