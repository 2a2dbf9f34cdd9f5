// Package testenv gives tests the addresses of the real services they talk to
// (PostgreSQL, Redis) and fresh, isolated databases on them.
//
// Tests never mock the database or the queue. A service address comes from an
// environment variable; when it is unset the test is skipped on a developer's
// machine but fails under CI=true, so CI can never pass by skipping.
package testenv

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// PostgresEnv names the variable holding an admin DSN of the test PostgreSQL server.
const PostgresEnv = "IBUTSU_TEST_DATABASE_URL"

// RedisEnv names the variable holding the URL of the test Redis server.
const RedisEnv = "IBUTSU_TEST_REDIS_URL"

// require returns the env var's value, or skips (locally) / fails (CI) the test.
func require(t testing.TB, name string) string {
	t.Helper()
	v := strings.TrimSpace(os.Getenv(name))
	if v != "" {
		return v
	}
	if strings.EqualFold(os.Getenv("CI"), "true") {
		t.Fatalf("%s is not set; under CI=true a missing service is a failure", name)
	}
	t.Skipf("%s is not set; skipping a test that needs it", name)
	return ""
}

// PostgresDSN returns the admin DSN of the test PostgreSQL server.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	return require(t, PostgresEnv)
}

// RedisURL returns the URL of the test Redis server.
func RedisURL(t testing.TB) string {
	t.Helper()
	return require(t, RedisEnv)
}

// NewPostgresDatabase creates an empty database with a unique name on the test
// server, drops it when the test ends, and returns a DSN pointing at it.
func NewPostgresDatabase(t testing.TB) string {
	t.Helper()
	admin := PostgresDSN(t)
	name := "ibutsu_t_" + strings.ReplaceAll(uuid.NewString(), "-", "")[:16]
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("connect to test PostgreSQL: %v", err)
	}
	defer func() { _ = conn.Close(ctx) }()
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, admin)
		if err != nil {
			t.Logf("drop test database: %v", err)
			return
		}
		defer func() { _ = c.Close(ctx) }()
		if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("drop test database: %v", err)
		}
	})
	return withDatabase(t, admin, name)
}

// withDatabase swaps the database name inside a URL- or keyword-style DSN.
func withDatabase(t testing.TB, dsn, name string) string {
	t.Helper()
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatalf("parse %s: %v", PostgresEnv, err)
		}
		u.Path = "/" + name
		return u.String()
	}
	fields := strings.Fields(dsn)
	out := make([]string, 0, len(fields)+1)
	for _, f := range fields {
		if !strings.HasPrefix(f, "dbname=") {
			out = append(out, f)
		}
	}
	return strings.Join(append(out, fmt.Sprintf("dbname=%s", name)), " ")
}
