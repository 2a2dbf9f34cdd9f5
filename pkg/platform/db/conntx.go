package db

import (
	"context"
	"database/sql"
	"fmt"

	"gorm.io/gorm"
)

// connKey carries the dedicated connection of a transaction opened by
// WithConnTx.
type connKey struct{}

// WithConnTx is WithTx on a connection taken from the pool for the whole
// transaction, so that code inside can also reach that connection's driver
// through RawConn: bulk writers use PostgreSQL's COPY (pgx CopyFrom) and it
// lands in the same transaction as everything written through Conn. Nested
// in an open transaction it joins that one, and RawConn then reports false.
func (d *DB) WithConnTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if InTx(ctx) {
		return fn(ctx)
	}
	conn, err := d.SQL.Conn(ctx)
	if err != nil {
		return fmt.Errorf("take a connection: %w", err)
	}
	defer func() { _ = conn.Close() }() // returns the connection to the pool
	g := d.Gorm.WithContext(ctx)        // a session: its statement is our own copy
	g.Statement.ConnPool = conn
	return g.Transaction(func(tx *gorm.DB) error {
		ctx := context.WithValue(context.WithValue(ctx, txKey{}, tx), connKey{}, conn)
		return fn(ctx)
	})
}

// RawConn runs f with the driver connection (*stdlib.Conn on PostgreSQL)
// of the transaction ctx carries, when WithConnTx opened it; ok is false,
// and f is not called, otherwise. f must not keep the connection, and
// nothing else may use ctx's transaction while f runs.
func RawConn(ctx context.Context, f func(driverConn any) error) (ok bool, err error) {
	conn, found := ctx.Value(connKey{}).(*sql.Conn)
	if !found {
		return false, nil
	}
	return true, conn.Raw(f)
}
