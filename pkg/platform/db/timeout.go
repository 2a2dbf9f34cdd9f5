package db

import (
	"context"
	"fmt"
	"time"
)

// WithStatementTimeout runs fn in a transaction whose statements are cut
// off after timeout (SET LOCAL statement_timeout, PostgreSQL), so one
// request can have a shorter bound than the pool's sessions without
// touching them. On SQLite, without a timeout, or inside a caller's
// transaction (whose settings are the caller's), fn runs as it is.
func (d *DB) WithStatementTimeout(ctx context.Context, timeout time.Duration, fn func(ctx context.Context) error) error {
	if d.Dialect != Postgres || timeout <= 0 || InTx(ctx) {
		return fn(ctx)
	}
	return d.WithTx(ctx, func(ctx context.Context) error {
		ms := max(timeout.Milliseconds(), 1)
		if err := d.Conn(ctx).Exec(fmt.Sprintf("SET LOCAL statement_timeout = %d", ms)).Error; err != nil {
			return fmt.Errorf("set statement timeout: %w", err)
		}
		return fn(ctx)
	})
}
