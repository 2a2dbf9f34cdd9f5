package fingerprint

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// foldFixture is a world written identically into two databases: project
// ruled (automatic classification on) and plain (off), a run in each, and
// classified failures of three traces.
type foldFixture struct {
	ruled, plain, ruledRun, plainRun uuid.UUID
	now                              time.Time
}

func foldTrace(kind string, n int) string {
	switch kind {
	case "x":
		return fmt.Sprintf("E   ConnectionError: request %s timed out after %ds\n\ntests/test_api.py:%d: ConnectionError", uuid.NewSHA1(uuid.NameSpaceURL, fmt.Append(nil, n)), n, n)
	case "y":
		return fmt.Sprintf("E   KeyError: 'order-%d'\n\ntests/test_orders.py:%d: KeyError", n, n)
	}
	return fmt.Sprintf("E   assert %d == 2\n\ntests/test_math.py:%d: AssertionError", n, n)
}

func (f foldFixture) seed(t *testing.T, d *db.DB) {
	t.Helper()
	testdb.Insert(t, d, &model.Project{ID: f.ruled, Name: model.Ptr("ruled")}, &model.Project{ID: f.plain, Name: model.Ptr("plain")},
		&model.Run{ID: f.ruledRun, ProjectID: &f.ruled, StartTime: f.now, Created: f.now},
		&model.Run{ID: f.plainRun, ProjectID: &f.plain, StartTime: f.now, Created: f.now},
		&SettingsRow{ProjectID: f.ruled, AutoClassify: true}, &SettingsRow{ProjectID: f.plain})
	var seeds []*model.Result
	add := func(project, run uuid.UUID, trace, class string, n int) {
		seeds = append(seeds, &model.Result{ID: uuid.NewSHA1(uuid.NameSpaceOID, fmt.Appendf(nil, "seed-%d", n)), ProjectID: &project, RunID: &run,
			TestID: model.Ptr(fmt.Sprintf("seed_%d", n)), Result: model.Ptr("failed"), StartTime: f.now.Add(-time.Hour),
			Data: model.JSON{"short_tb": foldTrace(trace, n), "classification": class}})
	}
	// x: a tie between "alpha" and "Zeta" (byte order picks "Zeta");
	// y: "product_failure" twice, "environment_failure" once.
	add(f.ruled, f.ruledRun, "x", "alpha", 1)
	add(f.ruled, f.ruledRun, "x", "Zeta", 2)
	add(f.ruled, f.ruledRun, "y", "product_failure", 3)
	add(f.ruled, f.ruledRun, "y", "product_failure", 4)
	add(f.ruled, f.ruledRun, "y", "environment_failure", 5)
	add(f.plain, f.plainRun, "x", "environment_failure", 6)
	if err := WithResults(context.Background(), d, seeds, func(ctx context.Context) error { return d.Conn(ctx).Create(seeds).Error }); err != nil {
		t.Fatal(err)
	}
}

// batch is the batch under test, the same ids every call.
func (f foldFixture) batch() []*model.Result {
	var rs []*model.Result
	add := func(project *uuid.UUID, run *uuid.UUID, status string, md model.JSON) {
		n := len(rs)
		rs = append(rs, &model.Result{ID: uuid.NewSHA1(uuid.NameSpaceOID, fmt.Appendf(nil, "batch-%d", n)), ProjectID: project, RunID: run,
			TestID: model.Ptr(fmt.Sprintf("tests/test_fold.py::test_%d", n)), Result: &status, Duration: model.Ptr(0.5),
			StartTime: f.now.Add(time.Duration(n) * time.Millisecond), Data: md, Env: model.MetaString(md, "env"), Component: model.MetaString(md, "component")})
	}
	add(&f.ruled, &f.ruledRun, "passed", model.JSON{"env": "ci", "component": "api"})
	add(&f.ruled, &f.ruledRun, "failed", model.JSON{"short_tb": foldTrace("x", 11), "env": "ci"})                             // ruled: Zeta
	add(&f.ruled, &f.ruledRun, "error", model.JSON{"short_tb": foldTrace("y", 12), "component": "db"})                        // ruled: product_failure
	add(&f.ruled, &f.ruledRun, "failed", model.JSON{"short_tb": foldTrace("y", 13), "classification": "needs_triage"})        // keeps its own
	add(&f.ruled, &f.ruledRun, "failed", model.JSON{"short_tb": foldTrace("z", 14)})                                          // new: nothing to apply
	add(&f.ruled, &f.ruledRun, "failed", model.JSON{"short_tb": foldTrace("y", 15), "classification": ""})                    // empty: ruled
	add(&f.ruled, &f.ruledRun, "failed", model.JSON{"short_tb": foldTrace("y", 18), "classification": 7.0})                   // a number: kept as "7"
	add(&f.ruled, &f.ruledRun, "failed", model.JSON{"exception_name": "KeyError", "nested": map[string]any{"a": []any{1.0}}}) // exception only
	add(&f.plain, &f.plainRun, "failed", model.JSON{"short_tb": foldTrace("x", 16)})                                          // rule off
	add(nil, nil, "failed", model.JSON{"short_tb": foldTrace("x", 17)})                                                       // no project
	add(&f.ruled, nil, "skipped", nil)
	rs[len(rs)-1].Params = model.JSON{"browser": "firefox"}
	rs[len(rs)-1].Source = model.Ptr("jenkins")
	return rs
}

