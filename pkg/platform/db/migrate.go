package db

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
)

// migrationFiles holds the versioned schema, one directory per dialect with
// the same version numbers in both.
//
//go:embed migrations/postgres/*.sql migrations/sqlite/*.sql
var migrationFiles embed.FS

// versionTable records applied migrations (goose's default layout).
const versionTable = "goose_db_version"

// baselineVersion is the migration that creates upstream Ibutsu's schema as
// its alembic head leaves it. An adopted upstream database already has it.
const baselineVersion = 1

// migrationLockID is the PostgreSQL advisory lock key held while migrating,
// so that several replicas starting at once migrate exactly once.
const migrationLockID int64 = 0x1b75_0001

// ErrSchemaBehind is returned by CheckSchema when the database has not been
// migrated to the version this binary needs.
var ErrSchemaBehind = errors.New("database schema is older than this binary expects; run `backend migrate`")

func (d *DB) provider(sqlDB *sql.DB, log *slog.Logger) (*goose.Provider, error) {
	dir, dialect := "migrations/postgres", goose.DialectPostgres
	if d.Dialect == SQLite {
		dir, dialect = "migrations/sqlite", goose.DialectSQLite3
	}
	sub, err := fs.Sub(migrationFiles, dir)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	if log != nil {
		opts = append(opts, goose.WithSlog(log))
	}
	p, err := goose.NewProvider(dialect, sqlDB, sub, opts...)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}

// Migrate applies every pending migration. On PostgreSQL it holds an advisory
// lock for the whole run. A database created by upstream Ibutsu's alembic is
// adopted first: its existing tables are the baseline, so only our later
// migrations run and no data is touched. One at an older upstream revision
// is first brought to upstream's head (see adoptUpstream).
func (d *DB) Migrate(ctx context.Context, log *slog.Logger) error {
	mdb := d.migrationDB()
	if mdb != d.SQL {
		defer func() { _ = mdb.Close() }() // a private pool for this run: closing drops its idle connections
	}
	if d.Dialect == Postgres {
		return withMigrationLock(ctx, mdb, "migrate", log, func() error { return d.migrate(ctx, mdb, log) })
	}
	return d.migrate(ctx, mdb, log)
}

// migrate is Migrate once the migration lock is held (PostgreSQL).
func (d *DB) migrate(ctx context.Context, mdb *sql.DB, log *slog.Logger) error {
	if err := d.adoptUpstream(ctx, mdb, log); err != nil {
		return err
	}
	if d.Dialect == Postgres {
		if err := dropInvalidIndexes(ctx, mdb, log); err != nil {
			return err
		}
	}
	p, err := d.provider(mdb, log)
	if err != nil {
		return err
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, r := range results {
		log.Info("migration applied", "version", r.Source.Version, "file", r.Source.Path, "duration", r.Duration.String())
	}
	return nil
}

// withMigrationLock runs fn while one connection of mdb holds the
// migration advisory lock, so only one replica migrates (or hands the
// database back) at a time; step names the caller in errors. The lock is
// released even when ctx is cancelled.
func withMigrationLock(ctx context.Context, mdb *sql.DB, step string, log *slog.Logger, fn func() error) error {
	conn, err := mdb.Conn(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", step, err)
	}
	defer func() { _ = conn.Close() }() // returns the session to that pool
	if err := waitAdvisoryLock(ctx, conn, migrationLockID); err != nil {
		return fmt.Errorf("%s: take advisory lock: %w", step, err)
	}
	defer func() {
		if _, err := conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLockID); err != nil {
			log.Warn("release migration lock", "error", err)
		}
	}()
	return fn()
}

// migrationDB is where migrations run. On PostgreSQL that is a small pool of
// its own without the statement timeout of the serving pool: building an
// index on a large results table, or waiting for another replica's
// migration lock, may take longer than any request should. The caller
// closes it when it is not d.SQL.
func (d *DB) migrationDB() *sql.DB {
	if d.pg == nil {
		return d.SQL
	}
	cfg := d.pg.Copy()
	cfg.RuntimeParams["statement_timeout"] = "0"
	cfg.RuntimeParams["lock_timeout"] = "0"
	mdb := stdlib.OpenDB(*cfg)
	mdb.SetMaxOpenConns(4) // the advisory lock's session and goose's
	return mdb
}

// lockPollInterval is how often a replica waiting for another's migration
// asks for the lock again.
const lockPollInterval = 200 * time.Millisecond

// waitAdvisoryLock takes a session advisory lock, polling instead of
// blocking: a session blocked in pg_advisory_lock sits in an open
// transaction, and CREATE INDEX CONCURRENTLY in the lock holder's migration
// waits for every open transaction to end — a deadlock PostgreSQL cannot
// see, because the holder's lock and its index build are on two sessions.
// Between polls the waiting session is idle, outside any transaction.
func waitAdvisoryLock(ctx context.Context, conn *sql.Conn, key int64) error {
	for {
		var got bool
		if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", key).Scan(&got); err != nil {
			return err
		}
		if got {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(lockPollInterval):
		}
	}
}

func (d *DB) tableExists(ctx context.Context, name string) (bool, error) {
	return d.tableExistsOn(ctx, d.SQL, name)
}

// SchemaVersion returns the applied version and the newest version this
// binary knows.
func (d *DB) SchemaVersion(ctx context.Context) (current, latest int64, err error) {
	p, err := d.provider(d.SQL, nil)
	if err != nil {
		return 0, 0, err
	}
	sources := p.ListSources()
	if len(sources) > 0 {
		latest = sources[len(sources)-1].Version
	}
	exists, err := d.tableExists(ctx, versionTable)
	if err != nil || !exists {
		return 0, latest, err
	}
	current, _, err = p.GetVersions(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("read schema version: %w", err)
	}
	return current, latest, nil
}

// CheckSchema refuses to run against a database that is behind this binary:
// workers and schedulers must never write through an older schema.
func (d *DB) CheckSchema(ctx context.Context) error {
	current, latest, err := d.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if current < latest {
		return fmt.Errorf("%w (database at version %d, binary needs %d)", ErrSchemaBehind, current, latest)
	}
	return nil
}
