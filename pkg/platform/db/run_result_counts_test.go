package db

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
)

// TestRunResultCountsBackfill: results written before migration 24 (here
// at 23) are counted by its backfill, per run, exactly as aggregating them
// does; results without a run are not. Running 24 again (an interrupted
// migration is repeated whole) counts nothing twice.
func TestRunResultCountsBackfill(t *testing.T) {
	ctx := context.Background()
	d := openPG(t)
	migrateUpTo(t, d, 23)
	now := time.Now().UTC()
	runs := []uuid.UUID{uuid.New(), uuid.New(), uuid.New()}
	outcomes := []any{"passed", "failed", "error", "skipped", "xfailed", "xpassed", nil}
	for i, r := range runs {
		if _, err := d.SQL.Exec("INSERT INTO runs (id, created, start_time) VALUES ($1, $2, $2)", r, now); err != nil {
			t.Fatal(err)
		}
		for k := range 20 * i {
			var dur any = float64(k) / 4
			if k%6 == 0 {
				dur = nil
			}
			if _, err := d.SQL.Exec("INSERT INTO results (id, run_id, result, duration, start_time) VALUES ($1, $2, $3, $4, $5)",
				uuid.New(), r, outcomes[k%len(outcomes)], dur, now); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := d.SQL.Exec("INSERT INTO results (id, result, start_time) VALUES ($1, 'failed', $2)", uuid.New(), now); err != nil {
		t.Fatal(err)
	}
	const counted = `SELECT run_id, sum(tests), sum(failures), sum(errors), sum(skips), sum(xfailures), sum(xpasses), sum(duration)::float8
		FROM ibutsu_run_result_counts GROUP BY run_id`
	const aggregated = `SELECT run_id, count(*), count(*) FILTER (WHERE result = 'failed'), count(*) FILTER (WHERE result = 'error'),
		count(*) FILTER (WHERE result = 'skipped'), count(*) FILTER (WHERE result = 'xfailed'),
		count(*) FILTER (WHERE result = 'xpassed'), coalesce(sum(duration), 0)
		FROM results WHERE run_id IS NOT NULL GROUP BY run_id`
	for pass := range 2 {
		if pass == 1 {
			if _, err := d.SQL.Exec("DELETE FROM goose_db_version WHERE version_id >= 24"); err != nil {
				t.Fatal(err)
			}
		}
		if err := d.Migrate(ctx, quiet()); err != nil {
			t.Fatal(err)
		}
		got, want := tableRows(t, d, counted), tableRows(t, d, aggregated)
		if len(want) != 2 || len(got) != len(want) {
			t.Fatalf("pass %d: %d runs counted, want %d", pass, len(got), len(want))
		}
		for run, w := range want {
			if got[run] != w {
				t.Errorf("pass %d: run %s counted %+v, aggregated %+v", pass, run, got[run], w)
			}
		}
	}
}

// runCounts is a run's counts and duration as a query returns them.
type runCounts struct {
	tests, failures, errors, skips, xfailures, xpasses int64
	duration                                           float64
}

// tableRows reads q's rows (run id, six counts, a duration) by run id.
func tableRows(t *testing.T, d *DB, q string) map[string]runCounts {
	t.Helper()
	rows, err := d.SQL.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]runCounts{}
	for rows.Next() {
		var k string
		var c runCounts
		if err := rows.Scan(&k, &c.tests, &c.failures, &c.errors, &c.skips, &c.xfailures, &c.xpasses, &c.duration); err != nil {
			t.Fatal(err)
		}
		out[k] = c
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