// tableDump reads a table's rows as text, sorted, without the columns in
// skip (generated ids and times).
func tableDump(t *testing.T, d *db.DB, table string, skip ...string) []string {
	t.Helper()
	rows, err := d.SQL.QueryContext(context.Background(), "SELECT * FROM "+table)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rows.Close() }()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		line := ""
	col:
		for i, c := range cols {
			for _, s := range skip {
				if s == c {
					continue col
				}
			}
			v := vals[i]
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			line += fmt.Sprintf("%s=%v ", c, v)
		}
		out = append(out, line)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// TestInsertResultsFoldsLikeWithResults writes the same batch through
// WithResults (a transaction of several statements) into one database and
// through InsertResults (one statement) into another: every table the
// write touches, and the results as the caller holds them afterwards, must
// be the same — the rule's choices (ties in byte order, a rule that is off,
// a result that brings its own classification, an empty or a numeric one), the
// fingerprints, classification rows, audit rows and the trigger-kept counts.
func TestInsertResultsFoldsLikeWithResults(t *testing.T) {
	ctx := context.Background()
	f := foldFixture{ruled: uuid.New(), plain: uuid.New(), ruledRun: uuid.New(), plainRun: uuid.New(), now: time.Now().UTC().Truncate(time.Second)}
	ref, folded := testdb.Both(t)["postgres"], testdb.Both(t)["postgres"]
	if !canFold(ctx, folded) {
		t.Fatal("InsertResults would not fold on PostgreSQL outside a transaction")
	}
	f.seed(t, ref)
	f.seed(t, folded)
	want, got := f.batch(), f.batch()
	if err := WithResults(ctx, ref, want, func(ctx context.Context) error { return ref.Conn(ctx).Create(want).Error }); err != nil {
		t.Fatal(err)
	}
	plainInserts := 0
	if err := InsertResults(ctx, folded, got, func(ctx context.Context) error { plainInserts++; return nil }); err != nil {
		t.Fatal(err)
	}
	if plainInserts != 0 {
		t.Fatal("a batch with failures went to the plain insert")
	}
	for i := range want {
		if !reflect.DeepEqual(want[i].Data, got[i].Data) {
			t.Errorf("result %d holds %v after the folded insert, %v after WithResults", i, got[i].Data, want[i].Data)
		}
	}
	if c := got[1].Data["classification"]; c != "Zeta" {
		t.Errorf("tie: classified %v, want Zeta (byte order)", c)
	}
	if c := got[2].Data["classification"]; c != "product_failure" {
		t.Errorf("majority: classified %v, want product_failure", c)
	}
	for _, tc := range []struct {
		table string
		skip  []string
	}{
		{"results", nil},
		{"ibutsu_result_fingerprints", nil},
		{"ibutsu_fingerprint_classifications", nil},
		{"ibutsu_classification_history", []string{"id", "changed_at"}},
		{"(SELECT project_id, day, result, component, env, SUM(n) AS n FROM ibutsu_result_counts GROUP BY 1, 2, 3, 4, 5) c", nil},
	} {
		w, g := tableDump(t, ref, tc.table, tc.skip...), tableDump(t, folded, tc.table, tc.skip...)
		if !reflect.DeepEqual(w, g) {
			t.Errorf("%s differs:\nWithResults:\n%v\nfolded:\n%v", tc.table, w, g)
		}
	}
	if h := tableDump(t, folded, "ibutsu_classification_history WHERE by_rule"); len(h) != 3 {
		t.Errorf("%d rule audit rows, want 3: %v", len(h), h)
	}
}

