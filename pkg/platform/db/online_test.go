package db

import (
	"context"
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestIndexesOnUpstreamTablesAreBuiltOnline: an adopted database may hold
// millions of results, and a plain CREATE INDEX holds a SHARE lock that
// stops every INSERT/UPDATE/DELETE until the build ends. Every migration
// after the baseline (which only runs on an empty database) must therefore
// build indexes on upstream's tables CONCURRENTLY, which goose can only run
// in a file marked NO TRANSACTION. The adoption of an older upstream
// revision builds upstream's missing indexes the same way.
func TestIndexesOnUpstreamTablesAreBuiltOnline(t *testing.T) {
	upstream := map[string]bool{}
	for _, n := range upstreamTableNames {
		upstream[n] = true
	}
	create := regexp.MustCompile(`(?is)CREATE\s+(UNIQUE\s+)?INDEX\s+(CONCURRENTLY\s+)?(IF\s+NOT\s+EXISTS\s+)?(\w+)\s+ON\s+(\w+)`)
	files, err := fs.Glob(migrationFiles, "migrations/postgres/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range files {
		if strings.HasSuffix(f, "/00001_baseline.sql") {
			continue
		}
		b, err := fs.ReadFile(migrationFiles, f)
		if err != nil {
			t.Fatal(err)
		}
		src := string(b)
		up, _, _ := strings.Cut(src, "-- +goose Down")
		for _, m := range create.FindAllStringSubmatch(up, -1) {
			if !upstream[m[5]] {
				continue // a table of ours, created empty in the same file
			}
			checked++
			if m[2] == "" {
				t.Errorf("%s: index %s on %s is not built CONCURRENTLY", f, m[4], m[5])
			}
			if !strings.Contains(src, "-- +goose NO TRANSACTION") {
				t.Errorf("%s: builds index %s CONCURRENTLY but is not marked NO TRANSACTION", f, m[4])
			}
		}
	}
	if checked < 10 {
		t.Fatalf("only %d index builds on upstream tables found; the pattern is broken", checked)
	}
}

// TestWritersKeepWritingWhileIndexesBuild: a writer with an open transaction
// on results makes an index build wait. A plain CREATE INDEX then queues
// for a SHARE lock and every later writer queues behind it; built
// CONCURRENTLY, later writers go straight through while the build waits.
func TestWritersKeepWritingWhileIndexesBuild(t *testing.T) {
	ctx := context.Background()
	d := openPG(t)
	migrateUpTo(t, d, 5) // 00006 builds indexes on results
	const insert = "INSERT INTO results (id, start_time) VALUES (gen_random_uuid(), now())"
	open, err := d.SQL.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer open.Rollback() //nolint:errcheck // committed below
	if _, err := open.Exec(insert); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- d.Migrate(ctx, quiet()) }()
	waiting := false
	for i := 0; i < 200 && !waiting; i++ {
		time.Sleep(50 * time.Millisecond)
		if err := d.SQL.QueryRow(`SELECT count(*) > 0 FROM pg_stat_activity
			WHERE datname = current_database() AND query ILIKE 'CREATE INDEX%' AND wait_event_type = 'Lock'`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
	}
	if !waiting {
		t.Fatal("the index build never waited for the open writer")
	}
	w, err := d.SQL.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = w.Close() }()
	if _, err := w.ExecContext(ctx, "SET lock_timeout = '2s'"); err != nil {
		t.Fatal(err)
	}
	_, werr := w.ExecContext(ctx, insert)
	if _, err := w.ExecContext(ctx, "RESET lock_timeout"); err != nil {
		t.Fatal(err)
	}
	if err := open.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if werr != nil {
		t.Fatalf("a writer was blocked by the index build: %v", werr)
	}
}

// TestConcurrentBuildsAreRebuiltWhenInvalid: every index a PostgreSQL
// migration builds CONCURRENTLY (Up or Down) is one Migrate drops when an
// interrupted build left it INVALID (concurrentIndexes); otherwise the
// rerun's IF NOT EXISTS would keep the useless index.
func TestConcurrentBuildsAreRebuiltWhenInvalid(t *testing.T) {
	known := map[string]bool{}
	for _, n := range concurrentIndexes() {
		known[n] = true
	}
	create := regexp.MustCompile(`(?is)CREATE\s+(?:UNIQUE\s+)?INDEX\s+CONCURRENTLY\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)`)
	files, err := fs.Glob(migrationFiles, "migrations/postgres/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range files {
		b, err := fs.ReadFile(migrationFiles, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range create.FindAllStringSubmatch(string(b), -1) {
			checked++
			if !known[m[1]] {
				t.Errorf("%s builds %s CONCURRENTLY but concurrentIndexes does not name it", f, m[1])
			}
		}
	}
	if checked < 10 {
		t.Fatalf("only %d concurrent index builds found; the pattern is broken", checked)
	}
}
