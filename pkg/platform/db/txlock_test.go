package db

import (
	"context"
	"errors"
	"testing"

	"gorm.io/gorm"
)

// TestTxLock: on PostgreSQL the lock a transaction takes by name (a string,
// or an expression computing it) is held until that transaction ends, so
// another transaction cannot take it meanwhile; on SQLite TxLock does
// nothing and succeeds.
func TestTxLock(t *testing.T) {
	ctx := context.Background()
	d := openPG(t)
	// free reports whether another transaction could take the lock on name now.
	free := func(name string) bool {
		t.Helper()
		var got bool
		err := d.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			return tx.Raw("SELECT pg_try_advisory_xact_lock(hashtext(?))", name).Scan(&got).Error
		})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	for name, key := range map[string]any{
		"ibutsu-test:k":    "ibutsu-test:k",
		"ibutsu-test:abc@": gorm.Expr("? || lower(?)", "ibutsu-test:", "ABC@"),
	} {
		errDone := errors.New("done")
		err := d.WithTx(ctx, func(ctx context.Context) error {
			if err := d.TxLock(ctx, "test", key); err != nil {
				return err
			}
			if free(name) {
				t.Errorf("%s: another transaction took the lock while it was held", name)
			}
			return errDone
		})
		if !errors.Is(err, errDone) {
			t.Fatal(err)
		}
		if !free(name) {
			t.Errorf("%s: the lock outlived its transaction", name)
		}
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if err := d.TxLock(canceled, "test", "ibutsu-test:k"); err == nil || err.Error()[:10] != "lock test:" {
		t.Errorf("TxLock with a canceled context = %v, want a wrapped error", err)
	}
	if err := openTestSQLite(t).TxLock(ctx, "test", "k"); err != nil {
		t.Errorf("SQLite: %v", err)
	}
}