// TestInsertResultsAllOrNothing: a batch with failures refused for one row
// (a duplicate id, then a missing run) writes nothing, leaves the results
// as they were and reports gorm's error, as the plain insert would.
func TestInsertResultsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	f := foldFixture{ruled: uuid.New(), plain: uuid.New(), ruledRun: uuid.New(), plainRun: uuid.New(), now: time.Now().UTC().Truncate(time.Second)}
	d := testdb.Both(t)["postgres"]
	f.seed(t, d)
	count := func() []int64 {
		var out []int64
		for _, table := range []string{"results", "ibutsu_result_fingerprints", "ibutsu_fingerprint_classifications", "ibutsu_classification_history"} {
			var n int64
			if err := d.SQL.QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(&n); err != nil {
				t.Fatal(err)
			}
			out = append(out, n)
		}
		return out
	}
	before := count()
	noInsert := func(context.Context) error { t.Fatal("plain insert for a batch with failures"); return nil }

	dup := f.batch()
	dup[len(dup)-1].ID = uuid.NewSHA1(uuid.NameSpaceOID, []byte("seed-1"))
	if err := InsertResults(ctx, d, dup, noInsert); !errors.Is(err, gorm.ErrDuplicatedKey) {
		t.Fatalf("duplicate id: %v, want ErrDuplicatedKey", err)
	}
	if _, ok := dup[1].Data["classification"]; ok {
		t.Error("a refused batch's result kept the rule's classification")
	}
	missing := f.batch()
	missing[len(missing)-1].RunID = model.Ptr(uuid.New())
	if err := InsertResults(ctx, d, missing, noInsert); !errors.Is(err, gorm.ErrForeignKeyViolated) {
		t.Fatalf("missing run: %v, want ErrForeignKeyViolated", err)
	}
	if after := count(); !reflect.DeepEqual(before, after) {
		t.Fatalf("row counts %v after refused batches, %v before", after, before)
	}

	// In a caller's transaction the batch joins it (WithResults), and a
	// batch without failures is the plain insert.
	passed := []*model.Result{{ID: uuid.New(), ProjectID: &f.ruled, Result: model.Ptr("passed"), StartTime: f.now}}
	plain := 0
	if err := InsertResults(ctx, d, passed, func(ctx context.Context) error { plain++; return d.Conn(ctx).Create(passed).Error }); err != nil || plain != 1 {
		t.Fatalf("batch without failures: %v, plain inserts %d", err, plain)
	}
	inTx := f.batch()[1:2]
	err := d.WithTx(ctx, func(ctx context.Context) error {
		return InsertResults(ctx, d, inTx, func(ctx context.Context) error { plain++; return d.Conn(ctx).Create(inTx).Error })
	})
	if err != nil || plain != 2 || inTx[0].Data["classification"] != "Zeta" {
		t.Fatalf("in a transaction: %v, plain inserts %d, classification %v", err, plain, inTx[0].Data["classification"])
	}
}

