package fingerprint

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// countsQuery is the trigger-kept counts per group, summed over the delta
// rows; rowsQuery is the same counted from the classification rows.
const (
	countsQuery = `(SELECT project_id, fingerprint, classification, SUM(n) AS n FROM ibutsu_fingerprint_class_counts
		GROUP BY 1, 2, 3 HAVING SUM(n) <> 0) c`
	rowsQuery = `(SELECT project_id, fingerprint, classification, COUNT(*) AS n FROM ibutsu_fingerprint_classifications
		WHERE project_id IS NOT NULL GROUP BY 1, 2, 3) c`
)

// TestConcurrentRuledIngest: goroutines write batches with failures of one
// fingerprint into a project whose automatic classification rule is on,
// all at once, as the result batcher's workers do under load (issue #21's
// bench: one classified cluster). Every failure must be classified by the
// rule with its audit row, no writer may lose another's rows, the counts
// the rule reads must equal the classification rows, and the counts'
// delta rows of the cluster must stay a few dozen (folded), not one per
// batch.
func TestConcurrentRuledIngest(t *testing.T) {
	ctx := context.Background()
	f := foldFixture{ruled: uuid.New(), plain: uuid.New(), ruledRun: uuid.New(), plainRun: uuid.New(), now: time.Now().UTC().Truncate(time.Second)}
	d := testdb.Both(t)["postgres"]
	f.seed(t, d)
	const writers, batches, size = 12, 12, 5
	d.SQL.SetMaxOpenConns(writers)
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Go(func() {
			for b := range batches {
				rs := make([]*model.Result, size)
				for i := range rs {
					status, md := "passed", model.JSON{}
					if i < 2 { // two failures a batch, the rest passed
						status, md["short_tb"] = "failed", foldTrace("y", 1000*w+10*b+i)
					}
					rs[i] = &model.Result{ID: uuid.New(), ProjectID: &f.ruled, RunID: &f.ruledRun,
						TestID: model.Ptr(fmt.Sprintf("test_%d_%d_%d", w, b, i)), Result: &status, Data: md, StartTime: f.now}
				}
				if err := InsertResults(ctx, d, rs, func(context.Context) error { return fmt.Errorf("plain insert for a batch with failures") }); err != nil {
					errs <- err
					return
				}
				if rs[0].Data["classification"] != "product_failure" {
					errs <- fmt.Errorf("writer %d batch %d: the rule gave %v", w, b, rs[0].Data["classification"])
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	failures := writers * batches * 2
	one := func(q string, args ...any) int64 {
		t.Helper()
		var n int64
		if err := d.SQL.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, c := range []struct {
		what string
		q    string
		want int
	}{
		{"results", `SELECT count(*) FROM results WHERE test_id LIKE 'test\_%'`, writers * batches * size},
		{"failures classified by the rule", `SELECT count(*) FROM results WHERE test_id LIKE 'test\_%' AND data->>'classification' = 'product_failure'`, failures},
		{"unclassified failures", `SELECT count(*) FROM results WHERE test_id LIKE 'test\_%' AND result = 'failed' AND NOT data ? 'classification'`, 0},
		{"fingerprint rows", `SELECT count(*) FROM ibutsu_result_fingerprints f JOIN results r ON r.id = f.result_id WHERE r.test_id LIKE 'test\_%'`, failures},
		{"classification rows", `SELECT count(*) FROM ibutsu_fingerprint_classifications c JOIN results r ON r.id = c.result_id
			WHERE r.test_id LIKE 'test\_%' AND c.classification = 'product_failure'`, failures},
		{"rule audit rows", `SELECT count(DISTINCT h.result_id) FROM ibutsu_classification_history h JOIN results r ON r.id = h.result_id
			WHERE r.test_id LIKE 'test\_%' AND h.by_rule AND h.new_value = 'product_failure' AND h.old_value IS NULL`, failures},
		{"audit rows", `SELECT count(*) FROM ibutsu_classification_history h JOIN results r ON r.id = h.result_id WHERE r.test_id LIKE 'test\_%'`, failures},
	} {
		if got := one(c.q); got != int64(c.want) {
			t.Errorf("%s: %d, want %d", c.what, got, c.want)
		}
	}
	if w, g := tableDump(t, d, rowsQuery), tableDump(t, d, countsQuery); !reflect.DeepEqual(w, g) {
		t.Errorf("counts differ from the classification rows:\nrows:\n%v\ncounts:\n%v", w, g)
	}
	fp := one(`SELECT count(DISTINCT fingerprint) FROM ibutsu_result_fingerprints f JOIN results r ON r.id = f.result_id WHERE r.test_id LIKE 'test\_%'`)
	if fp != 1 {
		t.Fatalf("%d fingerprints, want the one cluster", fp)
	}
	// 144 batches each appended a delta row; the folds keep the cluster's
	// at most 32 plus those appended while another writer folded.
	deltas := one(`SELECT count(*) FROM ibutsu_fingerprint_class_counts WHERE project_id = $1
		AND fingerprint = (SELECT fingerprint FROM ibutsu_result_fingerprints f JOIN results r ON r.id = f.result_id WHERE r.test_id LIKE 'test\_%' LIMIT 1)`, f.ruled)
	if deltas > 32+writers {
		t.Errorf("the cluster has %d count rows after %d batches, want at most %d (folded)", deltas, writers*batches, 32+writers)
	}
}

// TestClassCountsFollowEveryWrite: the counts migration 00021's triggers
// keep equal the classification rows after each way those change — a
// batch of new results (rows inserted), an import's upsert over existing
// rows (insert and update in one statement), a re-sync (delete and
// insert), a run moved to another project (update), results deleted
// (cascade), and a truncate.
func TestClassCountsFollowEveryWrite(t *testing.T) {
	ctx := context.Background()
	f := foldFixture{ruled: uuid.New(), plain: uuid.New(), ruledRun: uuid.New(), plainRun: uuid.New(), now: time.Now().UTC().Truncate(time.Second)}
	d := testdb.Both(t)["postgres"]
	f.seed(t, d)
	same := func(step string) {
		t.Helper()
		w, g := tableDump(t, d, rowsQuery), tableDump(t, d, countsQuery)
		if !reflect.DeepEqual(w, g) {
			t.Fatalf("after %s the counts differ from the classification rows:\nrows:\n%v\ncounts:\n%v", step, w, g)
		}
		if len(w) == 0 && step != "truncate" {
			t.Fatalf("after %s: no classification rows to compare", step)
		}
	}
	same("seeding")
	batch := f.batch()
	if err := InsertResults(ctx, d, batch, func(context.Context) error { return nil }); err != nil {
		t.Fatal(err)
	}
	same("the folded insert")

	// An edit: one classification changed, one added, through the upsert
	// and through a re-sync.
	batch[1].Data["classification"] = "product_failure"
	if err := d.Conn(ctx).Model(batch[1]).Update("data", batch[1].Data).Error; err != nil {
		t.Fatal(err)
	}
	rows := rowsOf(batch) // the classifications as the results now hold them
	if err := upsertClasses(ctx, d, rows); err != nil {
		t.Fatal(err)
	}
	same("an upsert over existing rows")
	if err := SyncClasses(ctx, d, resultIDs(rows)); err != nil {
		t.Fatal(err)
	}
	same("a re-sync")

	if err := d.WithTx(ctx, func(ctx context.Context) error { return MoveRun(ctx, d, f.ruledRun, f.plain) }); err != nil {
		t.Fatal(err)
	}
	same("a run moved to another project")

	if err := d.Conn(ctx).Where("id = ?", batch[2].ID).Delete(&model.Result{}).Error; err != nil {
		t.Fatal(err)
	}
	same("a result deleted")
	if err := d.Conn(ctx).Exec("DELETE FROM results WHERE run_id = ?", f.plainRun).Error; err != nil {
		t.Fatal(err)
	}
	same("a run's results deleted")

	if err := d.Conn(ctx).Exec("TRUNCATE ibutsu_fingerprint_classifications").Error; err != nil {
		t.Fatal(err)
	}
	same("truncate")
}

// TestImportRuleReadsTheCounts: the rule as imports apply it (PrepareRows,
// once per batch of 1,000 in the import's transaction) must read the
// trigger-kept counts, not every classified result of the fingerprint: with
// a cluster of a few hundred classified results, its statement reads a few
// dozen rows and no classification row, and still picks the cluster's most
// common classification.
func TestImportRuleReadsTheCounts(t *testing.T) {
	ctx := context.Background()
	f := foldFixture{ruled: uuid.New(), plain: uuid.New(), ruledRun: uuid.New(), plainRun: uuid.New(), now: time.Now().UTC().Truncate(time.Second)}
	d := testdb.Both(t)["postgres"]
	f.seed(t, d)
	// "y" grows to 300 classified results, most of them environment_failure
	// (the seed has product_failure twice), in batches as an import writes.
	const cluster, per = 300, 50
	for b := range cluster / per {
		rs := make([]*model.Result, per)
		for i := range rs {
			rs[i] = &model.Result{ID: uuid.New(), ProjectID: &f.ruled, RunID: &f.ruledRun, TestID: model.Ptr(fmt.Sprintf("grow_%d_%d", b, i)),
				Result: model.Ptr("failed"), StartTime: f.now.Add(-time.Minute),
				Data: model.JSON{"short_tb": foldTrace("y", 100+b*per+i), "classification": "environment_failure"}}
		}
		if err := WithResults(ctx, d, rs, func(ctx context.Context) error { return d.Conn(ctx).Create(rs).Error }); err != nil {
			t.Fatal(err)
		}
	}
	probe := []*model.Result{{ID: uuid.New(), ProjectID: &f.ruled, RunID: &f.ruledRun, TestID: model.Ptr("probe"),
		Result: model.Ptr("failed"), StartTime: f.now, Data: model.JSON{"short_tb": foldTrace("y", 9999)}}}
	rows := Rows(probe)
	if err := d.WithTx(ctx, func(ctx context.Context) error {
		hs, err := PrepareRows(ctx, d, probe, rows)
		if err != nil {
			return err
		}
		if len(hs) != 1 || probe[0].Data["classification"] != "environment_failure" {
			return fmt.Errorf("the rule gave %v (%d audit rows), want environment_failure", probe[0].Data["classification"], len(hs))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	var plan []byte
	if err := d.Conn(ctx).Raw("EXPLAIN (ANALYZE, FORMAT JSON) "+ruleCountsSQL(d.Dialect),
		[]uuid.UUID{f.ruled}, []string{rows[0].Fingerprint}).Row().Scan(&plan); err != nil {
		t.Fatal(err)
	}
	read := planRowsRead(t, plan)
	t.Logf("rows read by the rule's statement: %v", read)
	if n := read["ibutsu_fingerprint_classifications"]; n > 0 {
		t.Errorf("the rule read %.0f classification rows (%v): it counts the cluster instead of reading the counts", n, read)
	}
	total := 0.0
	for _, n := range read {
		total += n
	}
	if total > 64 {
		t.Errorf("the rule read %.0f rows for a cluster of %d classified results (%v), want a few dozen at most", total, cluster, read)
	}
}

// planRowsRead sums, per table, the rows the scans of an EXPLAIN (ANALYZE,
// FORMAT JSON) plan produced or filtered out, over all their loops.
func planRowsRead(t *testing.T, plan []byte) map[string]float64 {
	t.Helper()
	var top []struct {
		Plan map[string]any `json:"Plan"`
	}
	if err := json.Unmarshal(plan, &top); err != nil || len(top) == 0 {
		t.Fatalf("plan %s: %v", plan, err)
	}
	out := map[string]float64{}
	var walk func(n map[string]any)
	walk = func(n map[string]any) {
		num := func(k string) float64 { v, _ := n[k].(float64); return v }
		if rel, ok := n["Relation Name"].(string); ok {
			out[rel] += (num("Actual Rows") + num("Rows Removed by Filter") + num("Rows Removed by Index Recheck")) * max(1, num("Actual Loops"))
		}
		kids, _ := n["Plans"].([]any)
		for _, k := range kids {
			if m, ok := k.(map[string]any); ok {
				walk(m)
			}
		}
	}
	walk(top[0].Plan)
	return out
}
