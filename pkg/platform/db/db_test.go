package db

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

var upstreamTables = []string{"results", "runs", "artifacts", "projects", "users", "users_projects",
	"tokens", "groups", "dashboards", "widget_configs", "imports", "import_files"}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func pgConfig(dsn string) config.Database {
	return config.Database{URL: dsn, MaxOpenConns: 5, MaxIdleConns: 2, ConnMaxLifetime: time.Minute, StatementTimeout: 25 * time.Second}
}

func openPG(t *testing.T) *DB {
	t.Helper()
	d, err := Open(context.Background(), pgConfig(testenv.NewPostgresDatabase(t)), quiet())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return d
}

func openTestSQLite(t *testing.T) *DB {
	t.Helper()
	d, err := Open(context.Background(), config.Database{SQLitePath: filepath.Join(t.TempDir(), "t.db")}, quiet())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return d
}

func checkMigrated(t *testing.T, d *DB) {
	t.Helper()
	ctx := context.Background()
	if err := d.CheckSchema(ctx); !errors.Is(err, ErrSchemaBehind) {
		t.Fatalf("fresh database must be behind, got %v", err)
	}
	for i := 0; i < 2; i++ { // the second run must be a no-op
		if err := d.Migrate(ctx, quiet()); err != nil {
			t.Fatalf("migrate run %d: %v", i+1, err)
		}
	}
	cur, latest, err := d.SchemaVersion(ctx)
	if err != nil || cur != latest || latest < 2 {
		t.Fatalf("version %d/%d err=%v", cur, latest, err)
	}
	if err := d.CheckSchema(ctx); err != nil {
		t.Fatal(err)
	}
	for _, tbl := range upstreamTables {
		ok, err := d.tableExists(ctx, tbl)
		if err != nil || !ok {
			t.Errorf("table %s missing (err=%v)", tbl, err)
		}
	}
}

func TestMigratePostgres(t *testing.T) { checkMigrated(t, openPG(t)) }

func TestMigrateSQLite(t *testing.T) { checkMigrated(t, openTestSQLite(t)) }

func TestConcurrentMigrationsOnPostgres(t *testing.T) {
	dsn := testenv.NewPostgresDatabase(t)
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, err := Open(context.Background(), pgConfig(dsn), quiet())
			if err != nil {
				errs <- err
				return
			}
			defer func() { _ = d.Close() }()
			errs <- d.Migrate(context.Background(), quiet())
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent migrate: %v", err)
		}
	}
}

func rowCounts(t *testing.T, d *DB) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, tbl := range upstreamTables {
		var n int
		if err := d.SQL.QueryRowContext(context.Background(), "SELECT count(*) FROM "+tbl).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", tbl, err)
		}
		out[tbl] = n
	}
	return out
}

func TestWithTxRollsBack(t *testing.T) {
	for name, d := range map[string]*DB{"postgres": openPG(t), "sqlite": openTestSQLite(t)} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			if err := d.Migrate(ctx, quiet()); err != nil {
				t.Fatal(err)
			}
			boom := errors.New("boom")
			err := d.WithTx(ctx, func(ctx context.Context) error {
				if err := d.Conn(ctx).Exec("INSERT INTO groups (id, name) VALUES (?, ?)", "6f1c2a52-4c8e-4a53-9e0e-2a9b7c1f0a11", "g").Error; err != nil {
					return err
				}
				return d.WithTx(ctx, func(context.Context) error { return boom }) // nested joins outer
			})
			if !errors.Is(err, boom) {
				t.Fatalf("want boom, got %v", err)
			}
			var n int64
			d.Conn(ctx).Table("groups").Count(&n)
			if n != 0 {
				t.Fatalf("rolled-back insert is visible: %d rows", n)
			}
		})
	}
}

// Migrations must not inherit the serving pool's statement timeout: an index
// build on a large production table takes longer than any request may.
func TestMigrationsRunWithoutStatementTimeout(t *testing.T) {
	d := openPG(t)
	var serving, migrating string
	if err := d.SQL.QueryRow("SHOW statement_timeout").Scan(&serving); err != nil {
		t.Fatal(err)
	}
	mdb := d.migrationDB()
	defer func() { _ = mdb.Close() }()
	if err := mdb.QueryRow("SHOW statement_timeout").Scan(&migrating); err != nil {
		t.Fatal(err)
	}
	if serving != "25s" || migrating != "0" {
		t.Fatalf("statement_timeout: serving %q (want 25s), migrating %q (want 0)", serving, migrating)
	}
	// The copy must not have changed the serving configuration.
	if d.pg.RuntimeParams["statement_timeout"] != "25000" {
		t.Fatalf("serving config changed: %v", d.pg.RuntimeParams)
	}
}