// TestInsertResultsKeepsAGenericPlan: PostgreSQL plans a prepared statement
// for its parameters five times, then keeps one generic plan if that plan
// does not look costlier. foldedInsert relies on it: planned afresh each
// time, its CTEs cost about twice the backend CPU of executing it. An edit
// that makes the generic plan look costlier (a LATERAL join for the rule's
// choice did) would have every batch planned again; this pins that it is
// not, on one connection, over batches of the sizes the batcher writes (a
// lone request to a full batch), with the rule on and off.
func TestInsertResultsKeepsAGenericPlan(t *testing.T) {
	ctx := context.Background()
	f := foldFixture{ruled: uuid.New(), plain: uuid.New(), ruledRun: uuid.New(), plainRun: uuid.New(), now: time.Now().UTC().Truncate(time.Second)}
	d := testdb.Both(t)["postgres"]
	f.seed(t, d)
	d.SQL.SetMaxOpenConns(1) // pg_prepared_statements is per session
	noInsert := func(context.Context) error { t.Fatal("plain insert for a batch with failures"); return nil }
	// Lone requests first (one client): the first five plans are then the
	// cheapest custom plans there are, the bar the generic plan must pass.
	sizes := [][]int{{1}, {1}, {1}, {1}, {1}, {1}, {1}, {1}}
	for range 4 {
		sizes = append(sizes, []int{1, 10, 128})
	}
	n := 0
	for round, batchSizes := range sizes {
		for _, size := range batchSizes {
			project, run := &f.plain, &f.plainRun
			if round%2 == 1 {
				project, run = &f.ruled, &f.ruledRun
			}
			rs := make([]*model.Result, size)
			for i := range rs {
				status, md := "passed", model.JSON{"env": "ci"}
				if i%10 == 0 {
					status, md["short_tb"] = "failed", foldTrace("y", 3)
				}
				rs[i] = &model.Result{ID: uuid.New(), ProjectID: project, RunID: run, TestID: model.Ptr(fmt.Sprintf("test_%d_%d", round, i)),
					Result: &status, Data: md, StartTime: f.now}
			}
			if err := InsertResults(ctx, d, rs, noInsert); err != nil {
				t.Fatal(err)
			}
			if round%2 == 1 && rs[0].Data["classification"] != "product_failure" {
				t.Fatalf("the rule did not apply: %v", rs[0].Data)
			}
			n++
		}
	}
	var generic, custom int64
	err := d.SQL.QueryRowContext(ctx, `SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = $1`, foldedInsert).
		Scan(&generic, &custom)
	if err != nil {
		t.Fatalf("the folded statement is not prepared on the connection: %v", err)
	}
	if custom > 5 || generic+custom != int64(n) {
		t.Fatalf("%d executions: %d generic plans, %d custom (want at most the first 5 custom)", n, generic, custom)
	}
}

// TestInsertResultsOfReusesKnownFingerprints: InsertResultsOf writes the
// rows it was given for the results they belong to instead of computing
// them again (POST /api/result computed them to read the marks), computes
// the others, and a known row without a fingerprint writes none.
func TestInsertResultsOfReusesKnownFingerprints(t *testing.T) {
	ctx := context.Background()
	f := foldFixture{ruled: uuid.New(), plain: uuid.New(), ruledRun: uuid.New(), plainRun: uuid.New(), now: time.Now().UTC().Truncate(time.Second)}
	d := testdb.Both(t)["postgres"]
	f.seed(t, d)
	rs := f.batch()
	known := make([]*Row, len(rs))
	var given, computed, none *model.Result
	for i, r := range rs {
		row, ok := Of(r)
		switch {
		case !ok:
		case given == nil:
			row.Fingerprint = "given-" + row.Fingerprint[:8]
			known[i], given = &row, r
		case computed == nil:
			computed = r
		case none == nil:
			known[i], none = &Row{}, r
		}
	}
	if none == nil {
		t.Fatal("the fixture's batch has fewer than three failures")
	}
	if err := InsertResultsOf(ctx, d, rs, known, func(context.Context) error { t.Fatal("plain insert"); return nil }); err != nil {
		t.Fatal(err)
	}
	stored := func(r *model.Result) string {
		var fp []string
		if err := d.Conn(ctx).Raw(`SELECT fingerprint FROM ibutsu_result_fingerprints WHERE result_id = ?`, r.ID).Scan(&fp).Error; err != nil {
			t.Fatal(err)
		}
		return strings.Join(fp, ",")
	}
	want, _ := Of(computed)
	if got := stored(given); got != known[slices.Index(rs, given)].Fingerprint {
		t.Errorf("given row stored %q, want the given fingerprint", got)
	}
	if got := stored(computed); got != want.Fingerprint {
		t.Errorf("computed row stored %q, want %q", got, want.Fingerprint)
	}
	if got := stored(none); got != "" {
		t.Errorf("a known row without fingerprint stored %q, want none", got)
	}
}
