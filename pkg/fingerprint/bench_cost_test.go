package fingerprint

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// BenchmarkFailureRowCost counts what PostgreSQL spends per stored row on a
// batch of 32 results as the result batcher writes it (InsertResults): all
// passed (the plain INSERT), all passed forced through the batch statement
// of a batch with failures (foldedInsert: its machinery without a
// fingerprint row), all failed (foldedInsert with a fingerprint row each),
// and all failed in a project whose automatic classification rule is on
// and whose earlier failures of the same fingerprint are classified, so
// the rule classifies every one (a classification row and an audit row
// each, as the ruled load of cmd/bench's ingest). The figures are counts
// that other load on the machine does not move the way it moves a time
// (issue #21: the machine's two cores are shared): statements, shared
// buffers hit and dirtied, WAL records and bytes per stored row, summed by
// pg_stat_statements over the database's top-level statements (their
// triggers and foreign-key checks included), and PostgreSQL's execution
// time per row for scale. The extra of a failure
// is failed minus passed-folded, the extra of a ruled failure ruled minus
// failed. It needs a server that preloads pg_stat_statements (track = all
// names the nested statements too, in the log); without it the benchmark
// is skipped. Run with
//
//	go test -run - -bench FailureRowCost -benchtime 200x ./pkg/fingerprint
func BenchmarkFailureRowCost(b *testing.B) {
	d := testdb.Both(b)["postgres"]
	ctx := context.Background()
	if err := d.Conn(ctx).Exec("CREATE EXTENSION IF NOT EXISTS pg_stat_statements").Error; err != nil {
		b.Skipf("no pg_stat_statements: %v", err)
	}
	if err := d.Conn(ctx).Exec("SELECT pg_stat_statements_reset()").Error; err != nil {
		b.Skipf("pg_stat_statements not preloaded: %v", err)
	}
	project, runID, ruledProject, ruledRun := uuid.New(), uuid.New(), uuid.New(), uuid.New()
	now := time.Now().UTC()
	testdb.Insert(b, d, &model.Project{ID: project, Name: model.Ptr("bench")}, &model.Run{ID: runID, ProjectID: &project, StartTime: now, Created: now},
		&model.Project{ID: ruledProject, Name: model.Ptr("ruled")}, &model.Run{ID: ruledRun, ProjectID: &ruledProject, StartTime: now, Created: now},
		&SettingsRow{ProjectID: ruledProject, AutoClassify: true})
	const size = 32
	seq := 0
	// batch is size results of one status in project p's run; a failure
	// carries classification cls when it is not "".
	batch := func(p, run uuid.UUID, status, cls string) []*model.Result {
		rows := make([]*model.Result, size)
		for i := range rows {
			seq++
			md := model.JSON{"project": "bench", "env": "ci"}
			if status == "failed" {
				// One fingerprint for every failure, as in cmd/bench's ingest.
				md["short_tb"] = fmt.Sprintf("E   ConnectionError: request %s timed out\n\ntests/test_api.py:1: ConnectionError", uuid.NewString())
				if cls != "" {
					md["classification"] = cls
				}
			}
			rows[i] = &model.Result{ID: uuid.New(), ProjectID: &p, RunID: &run, TestID: model.Ptr(fmt.Sprintf("test_%d", seq)),
				Result: model.Ptr(status), Data: md, StartTime: now.Add(time.Duration(seq) * time.Millisecond), Duration: model.Ptr(0.5)}
		}
		return rows
	}
	plain := func(ctx context.Context, rows []*model.Result) error {
		return InsertResults(ctx, d, rows, func(ctx context.Context) error { return d.Conn(ctx).Create(rows).Error })
	}
	forceFolded := func(ctx context.Context, rows []*model.Result) error {
		args, _, err := foldArgs(rows, nil)
		if err != nil {
			return err
		}
		_, _, err = runFolded(ctx, d, args)
		return err
	}
	// ruled writes as plain does and checks that the rule classified every
	// failure.
	ruled := func(ctx context.Context, rows []*model.Result) error {
		if err := plain(ctx, rows); err != nil {
			return err
		}
		for _, r := range rows {
			if r.Data["classification"] != "product_failure" {
				return fmt.Errorf("result %s: the rule gave %v", r.ID, r.Data["classification"])
			}
		}
		return nil
	}
	// Earlier failures of the fingerprint, so its index entries are not
	// the first of an empty table; in the ruled project classified, so the
	// rule has a classification to give.
	for range 20 {
		if err := plain(ctx, batch(project, runID, "failed", "")); err != nil {
			b.Fatal(err)
		}
		if err := plain(ctx, batch(ruledProject, ruledRun, "failed", "product_failure")); err != nil {
			b.Fatal(err)
		}
	}
	for _, c := range []struct {
		name, status string
		project, run uuid.UUID
		write        func(context.Context, []*model.Result) error
	}{
		{"passed/plain", "passed", project, runID, plain},
		{"passed/folded", "passed", project, runID, forceFolded},
		{"failed/folded", "failed", project, runID, plain},
		{"failed/ruled", "failed", ruledProject, ruledRun, ruled},
	} {
		b.Run(c.name, func(b *testing.B) {
			batches := make([][]*model.Result, b.N)
			for i := range batches {
				batches[i] = batch(c.project, c.run, c.status, "")
			}
			if err := d.Conn(ctx).Exec("SELECT pg_stat_statements_reset()").Error; err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for _, rows := range batches {
				if err := c.write(ctx, rows); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			reportStatementCosts(b, d, float64(b.N*size))
		})
	}
}

// reportStatementCosts reports pg_stat_statements' sums over the current
// database's top-level statements per stored row (the reset and this read
// left out), and logs the heaviest statements, nested ones included.
func reportStatementCosts(b *testing.B, d *db.DB, rows float64) {
	b.Helper()
	ctx := context.Background()
	const own = `dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT LIKE '%pg_stat_statements%'`
	var sum struct {
		Calls, Hit, Dirtied, WALRecords, WALBytes float64
		Exec                                      float64
	}
	err := d.Conn(ctx).Raw(`SELECT coalesce(sum(calls), 0) AS calls, coalesce(sum(shared_blks_hit), 0) AS hit,
		coalesce(sum(shared_blks_dirtied), 0) AS dirtied, coalesce(sum(wal_records), 0) AS wal_records,
		coalesce(sum(wal_bytes), 0) AS wal_bytes, coalesce(sum(total_exec_time), 0) AS exec
		FROM pg_stat_statements WHERE toplevel AND ` + own).Scan(&sum).Error
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(sum.Calls/rows, "stmts/row")
	b.ReportMetric(sum.Hit/rows, "hit/row")
	b.ReportMetric(sum.Dirtied/rows, "dirtied/row")
	b.ReportMetric(sum.WALRecords/rows, "walrec/row")
	b.ReportMetric(sum.WALBytes/rows, "walB/row")
	b.ReportMetric(sum.Exec*1000/rows, "pgµs/row")
	var top []struct {
		Toplevel                                  bool
		Calls, Hit, Dirtied, WALRecords, WALBytes float64
		Exec                                      float64
		Query                                     string
	}
	err = d.Conn(ctx).Raw(`SELECT toplevel, calls, shared_blks_hit AS hit, shared_blks_dirtied AS dirtied, wal_records, wal_bytes,
		total_exec_time AS exec, left(regexp_replace(query, '\s+', ' ', 'g'), 90) AS query
		FROM pg_stat_statements WHERE ` + own + ` ORDER BY total_exec_time DESC LIMIT 12`).Scan(&top).Error
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range top {
		b.Logf("top=%-5v calls/row %.3f hit/row %.2f dirtied/row %.2f walrec/row %.2f walB/row %.0f µs/row %.1f  %s",
			s.Toplevel, s.Calls/rows, s.Hit/rows, s.Dirtied/rows, s.WALRecords/rows, s.WALBytes/rows, s.Exec*1000/rows, s.Query)
	}
}
