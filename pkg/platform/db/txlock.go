package db

import (
	"context"
	"fmt"
)

// TxLock takes, on PostgreSQL, the transaction lock named key
// (pg_advisory_xact_lock(hashtext(key))), held until ctx's transaction
// commits or rolls back: the guard of a check-then-write that no unique
// index covers (a name, an e-mail address, a list's bound). key is the
// name as a string, or a gorm.Expr that computes it in SQL (say, with
// lower() where the check compares lower()). what names the lock in the
// error ("lock <what>: …"). SQLite runs one writer at a time, so there it
// does nothing; the caller decides whether to lock outside a transaction.
func (d *DB) TxLock(ctx context.Context, what string, key any) error {
	if d.Dialect != Postgres {
		return nil
	}
	if err := d.Conn(ctx).Exec("SELECT pg_advisory_xact_lock(hashtext(?))", key).Error; err != nil {
		return fmt.Errorf("lock %s: %w", what, err)
	}
	return nil
}
