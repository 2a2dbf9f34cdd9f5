package testdb

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// WhileHeld plays a request arriving while another one is half done: it
// runs hold in a transaction of d (PostgreSQL) and keeps that transaction
// open, runs call in a goroutine, waits until call's backend waits for a
// lock (pg_stat_activity's wait_event_type 'Lock') or call returns, and
// only then commits hold's transaction. It returns call's error and
// whether call waited for a lock: whether it saw the held transaction's
// row as it will be after the commit, not the copy from before, is the
// test's check on what call wrote.
//
// The polling only notices the wait; nothing here sleeps to let an order
// happen. A call that neither waits nor returns within 20 s fails the test.
func WhileHeld(t testing.TB, d *db.DB, hold func(ctx context.Context) error, call func() error) (waited bool, err error) {
	t.Helper()
	ctx := context.Background()
	probe, perr := d.SQL.Conn(ctx) // taken first: the pool may be small
	if perr != nil {
		t.Fatal(perr)
	}
	defer func() { _ = probe.Close() }()
	release := Hold(t, d, hold)
	done := make(chan error, 1)
	go func() { done <- call() }()
	returned := false
	for deadline := time.Now().Add(20 * time.Second); !waited && !returned; {
		select {
		case err = <-done:
			returned = true
			continue
		case <-time.After(10 * time.Millisecond):
		}
		if qerr := probe.QueryRowContext(ctx, `SELECT count(*) > 0 FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waited); qerr != nil {
			t.Fatal(qerr)
		}
		if time.Now().After(deadline) {
			_ = release()
			t.Fatal("the call neither waited for a lock nor returned")
		}
	}
	if cerr := release(); cerr != nil {
		t.Fatalf("commit the held transaction: %v", cerr)
	}
	if !returned {
		err = <-done
	}
	return waited, err
}

// Hold runs hold in a transaction of d and keeps that transaction open,
// holding whatever rows hold locked, until release is called: release
// commits it and returns the commit's error (later calls return the same).
// Hold returns once hold has run; its error fails the test. Tests that
// queue more than one party behind the held rows (LockWaits) use it
// directly; WhileHeld plays the two-party case on it. The transaction is
// released when t ends at the latest, so a failing test leaves no lock.
func Hold(t testing.TB, d *db.DB, hold func(ctx context.Context) error) (release func() error) {
	t.Helper()
	held, unblock, committed := make(chan error, 1), make(chan struct{}), make(chan error, 1)
	go func() {
		committed <- d.WithTx(context.Background(), func(ctx context.Context) error {
			if err := hold(ctx); err != nil {
				held <- err
				return err
			}
			held <- nil
			<-unblock
			return nil
		})
	}()
	if err := <-held; err != nil {
		t.Fatalf("hold: %v (its transaction: %v)", err, <-committed)
	}
	var once sync.Once
	var err error
	release = func() error {
		once.Do(func() {
			close(unblock)
			err = <-committed
		})
		return err
	}
	t.Cleanup(func() { _ = release() })
	return release
}
