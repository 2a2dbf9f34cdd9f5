package testdb

import (
	"context"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// ForceParallel makes PostgreSQL put a parallel Gather on top of every
// parallel-safe plan for the rest of ctx's transaction (force_parallel_mode,
// debug_parallel_query from PostgreSQL 16): on a test database too small
// for the planner to choose a parallel scan, it shows whether a statement
// of the transaction may still start parallel workers (db.Serial). The
// worker limit is set to 2 so the answer does not depend on the server's.
func ForceParallel(ctx context.Context, t testing.TB, d *db.DB) {
	t.Helper()
	var version int
	if err := d.Conn(ctx).Raw("SELECT current_setting('server_version_num')::int").Scan(&version).Error; err != nil {
		t.Fatal(err)
	}
	name := "force_parallel_mode"
	if version >= 160000 {
		name = "debug_parallel_query"
	}
	for _, q := range []string{"SET LOCAL " + name + " = on", "SET LOCAL max_parallel_workers_per_gather = 2"} {
		if err := d.Conn(ctx).Exec(q).Error; err != nil {
			t.Fatal(err)
		}
	}
}

// PlansParallel reports whether query, planned in ctx's transaction, has
// a Gather node (EXPLAIN, not run).
func PlansParallel(ctx context.Context, t testing.TB, d *db.DB, query string, args ...any) bool {
	t.Helper()
	var lines []string
	if err := d.Conn(ctx).Raw("EXPLAIN "+query, args...).Scan(&lines).Error; err != nil {
		t.Fatal(err)
	}
	return strings.Contains(strings.Join(lines, "\n"), "Gather")
}
