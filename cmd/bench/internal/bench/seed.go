package bench

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/ibutsu-go/ibutsu/pkg/maintenance"
)

var (
	components = []string{"api", "ui", "db", "auth", "cli"}
	jobs       = []string{"bench-nightly", "bench-pr"}
)

// seedRun is one generated Jenkins-like run: one per component for every
// build of every job, as a pipeline that fans out by component produces.
type seedRun struct {
	id        uuid.UUID
	job       string
	build     int
	component string
	start     time.Time
	first, n  int // its results are [first, first+n)
	counts    map[string]int
}

// dataset is what was seeded, with the numbers each query must return.
type dataset struct {
	project    uuid.UUID
	runs       []seedRun
	results    int
	byComp     map[string]int
	byResult   map[string]int
	regexMatch int
	buildsJob0 int
}

// resultOf is the deterministic outcome of generated result g.
func resultOf(g int) string {
	switch {
	case g%29 == 5:
		return "error"
	case g%13 == 7:
		return "skipped"
	case g%7 == 3:
		return "failed"
	}
	return "passed"
}

// module is the test module of result g; regexPattern matches modules 40-49.
func module(g int) int { return g % 50 }

const regexPattern = `test_mod4[0-9]\.py`

// plan lays out runs and results without touching the database.
func plan(project uuid.UUID, nResults, nRuns int) *dataset {
	d := &dataset{project: project, results: nResults, byComp: map[string]int{}, byResult: map[string]int{}}
	window := 20 * 24 * time.Hour
	base := time.Now().UTC().Add(-21 * 24 * time.Hour).Truncate(time.Second)
	per := nResults / nRuns
	for r := 0; r < nRuns; r++ {
		sr := seedRun{id: uuid.New(), component: components[r%len(components)], job: jobs[(r/len(components))%len(jobs)],
			build: r/(len(components)*len(jobs)) + 1, start: base.Add(window * time.Duration(r) / time.Duration(nRuns)),
			first: r * per, n: per, counts: map[string]int{}}
		if r == nRuns-1 {
			sr.n = nResults - sr.first
		}
		for g := sr.first; g < sr.first+sr.n; g++ {
			res := resultOf(g)
			sr.counts[res]++
			d.byResult[res]++
			if module(g) >= 40 {
				d.regexMatch++
			}
		}
		d.byComp[sr.component] += sr.n
		if sr.job == jobs[0] {
			d.buildsJob0 = max(d.buildsJob0, sr.build)
		}
		d.runs = append(d.runs, sr)
	}
	return d
}

// pgUUID hands pgx a UUID as the plain [16]byte its uuid codec encodes
// directly: a google/uuid.UUID goes through driver.Valuer, a failed binary
// plan (an fmt.Errorf per value) and a string round trip, which was 40% of
// the seeding CPU.
func pgUUID(id uuid.UUID) [16]byte { return id }

