package db

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// txKey carries an open transaction in a context.
type txKey struct{}

// Conn returns the handle a store should use for ctx: the transaction opened
// by WithTx further up the call chain if there is one, else the pool. Stores
// call it on every operation so they take part in a caller's transaction
// without knowing about it.
func (d *DB) Conn(ctx context.Context) *gorm.DB {
	if tx, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return tx.WithContext(ctx)
	}
	return d.Gorm.WithContext(ctx)
}

// WithTx runs fn inside one transaction; nested calls join the outer one.
// The transaction commits when fn returns nil and rolls back otherwise.
func (d *DB) WithTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return fn(ctx)
	}
	return d.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(context.WithValue(ctx, txKey{}, tx))
	})
}

// InTx reports whether ctx carries a transaction opened by WithTx.
func InTx(ctx context.Context) bool {
	_, ok := ctx.Value(txKey{}).(*gorm.DB)
	return ok
}

// Tx is WithTx for a function with a result: it runs fn inside one
// transaction (joining an outer one) and returns what fn returned. It
// exists so services need not declare a variable outside the closure to
// carry the result out.
func Tx[T any](ctx context.Context, d *DB, fn func(ctx context.Context) (T, error)) (T, error) {
	var out T
	err := d.WithTx(ctx, func(ctx context.Context) error {
		var err error
		out, err = fn(ctx)
		return err
	})
	return out, err
}

// Serial keeps the rest of ctx's transaction from starting parallel
// workers on PostgreSQL (SET LOCAL max_parallel_workers_per_gather = 0); a
// no-op on SQLite and outside a transaction (a SET LOCAL there would last
// one statement). For background aggregates over one run's results (the
// run summary, the flaky refresh's pass over the run): once a run holds
// some 10% of the results table the planner prefers a parallel scan of the
// WHOLE table to a bitmap scan of the run's rows, so each recomputation
// read every page of the table, not the run's, with three processes
// (issue #21, docs/performance.md).
func (d *DB) Serial(ctx context.Context) error {
	if d.Dialect != Postgres || !InTx(ctx) {
		return nil
	}
	if err := d.Conn(ctx).Exec("SET LOCAL max_parallel_workers_per_gather = 0").Error; err != nil {
		return fmt.Errorf("serial transaction: %w", err)
	}
	return nil
}
