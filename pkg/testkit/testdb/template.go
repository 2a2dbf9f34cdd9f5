package testdb

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

// TemplatePrefix starts the name of every migrated template database; the
// rest is the start of db.MigrationsDigest.
const TemplatePrefix = "ibutsu_tpl_"

// templateLockID is the advisory lock held while a template is looked up
// and built, so test processes running together build each template once.
const templateLockID int64 = 0x1b75_7e57

// pgTemplate is this process's migrated template database, found or built
// on first use.
var pgTemplate struct {
	once sync.Once
	name string
	err  error
}

// NewMigratedPostgres returns the DSN of a fresh database on the test
// server holding the schema every migration builds, dropped when t ends.
//
// Migrating took most of a store test's setup (1.5 s of a 2.5 s setup at
// load 20, against 0.3 s of test), and every test repeated it. The schema is
// now migrated once into a template database named by the migrations'
// digest, and each test gets a copy of it (CREATE DATABASE … TEMPLATE),
// which is what CREATE DATABASE does anyway with template1. The template is
// kept on the server for later runs of the same migrations; a changed
// migration names a new one. The migrations themselves are tested on empty
// databases by package db.
func NewMigratedPostgres(t testing.TB) string {
	t.Helper()
	admin := testenv.PostgresDSN(t)
	pgTemplate.once.Do(func() { pgTemplate.name, pgTemplate.err = migratedTemplate(admin) })
	if pgTemplate.err != nil {
		t.Fatalf("migrated template database: %v", pgTemplate.err)
	}
	return testenv.NewPostgresDatabaseFrom(t, pgTemplate.name)
}

// migratedTemplate returns the name of the template database of this
// binary's migrations, building it first when the server has none: in a
// database of another name, renamed once migrated, so a template that
// exists is complete.
func migratedTemplate(admin string) (string, error) {
	digest, err := db.MigrationsDigest()
	if err != nil {
		return "", err
	}
	name := TemplatePrefix + digest[:16]
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return "", fmt.Errorf("connect to test PostgreSQL: %w", err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", templateLockID); err != nil {
		return "", fmt.Errorf("lock: %w", err)
	}
	defer func() { _, _ = conn.Exec(context.Background(), "SELECT pg_advisory_unlock($1)", templateLockID) }()
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", fmt.Errorf("look up %s: %w", name, err)
	}
	if exists {
		return name, nil
	}
	build := name + "_build_" + strings.ReplaceAll(uuid.NewString(), "-", "")[:8]
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+build); err != nil {
		return "", fmt.Errorf("create %s: %w", build, err)
	}
	url, err := testenv.WithDatabase(admin, build)
	if err == nil {
		err = migrateDatabase(ctx, url)
	}
	if err != nil {
		_, _ = conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+build+" WITH (FORCE)")
		return "", err
	}
	if _, err := conn.Exec(ctx, "ALTER DATABASE "+build+" RENAME TO "+name); err != nil {
		_, _ = conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+build+" WITH (FORCE)")
		return "", fmt.Errorf("rename %s: %w", build, err)
	}
	return name, nil
}

// migrateDatabase migrates the database at url and closes every connection to it.
func migrateDatabase(ctx context.Context, url string) error {
	d, err := db.Open(ctx, config.Database{URL: url, MaxOpenConns: 1, MaxIdleConns: 1}, quiet())
	if err != nil {
		return fmt.Errorf("open template: %w", err)
	}
	if err := d.Migrate(ctx, quiet()); err != nil {
		_ = d.Close()
		return fmt.Errorf("migrate template: %w", err)
	}
	return d.Close()
}
