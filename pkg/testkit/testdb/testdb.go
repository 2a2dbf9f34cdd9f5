// Package testdb opens the two databases every store test runs against: a
// fresh, migrated PostgreSQL database (testenv) and a migrated SQLite file.
// It lives apart from testenv because package db's own tests import testenv,
// which therefore cannot import db.
package testdb

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

// Both returns migrated databases keyed "postgres" and "sqlite"; they are
// closed when t ends.
func Both(t testing.TB) map[string]*db.DB {
	t.Helper()
	return map[string]*db.DB{
		"postgres": open(t, config.Database{URL: testenv.NewPostgresDatabase(t), MaxOpenConns: 4, MaxIdleConns: 4}),
		"sqlite":   open(t, config.Database{SQLitePath: filepath.Join(t.TempDir(), "ibutsu.db"), MaxOpenConns: 1, MaxIdleConns: 1}),
	}
}

// open opens and migrates one database, closed when t ends.
func open(t testing.TB, cfg config.Database) *db.DB {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	d, err := db.Open(context.Background(), cfg, quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	if err := d.Migrate(context.Background(), quiet); err != nil {
		t.Fatal(err)
	}
	return d
}

// Each runs fn as a subtest on each of Both's databases.
func Each(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	for name, d := range Both(t) {
		t.Run(name, func(t *testing.T) { fn(t, d) })
	}
}

// Postgres runs fn as Each's "postgres" subtest alone, for what only
// PostgreSQL has (row locks, planner settings, COPY, triggers): no SQLite
// database is opened for a test that has nothing to check there.
func Postgres(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	d := open(t, config.Database{URL: testenv.NewPostgresDatabase(t), MaxOpenConns: 4, MaxIdleConns: 4})
	t.Run("postgres", func(t *testing.T) { fn(t, d) })
}

// EachFixture runs fn as a subtest on each of Both's databases with a
// background context and the fixture newFixture seeds there: the opening
// (context, fixture) every test of a store package with a fixture repeated.
func EachFixture[F any](t *testing.T, newFixture func(*testing.T, *db.DB) F, fn func(t *testing.T, ctx context.Context, d *db.DB, f F)) {
	t.Helper()
	Each(t, func(t *testing.T, d *db.DB) { fn(t, context.Background(), d, newFixture(t, d)) })
}

// PostgresFixture is EachFixture on PostgreSQL alone (see Postgres).
func PostgresFixture[F any](t *testing.T, newFixture func(*testing.T, *db.DB) F, fn func(t *testing.T, ctx context.Context, d *db.DB, f F)) {
	t.Helper()
	Postgres(t, func(t *testing.T, d *db.DB) { fn(t, context.Background(), d, newFixture(t, d)) })
}

// Insert creates rows (pointers to models) in order and fails the test on
// the first error: the seeding step every store test takes.
func Insert(t testing.TB, d *db.DB, rows ...any) {
	t.Helper()
	for _, r := range rows {
		if err := d.Conn(context.Background()).Create(r).Error; err != nil {
			t.Fatalf("insert %T: %v", r, err)
		}
	}
}

// Tenants are the cast of a store test of project scoping: two projects,
// "mine" and "theirs", and an active user who is a member of mine only.
type Tenants struct {
	Mine, Theirs uuid.UUID
	Member       *model.User
}

// NewTenants inserts the two projects, the member and the membership.
func NewTenants(t testing.TB, d *db.DB) Tenants {
	t.Helper()
	ts := Tenants{Mine: uuid.New(), Theirs: uuid.New(), Member: &model.User{ID: uuid.New(), Email: "member@example.com", IsActive: true}}
	Insert(t, d, &model.Project{ID: ts.Mine, Name: model.Ptr("mine")}, &model.Project{ID: ts.Theirs, Name: model.Ptr("theirs")},
		ts.Member, &model.UserProject{UserID: ts.Member.ID, ProjectID: ts.Mine})
	return ts
}

// Count counts the rows of table matching where: how a test checks what a
// write left in the database, including in tables without a model.
func Count(t testing.TB, d *db.DB, table, where string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := d.Conn(context.Background()).Table(table).Where(where, args...).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// Reload reads the row of type T with primary key id again (what a call
// stored), failing the test when it cannot.
func Reload[T any](t testing.TB, d *db.DB, id uuid.UUID) *T {
	t.Helper()
	var row T
	if err := d.Conn(context.Background()).Where("id = ?", id).Take(&row).Error; err != nil {
		t.Fatalf("reload %T %s: %v", row, id, err)
	}
	return &row
}

// Rows reads the rows of type T matching where, sorted by order when it is
// not empty, failing the test when it cannot: how a test reads back what a
// call stored when there is more than one row.
func Rows[T any](t testing.TB, d *db.DB, order, where string, args ...any) []T {
	t.Helper()
	q := d.Conn(context.Background()).Where(where, args...)
	if order != "" {
		q = q.Order(order)
	}
	var rows []T
	if err := q.Find(&rows).Error; err != nil {
		t.Fatalf("read %T: %v", rows, err)
	}
	return rows
}

// Statements counts the SQL statements d runs from now on — every GORM
// query, row scan, raw exec, create, update and delete — so a test can pin
// how many round trips a code path makes. Store(0) before the path, Load
// after it.
func Statements(t testing.TB, d *db.DB) *atomic.Int64 {
	t.Helper()
	n := &atomic.Int64{}
	count := func(*gorm.DB) { n.Add(1) }
	// The counter's address names its callbacks apart from any other's.
	name := fmt.Sprintf("testdb:statements:%p", n)
	cb := d.Gorm.Callback()
	for _, err := range []error{
		cb.Query().After("gorm:query").Register(name, count),
		cb.Row().After("gorm:row").Register(name, count),
		cb.Raw().After("gorm:raw").Register(name, count),
		cb.Create().After("gorm:create").Register(name, count),
		cb.Update().After("gorm:update").Register(name, count),
		cb.Delete().After("gorm:delete").Register(name, count),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return n
}
