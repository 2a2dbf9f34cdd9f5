package testdb

import (
	"context"
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
	held, release, committed := make(chan error, 1), make(chan struct{}), make(chan error, 1)
	go func() {
		committed <- d.WithTx(ctx, func(ctx context.Context) error {
			if err := hold(ctx); err != nil {
				held <- err
				return err
			}
			held <- nil
			<-release
			return nil
		})
	}()
	if err := <-held; err != nil {
		t.Fatalf("hold: %v", err)
	}
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
			close(release)
			t.Fatal("the call neither waited for a lock nor returned")
		}
	}
	close(release)
	if cerr := <-committed; cerr != nil {
		t.Fatalf("commit the held transaction: %v", cerr)
	}
	if !returned {
		err = <-done
	}
	return waited, err
}
