package db

import (
	"context"

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
