// Package db opens the relational database the server keeps its data in:
// PostgreSQL in production, or an embedded SQLite file when none is
// configured. Both carry the same schema, so every store works on either.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
)

// Dialect names the SQL dialect of an open database.
type Dialect string

// The supported dialects.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// DB is an open database: the GORM handle stores use, the underlying
// *sql.DB (for migrations and pool stats) and its dialect.
type DB struct {
	Gorm    *gorm.DB
	SQL     *sql.DB
	Dialect Dialect

	// pg is the PostgreSQL connection configuration (nil on SQLite):
	// migrations open their own connections from it, without the
	// statement timeout every pooled session carries.
	pg *pgx.ConnConfig
}

// Option adjusts how Open prepares a database.
type Option func(*openOptions)

type openOptions struct {
	sqliteSetup []func() error
}

// OnSQLite runs setup before the first SQLite connection is opened (it is
// skipped on PostgreSQL). Feature packages hand in what the embedded driver
// needs from them this way, such as the filter language's REGEXP function,
// so this package imports none of them.
func OnSQLite(setup func() error) Option {
	return func(o *openOptions) { o.sqliteSetup = append(o.sqliteSetup, setup) }
}

// Open connects to the configured database and verifies the connection.
func Open(ctx context.Context, cfg config.Database, log *slog.Logger, opts ...Option) (*DB, error) {
	if cfg.UsesPostgres() {
		return openPostgres(ctx, cfg, log)
	}
	var o openOptions
	for _, f := range opts {
		f(&o)
	}
	return openSQLite(ctx, cfg, log, o.sqliteSetup)
}

// PostgresDSN builds the connection string from the discrete POSTGRESQL_*
// settings unless a full URL was given.
func PostgresDSN(cfg config.Database) string {
	if cfg.URL != "" {
		return cfg.URL
	}
	u := url.URL{
		Scheme: "postgres",
		User:   url.UserPassword(cfg.User, cfg.Password),
		Host:   fmt.Sprintf("%s:%d", cfg.Host, cfg.Port),
		Path:   "/" + cfg.Name,
	}
	if cfg.Password == "" {
		u.User = url.User(cfg.User)
	}
	if cfg.SSLMode != "" {
		u.RawQuery = url.Values{"sslmode": {cfg.SSLMode}}.Encode()
	}
	return u.String()
}

func openPostgres(ctx context.Context, cfg config.Database, log *slog.Logger) (*DB, error) {
	pc, err := pgx.ParseConfig(PostgresDSN(cfg))
	if err != nil {
		return nil, fmt.Errorf("parse PostgreSQL settings: %w", err)
	}
	if pc.RuntimeParams == nil {
		pc.RuntimeParams = map[string]string{}
	}
	// Every session carries the statement timeout, as upstream's engine does,
	// so a runaway filter cannot hold a connection forever.
	pc.RuntimeParams["statement_timeout"] = strconv.FormatInt(cfg.StatementTimeout.Milliseconds(), 10)
	if _, ok := pc.RuntimeParams["application_name"]; !ok {
		pc.RuntimeParams["application_name"] = "ibutsu-go"
	}
	sqlDB := stdlib.OpenDB(*pc)
	sqlDB.SetMaxOpenConns(cfg.MaxOpenConns)
	sqlDB.SetMaxIdleConns(cfg.MaxIdleConns)
	sqlDB.SetConnMaxLifetime(cfg.ConnMaxLifetime)
	g, err := gorm.Open(postgres.New(postgres.Config{Conn: sqlDB}), gormConfig(log))
	if err != nil {
		_ = sqlDB.Close() // the open error is the one to report
		return nil, fmt.Errorf("open PostgreSQL: %w", err)
	}
	d := &DB{Gorm: g, SQL: sqlDB, Dialect: Postgres, pg: pc}
	if err := d.Ping(ctx); err != nil {
		_ = sqlDB.Close() // the open error is the one to report
		return nil, fmt.Errorf("connect to PostgreSQL at %s:%d: %w", pc.Host, pc.Port, err)
	}
	return d, nil
}

func openSQLite(ctx context.Context, cfg config.Database, log *slog.Logger, setup []func() error) (*DB, error) {
	if dir := filepath.Dir(cfg.SQLitePath); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
	}
	for _, f := range setup {
		if err := f(); err != nil {
			return nil, err
		}
	}
	dsn := "file:" + cfg.SQLitePath + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)" +
		"&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	// The registered driver (with the functions setup added to it), its
	// connections wrapped so stored times beyond year 9999 stay readable.
	probe, err := sql.Open(sqlite.DriverName, dsn)
	if err != nil {
		return nil, fmt.Errorf("open SQLite %s: %w", cfg.SQLitePath, err)
	}
	drv := probe.Driver()
	_ = probe.Close() // never connected
	sqlDB := sql.OpenDB(sqliteConnector{drv: drv, dsn: dsn})
	g, err := gorm.Open(sqlite.Dialector{DSN: dsn, Conn: sqlDB}, gormConfig(log))
	if err != nil {
		_ = sqlDB.Close() // the open error is the one to report
		return nil, fmt.Errorf("open SQLite %s: %w", cfg.SQLitePath, err)
	}
	// One connection serialises writers; SQLite allows a single writer anyway
	// and this avoids SQLITE_BUSY between the API and in-process tasks.
	sqlDB.SetMaxOpenConns(1)
	d := &DB{Gorm: g, SQL: sqlDB, Dialect: SQLite}
	if err := d.Ping(ctx); err != nil {
		_ = sqlDB.Close() // the open error is the one to report
		return nil, fmt.Errorf("open SQLite %s: %w", cfg.SQLitePath, err)
	}
	return d, nil
}

func gormConfig(log *slog.Logger) *gorm.Config {
	return &gorm.Config{
		Logger:                 newStatementLogger(log, time.Second),
		SkipDefaultTransaction: true,
		TranslateError:         true,
		NowFunc:                func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
	}
}

// Ping checks that the database answers a trivial query.
func (d *DB) Ping(ctx context.Context) error {
	var one int
	if err := d.SQL.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	if one != 1 {
		return errors.New("ping database: unexpected answer")
	}
	return nil
}

// Close releases the connection pool.
func (d *DB) Close() error { return d.SQL.Close() }

// PGConfig is a copy of the PostgreSQL connection configuration (nil on
// SQLite), for the few callers that need a dedicated connection of their
// own (the live events' LISTEN).
func (d *DB) PGConfig() *pgx.ConnConfig {
	if d.pg == nil {
		return nil
	}
	return d.pg.Copy()
}
