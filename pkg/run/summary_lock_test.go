package run

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// TestRecomputeDoesNotWaitForInserts: a result being inserted into a run
// holds, until it commits, the KEY SHARE lock its foreign-key check takes
// on the run's row. The summary recomputation locks that row too (so that
// two of them serialise), but in a mode that does not conflict with KEY
// SHARE: it neither waits for the inserts in flight nor makes new ones wait
// while it aggregates the run's results. With FOR UPDATE it did both, every
// 5 s window, for as long as the aggregate over the run took.
func TestRecomputeDoesNotWaitForInserts(t *testing.T) {
	testdb.Postgres(t, func(t *testing.T, d *db.DB) { // row lock modes are PostgreSQL's
		ctx := context.Background()
		f := newFixture(t, d)
		sqlDB, err := d.Gorm.DB()
		if err != nil {
			t.Fatal(err)
		}
		conn, err := sqlDB.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = conn.Close() }()
		if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
			t.Fatal(err)
		}
		defer func() { _, _ = conn.ExecContext(ctx, "ROLLBACK") }()
		if _, err := conn.ExecContext(ctx, `INSERT INTO results (id, project_id, run_id, result, start_time, data)
			VALUES ($1, $2, $3, 'passed', now(), '{}')`, uuid.New(), f.Mine, f.myRun.ID); err != nil {
			t.Fatal(err)
		}
		s := NewSummarizer(d, nil, quiet)
		wctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		defer cancel()
		if err := s.Recompute(wctx, f.myRun.ID); err != nil {
			t.Fatalf("recompute with an insert into the run in flight: %v", err)
		}
		// It summarised what was committed: the fixture's one result.
		if got := reloadRun(t, d, f.myRun.ID); got.Summary["tests"] != float64(1) {
			t.Errorf("summary %v, want 1 test", got.Summary)
		}
		// While the insert is still open, a second recomputation goes
		// through as well (the first committed and released its lock).
		if err := s.Recompute(wctx, f.myRun.ID); err != nil {
			t.Fatalf("second recompute: %v", err)
		}
	})
}
