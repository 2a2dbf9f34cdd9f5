package widget

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// runSumKeys are result-summary's keys, in its order.
var runSumKeys = []string{"errors", "skips", "failures", "tests", "xfailures", "xpasses"}

// seedRunSums writes runs over two projects (and none) and 40 days around now with
// every kind of value the sums meet: components, envs, sources and job
// names present, absent or null (a job name that is a number, a jenkins
// entry that is a string); summaries missing, with strings, booleans,
// nulls, objects, fractions, negatives and large numbers in the summed
// keys. Some are one multi-row INSERT. It returns the runs' ids.
func seedRunSums(t *testing.T, f *storeFixture, base time.Time) []uuid.UUID {
	t.Helper()
	rng := rand.New(rand.NewPCG(19, 19))
	pick := func(vs ...any) any { return vs[rng.IntN(len(vs))] }
	text := func(vs ...string) *string {
		if i := rng.IntN(len(vs) + 1); i < len(vs) {
			return model.Ptr(vs[i])
		}
		return nil
	}
	value := func() any {
		return pick(rng.IntN(20), rng.IntN(20), rng.IntN(20), 2.5, 0.1, -3, "7", "n/a", nil, true, map[string]any{"n": 1}, 12345678901234567)
	}
	var ids []uuid.UUID
	var batch []*model.Run
	for i := 0; i < 400; i++ {
		p := f.mine
		if i%5 == 0 {
			p = f.theirs
		}
		start := base.Add(time.Duration(rng.IntN(40*24*60))*time.Minute - 35*24*time.Hour)
		if i%17 == 0 {
			start = base.Truncate(24 * time.Hour).Add(-time.Duration(rng.IntN(30)) * 24 * time.Hour) // midnight
		}
		r := &model.Run{ID: uuid.New(), ProjectID: &p, StartTime: start, Created: start,
			Component: text("api", "ui", "db"), Env: text("ci", "prod"), Source: text("a", "b")}
		if i%23 == 0 {
			r.ProjectID = nil // a run of no project, which only a superadmin's unscoped sums include
		}
		switch rng.IntN(6) {
		case 0:
			r.Data = model.JSON{"jenkins": map[string]any{"job_name": pick("J", "K"), "build_number": "1"}}
		case 1:
			r.Data = model.JSON{"jenkins": map[string]any{"job_name": 5}}
		case 2:
			r.Data = model.JSON{"jenkins": map[string]any{"job_name": nil}}
		case 3:
			r.Data = model.JSON{"jenkins": "J"}
		case 4:
			r.Data = model.JSON{"component": "api"}
		}
		if rng.IntN(8) > 0 {
			sum := model.JSON{}
			for _, k := range []string{"failures", "errors", "skips", "tests", "xfailures", "xpasses", "xpassed", "xfailed", "passes"} {
				if rng.IntN(4) > 0 {
					sum[k] = value()
				}
			}
			r.Summary = sum
		}
		ids = append(ids, r.ID)
		if i%3 == 0 {
			batch = append(batch, r)
			continue
		}
		f.create(t, r)
	}
	f.create(t, batch)
	return ids
}