// seed writes the data set with COPY, the runs first, the results over
// `conns` connections in parallel, then VACUUM ANALYZEs both tables.
// With bulk, the secondary indexes of results are dropped before the COPY
// and built again after it: one sort per index instead of 25 B-tree
// inserts per row, the usual way to bulk-load 10M rows (their sizes are
// then those of fresh indexes). Returns results/s of the COPY (and index
// build).
func (e *Env) seed(ctx context.Context, d *dataset, conns int, bulk bool) (float64, error) {
	runRows := make([][]any, len(d.runs))
	for i, r := range d.runs {
		md := fmt.Sprintf(`{"project":%q,"component":%q,"env":"ci","jenkins":{"job_name":%q,"build_number":"%d","build_url":"https://jenkins.example.com/job/%s/%d/"}}`,
			d.project, r.component, r.job, r.build, r.job, r.build)
		sum := fmt.Sprintf(`{"tests":%d,"failures":%d,"errors":%d,"skips":%d,"xfailures":0,"xpasses":0,"collected":%d}`,
			r.n, r.counts["failed"], r.counts["error"], r.counts["skipped"], r.n)
		runRows[i] = []any{pgUUID(r.id), pgUUID(d.project), md, "ci", r.component, "bench", r.start, float64(r.n) * 0.25, sum, r.start}
	}
	t0 := time.Now()
	if _, err := e.Raw.CopyFrom(ctx, pgx.Identifier{"runs"},
		[]string{"id", "project_id", "data", "env", "component", "source", "start_time", "duration", "summary", "created"},
		pgx.CopyFromRows(runRows)); err != nil {
		return 0, fmt.Errorf("seed runs: %w", err)
	}
	var rebuild []string
	if bulk {
		var err error
		if rebuild, err = e.dropSecondaryIndexes(ctx, "results"); err != nil {
			return 0, err
		}
	}
	err := striped(conns, len(d.runs), func(runs iter.Seq[int]) error {
		for i := range runs {
			if err := e.copyResults(ctx, d, &d.runs[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if err := e.createIndexes(ctx, rebuild, conns); err != nil {
		return 0, err
	}
	rate := float64(d.results) / time.Since(t0).Seconds()
	e.log.Info("seeded", "results", d.results, "runs", len(d.runs), "results_per_s", int(rate))
	for _, t := range []string{"runs", "results"} {
		if _, err := e.Raw.Exec(ctx, "VACUUM (ANALYZE) "+t); err != nil {
			return 0, fmt.Errorf("vacuum analyze %s: %w", t, err)
		}
	}
	return rate, nil
}

func (e *Env) copyResults(ctx context.Context, d *dataset, r *seedRun) error {
	i := r.first
	project, run := pgUUID(d.project), pgUUID(r.id)
	_, err := e.Raw.CopyFrom(ctx, pgx.Identifier{"results"},
		[]string{"id", "project_id", "run_id", "test_id", "result", "data", "params", "duration", "start_time", "source", "env", "component"},
		pgx.CopyFromFunc(func() ([]any, error) {
			if i >= r.first+r.n {
				return nil, nil
			}
			g := i
			i++
			res := resultOf(g)
			md := `{"project":"` + d.project.String() + `","run":"` + r.id.String() + `","component":"` + r.component +
				`","env":"ci","jenkins":{"job_name":"` + r.job + `","build_number":"` + strconv.Itoa(r.build) + `"}`
			if res == "failed" || res == "error" {
				md += `,"exception_name":"AssertionError","short_tb":"assert 1 == 2"`
			}
			md += "}"
			return []any{pgUUID(uuid.New()), project, run, "tests/test_mod" + strconv.Itoa(module(g)) + ".py::test_case_" + strconv.Itoa(g%5000),
				res, md, `{}`, 0.25, r.start.Add(time.Duration(g-r.first) * time.Second), "bench", "ci", r.component}, nil
		}))
	if err != nil {
		return fmt.Errorf("seed results: %w", err)
	}
	return nil
}

// dropSecondaryIndexes drops the indexes of table that back no constraint
// and returns the statements that create them again.
func (e *Env) dropSecondaryIndexes(ctx context.Context, table string) ([]string, error) {
	rows, err := e.Raw.Query(ctx, `SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
		WHERE x.indrelid = $1::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`, table)
	if err != nil {
		return nil, fmt.Errorf("list indexes of %s: %w", table, err)
	}
	var names, defs []string
	for rows.Next() {
		var n, def string
		if err := rows.Scan(&n, &def); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list indexes of %s: %w", table, err)
		}
		names, defs = append(names, n), append(defs, def)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list indexes of %s: %w", table, err)
	}
	for _, n := range names {
		if _, err := e.Raw.Exec(ctx, "DROP INDEX "+pgx.Identifier{n}.Sanitize()); err != nil {
			return nil, fmt.Errorf("drop index %s: %w", n, err)
		}
	}
	e.log.Info("seed: dropped secondary indexes for the COPY", "table", table, "indexes", len(names))
	return defs, nil
}

// createIndexes runs the CREATE INDEX statements over conns connections,
// each with a larger maintenance_work_mem for its sort.
func (e *Env) createIndexes(ctx context.Context, defs []string, conns int) error {
	if len(defs) == 0 {
		return nil
	}
	t0 := time.Now()
	err := striped(conns, len(defs), func(stripe iter.Seq[int]) error {
		c, err := e.Raw.Acquire(ctx)
		if err != nil {
			return err
		}
		defer c.Release()
		if _, err := c.Exec(ctx, "SET maintenance_work_mem = '256MB'"); err != nil {
			return err
		}
		for i := range stripe {
			if _, err = c.Exec(ctx, defs[i]); err != nil {
				err = fmt.Errorf("%s: %w", defs[i], err)
				break
			}
		}
		if _, rerr := c.Exec(ctx, "RESET maintenance_work_mem"); rerr != nil && err == nil {
			err = rerr
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("rebuild indexes: %w", err)
	}
	var n int
	if err := e.Raw.QueryRow(ctx, `SELECT count(*) FROM pg_index x WHERE x.indrelid = 'results'::regclass AND x.indisvalid
		AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`).Scan(&n); err != nil {
		return fmt.Errorf("count rebuilt indexes: %w", err)
	}
	if n != len(defs) {
		return fmt.Errorf("rebuild indexes: results has %d valid secondary indexes, want %d", n, len(defs))
	}
	e.log.Info("seed: rebuilt indexes", "indexes", len(defs), "seconds", int(time.Since(t0).Seconds()))
	return nil
}

// striped runs work on conns goroutines at once, each given its stripe of
// the indexes 0..n-1 (worker w: w, w+conns, w+2·conns, …), and joins
// their errors. A worker that fails stops taking its stripe; the others
// carry on with theirs.
func striped(conns, n int, work func(stripe iter.Seq[int]) error) error {
	errs := make([]error, conns)
	var wg sync.WaitGroup
	for w := range conns {
		wg.Go(func() {
			errs[w] = work(func(yield func(int) bool) {
				for i := w; i < n; i += conns {
					if !yield(i) {
						return
					}
				}
			})
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// compact folds the count and run-sum deltas the seed's statements left
// (one COPY per run appends a delta row per run and group), as the
// scheduler's compact-result-counts does every 10 minutes on a live
// server: the widgets are timed on the tables a server has within minutes
// of a bulk load, not on 20,000 runs' worth of uncompacted deltas.
func (e *Env) compact(ctx context.Context) error {
	before, after, err := maintenance.NewService(e.App.DB, nil, quiet()).CompactResultCounts(ctx)
	if err != nil {
		return err
	}
	e.log.Info("compacted", "count_rows_before", before, "count_rows_after", after)
	return nil
}