// changeRunSums changes the seeded runs as the server and its users do:
// summaries rewritten after creation (one run at a time and in bulk),
// runs moved to another component, day or project, retention's delete of
// old runs and a delete of a few single runs.
func changeRunSums(t *testing.T, f *storeFixture, ids []uuid.UUID, base time.Time) {
	t.Helper()
	conn := f.db.Conn(context.Background())
	exec := func(q string, args ...any) {
		t.Helper()
		if err := conn.Exec(q, args...).Error; err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for i, id := range ids[:60] {
		exec("UPDATE runs SET summary = ? WHERE id = ?", model.JSON{"tests": i, "failures": i % 4, "errors": "x", "xpassed": 1}, id)
	}
	exec("UPDATE runs SET component = 'moved' WHERE id IN (?, ?, ?)", ids[61], ids[62], ids[63])
	exec("UPDATE runs SET start_time = ? WHERE id IN (?, ?)", base.Add(-2*24*time.Hour), ids[64], ids[65])
	exec("UPDATE runs SET project_id = ? WHERE id = ?", f.theirs, ids[66])
	exec("UPDATE runs SET duration = 3 WHERE id IN (?, ?)", ids[67], ids[68]) // changes no sum
	exec("UPDATE runs SET data = ? WHERE id = ?", model.JSON{"jenkins": map[string]any{"job_name": "K"}}, ids[69])
	if f.db.Dialect == db.Postgres {
		exec(`UPDATE runs SET summary = summary || '{"skips": 2}'::jsonb WHERE summary IS NOT NULL AND env = 'prod'`)
	}
	exec("DELETE FROM runs WHERE start_time < ?", base.Add(-33*24*time.Hour))
	exec("DELETE FROM runs WHERE id IN (?, ?, ?)", ids[70], ids[71], ids[72])
}

// groupsOf reads runOutcomesBy rows into value → sums, leaving out groups
// whose tests sum to 0, which runAggregator skips (a group whose runs were
// all deleted keeps a row of zeros in the table until compaction).
func groupsOf(t *testing.T, run func(emit func(*sql.Rows) error) error) map[string][6]float64 {
	t.Helper()
	out := map[string][6]float64{}
	err := run(func(r *sql.Rows) error {
		var g any
		v := make([]any, 6)
		if err := r.Scan(&g, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]); err != nil {
			return err
		}
		k := "<nil>"
		if s := asString(g); s != nil {
			k = *s
		}
		var sums [6]float64
		for i := range v {
			sums[i] = asFloat(v[i])
		}
		if sums[3] != 0 {
			out[k] = sums
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// checkRunSumsMatch compares, for many scopes, filters, group fields and
// cutoffs, the run-sum table's answers with summing every run, and
// requires the table path to be the one taken.
func checkRunSumsMatch(t *testing.T, f *storeFixture, stage string, base time.Time) {
	t.Helper()
	ctx := context.Background()
	admin := f.q
	admin.user = &model.User{ID: uuid.New(), IsSuperadmin: true}
	stores := map[string]store{"member": f.q, "superadmin": admin}
	scopes := []args{{}, {"project": f.mine.String()}, {"project": f.theirs.String()}}
	filterSets := [][]string{nil, {"env=ci"}, {"env@n"}, {"component*api;moved"}, {"source!a"}, {"component~^d", "env=prod"},
		{"metadata.jenkins.job_name=J"}, {"data.jenkins.job_name=5"}, {"metadata.jenkins.job_name@y"}, {"metadata.jenkins.job_name@n"},
		{"project_id=" + f.mine.String()}, {"not a filter"}, {"source=a", "metadata.jenkins.job_name*J;K"}}
	cutoffs := []time.Time{base.Add(-60 * 24 * time.Hour), base.Add(-28 * 24 * time.Hour), base.Add(-7*24*time.Hour + 90*time.Minute),
		base.Truncate(24 * time.Hour).Add(-3 * 24 * time.Hour), base.Truncate(24 * time.Hour).Add(-time.Microsecond), base,
		base.Add(3 * 24 * time.Hour)}
	for name, q := range stores {
		for _, a := range scopes {
			for _, fs := range filterSets {
				if !summable(q, "", fs) {
					t.Fatalf("filters %q do not take the run-sum table", fs)
				}
				got, err := q.sumRunSumTable(ctx, fs, a, runSumKeys)
				if err != nil {
					t.Fatal(err)
				}
				want, err := q.sumEveryRun(ctx, fs, a, runSumKeys)
				if err != nil {
					t.Fatal(err)
				}
				for i := range got {
					if asFloat(got[i]) != asFloat(want[i]) {
						t.Errorf("%s: %s %v %q: sum of %s from the table %v, over every run %v", stage, name, a, fs, runSumKeys[i], got[i], want[i])
					}
				}
				for _, group := range []string{"component", "env", "source", "metadata.jenkins.job_name", "data.jenkins.job_name"} {
					if !summable(q, group, fs) {
						t.Fatalf("group %s with filters %q does not take the run-sum table", group, fs)
					}
					for _, since := range cutoffs {
						got := groupsOf(t, func(emit func(*sql.Rows) error) error {
							return q.runOutcomesFromSums(ctx, group, since, fs, a, emit)
						})
						want := groupsOf(t, func(emit func(*sql.Rows) error) error {
							return q.runOutcomesOfEveryRun(ctx, group, since, fs, a, emit)
						})
						if len(want) == 0 && stage == "after inserts" && a["project"] == nil && since.Before(base) && fs == nil {
							t.Fatalf("no groups by %s since %s: the comparison is empty", group, since)
						}
						if !reflect.DeepEqual(got, want) {
							t.Errorf("%s: %s %v %q by %s since %s:\n table %v\n runs  %v", stage, name, a, fs, group, since, got, want)
						}
					}
				}
			}
		}
	}
}

// TestRunSumsMatchEveryRun: on PostgreSQL, result-summary's and
// run-aggregator's sums from ibutsu_run_sums equal summing every run, after
// inserts, after updates of summaries, groups, days and projects, after
// deletes, and after the migration's backfill of runs written before its
// triggers. SQLite keeps no sums and always sums the runs.
func TestRunSumsMatchEveryRun(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		f := newStoreFixture(t, d)
		if d.Dialect != db.Postgres {
			if summable(f.q, "component", nil) || summable(f.q, "", nil) {
				t.Fatal("SQLite takes the run-sum table, which it does not have")
			}
			return
		}
		base := time.Now().UTC()
		ids := seedRunSums(t, f, base)
		checkRunSumsMatch(t, f, "after inserts", base)
		changeRunSums(t, f, ids, base)
		checkRunSumsMatch(t, f, "after updates and deletes", base)
		// The migration's backfill, as on a database whose runs predate it.
		conn := d.Conn(context.Background())
		if err := conn.Exec("TRUNCATE ibutsu_run_sums").Error; err != nil {
			t.Fatal(err)
		}
		if err := conn.Exec(runSumsBackfill).Error; err != nil {
			t.Fatal(err)
		}
		checkRunSumsMatch(t, f, "after the backfill", base)
	})
}

// runSumsBackfill is the backfill statement of migration 19.
const runSumsBackfill = `INSERT INTO ibutsu_run_sums
SELECT project_id, start_time::date, component, env, source, ibutsu_run_sums_job(data),
    sum(ibutsu_run_sums_num(summary, 'failures')), sum(ibutsu_run_sums_num(summary, 'errors')),
    sum(ibutsu_run_sums_num(summary, 'skips')), sum(ibutsu_run_sums_num(summary, 'tests')),
    sum(ibutsu_run_sums_num(summary, 'xfailures')), sum(ibutsu_run_sums_num(summary, 'xpasses')),
    sum(ibutsu_run_sums_num(summary, 'xpassed')), sum(ibutsu_run_sums_num(summary, 'xfailed'))
FROM runs GROUP BY 1, 2, 3, 4, 5, 6`

// TestRunSumsFallBack: filters and group fields the table does not keep
// (summary keys, start_time, other metadata, ids, project_id as a group)
// are answered from runs.
func TestRunSumsFallBack(t *testing.T) {
	q := store{d: filter.Postgres}
	for _, c := range []struct {
		group string
		fs    []string
	}{
		{"", []string{"summary.tests>3"}}, {"", []string{"start_time>2024-01-01"}}, {"", []string{"metadata.component=api"}},
		{"", []string{"metadata.jenkins.build_number=1"}}, {"", []string{"id=" + uuid.NewString()}}, {"", []string{"metadata.jenkins@y"}},
		{"", []string{"env=ci", "duration>1"}}, {"project_id", nil}, {"metadata.component", nil}, {"summary.tests", nil},
		{"metadata.jenkins", nil}, {"component", []string{"metadata.tags=a"}},
	} {
		if summable(q, c.group, c.fs) {
			t.Errorf("group %q with filters %q takes the run-sum table", c.group, c.fs)
		}
	}
}

// TestRunSumsConcurrentWriters: backends updating the summaries of runs of
// one group at the same time (other runs, and the same run) lose no
// update: the sums equal the runs' own afterwards.
func TestRunSumsConcurrentWriters(t *testing.T) {
	d := testdb.Both(t)["postgres"]
	if d == nil {
		t.Fatal("no PostgreSQL test database")
	}
	f := newStoreFixture(t, d)
	ctx := context.Background()
	start := time.Now().UTC().Add(-time.Hour)
	var ids []uuid.UUID
	for range 8 {
		r := &model.Run{ID: uuid.New(), ProjectID: &f.mine, StartTime: start, Created: start, Component: model.Ptr("api"),
			Env: model.Ptr("ci"), Summary: model.JSON{"tests": 0, "failures": 0}}
		f.create(t, r)
		ids = append(ids, r.ID)
	}
	const writers, rounds = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				// Half the writers share one run; the others have their own.
				id := ids[w]
				if w%2 == 0 {
					id = ids[0]
				}
				err := d.WithTx(ctx, func(ctx context.Context) error {
					return d.Conn(ctx).Exec(`UPDATE runs SET summary = jsonb_build_object('tests', (summary->>'tests')::int + 3,
						'failures', (summary->>'failures')::int + 1) WHERE id = ?`, id).Error
				})
				if err != nil {
					errs <- fmt.Errorf("writer %d round %d: %w", w, i, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	a := args{"project": f.mine.String()}
	got, err := f.q.sumRunSumTable(ctx, nil, a, runSumKeys)
	if err != nil {
		t.Fatal(err)
	}
	want, err := f.q.sumEveryRun(ctx, nil, a, runSumKeys)
	if err != nil {
		t.Fatal(err)
	}
	if asFloat(want[3]) != 3*writers*rounds || asFloat(want[2]) != writers*rounds {
		t.Fatalf("runs sum to tests %v, failures %v; want %d, %d", want[3], want[2], 3*writers*rounds, writers*rounds)
	}
	for i := range got {
		if asFloat(got[i]) != asFloat(want[i]) {
			t.Errorf("%s: table %v, runs %v", runSumKeys[i], got[i], want[i])
		}
	}
}
