package bench

import (
	"context"
	"fmt"
	"runtime"
	"time"
)

// idleTarget is the documented goal for the idle process.
const idleTarget = 50.0

// Run performs every scenario at opts.Scale and returns the report. The
// error is non-nil when the benchmark could not run at all; failures inside
// a scenario (non-2xx, failed import, wrong counts) are in Report.Errors.
// Slowness is never an error: targets are only marked met or missed.
func Run(ctx context.Context, opts Options) (*Report, error) {
	start := time.Now()
	rep := &Report{Scale: opts.Scale.Name, Started: start.UTC(), Machine: newMachine()}
	env, err := Start(ctx, opts)
	if err != nil {
		return rep, err
	}
	defer func() {
		if err := env.Close(); err != nil {
			rep.fail("cleanup: %v", err)
		}
	}()
	rep.Machine.PostgreSQL, rep.Machine.Redis = env.versions(ctx)
	rep.Database = env.DBName
	if opts.Keep {
		rep.KeptDBDSN = env.DSN
	}
	rep.Notes = append(rep.Notes,
		"ratio = ibutsu ÷ limit: for rates the share of the limit reached (1.0 = as fast as the limit), for latencies how many times slower than the limit",
		"backend, asynq worker (Redis queue) and the load generator share one process; RSS figures include all three",
		fmt.Sprintf("GOMAXPROCS %d; PostgreSQL, Redis and other jobs share the same cores", runtime.GOMAXPROCS(0)))

	settle()
	if idle, err := procStatus("VmRSS"); err == nil {
		rep.add(Row{Scenario: "memory", Case: "RSS idle after start", Unit: "MiB", Value: idle,
			Detail: "backend + idle worker, after GC", Target: "< 50 MB", Met: met(idle < idleTarget)})
	}
	scenario := func(name string, fn func() error) bool {
		t0 := time.Now()
		err := fn()
		env.log.Info("scenario done", "scenario", name, "seconds", time.Since(t0).Round(time.Millisecond).Seconds())
		if err != nil {
			rep.fail("%s: %v", name, err)
			return false
		}
		return true
	}
	sc := opts.Scale
	// The query/widget data set; at large it is seeded before ingest and
	// import, so that they write into a table of sc.Results rows.
	d := plan(env.Query, sc.Results, sc.Runs)
	seeded, tried := false, false
	seedOnce := func() {
		// With SeedFirst, ingest and import want the seeded table too.
		wanted := opts.selected("query") || opts.selected("widgets") ||
			(sc.SeedFirst && (opts.selected("ingest") || opts.selected("import") || opts.Only["fingerprints"]))
		if tried || !wanted {
			return
		}
		tried = true
		seeded = scenario("seed", func() error {
			rate, err := env.seed(ctx, d, max(1, min(2, runtime.NumCPU())), sc.BulkSeed)
			if err == nil {
				how := "COPY %d results + %d runs (2 conns) + VACUUM ANALYZE"
				if sc.BulkSeed {
					how = "COPY %d results + %d runs (2 conns), secondary indexes of results built after it, + VACUUM ANALYZE"
				}
				rep.add(Row{Scenario: "seed", Case: fmt.Sprintf(how, d.results, len(d.runs)),
					Unit: "results/s", Value: rate, Detail: "test data, not a product figure"})
			}
			return err
		})
		if seeded {
			scenario("compact", func() error { return env.compact(ctx) })
			scenario("size", func() error { return env.sizes(ctx, rep) })
		}
	}
	if sc.SeedFirst {
		seedOnce()
	}
	if opts.selected("ingest") {
		scenario("ingest", func() error {
			peak, err := env.ingest(ctx, rep, sc)
			if peak > 0 {
				rep.add(Row{Scenario: "memory", Case: "peak RSS under ingest", Unit: "MiB", Value: peak,
					Detail: fmt.Sprintf("up to %d concurrent clients", sc.Clients[len(sc.Clients)-1])})
			}
			return err
		})
	}
	// fingerprints alone: the fingerprinting loads of ingest without the
	// API's own levels before them (ingest runs them too), for a look at
	// one of their levels without the rest of the scenario's time.
	if opts.Only["fingerprints"] && !opts.Only["ingest"] {
		scenario("fingerprints", func() error { return env.ingestFingerprints(ctx, rep, sc) })
	}
	if opts.selected("live") {
		scenario("live", func() error { return env.live(ctx, rep, sc) })
	}
	for _, n := range sc.Imports {
		if opts.selected("import") {
			scenario(fmt.Sprintf("import %d", n), func() error { return env.importJUnit(ctx, rep, n) })
			scenario(fmt.Sprintf("import fingerprinting %d", n), func() error { return env.importJUnitTriage(ctx, rep, n) })
			scenario(fmt.Sprintf("import formats %d", n), func() error { return env.importFormats(ctx, rep, n) })
		}
	}
	seedOnce()
	if seeded && sc.SeedFirst {
		// What autovacuum would have done after ingest and import wrote
		// into the seeded tables (the seed ANALYZEd them before).
		scenario("analyze", func() error {
			_, err := env.Raw.Exec(ctx, "ANALYZE results; ANALYZE runs")
			return err
		})
	}
	if seeded {
		if opts.selected("query") {
			scenario("query", func() error { return env.query(ctx, rep, sc, d) })
		}
		if opts.selected("widgets") {
			scenario("widgets", func() error { return env.widgets(ctx, rep, sc, d) })
		}
	}
	if opts.selected("objstore") && (env.bucket != nil || opts.Only["objstore"]) {
		scenario("objstore", func() error { return env.objstore(ctx, rep, sc) })
	}
	if opts.selected("triage") {
		scenario("triage", func() error { return env.triage(ctx, rep, sc) })
	}
	if opts.selected("flaky") {
		scenario("flaky", func() error { return env.flaky(ctx, rep, sc) })
	}
	settle()
	if after, err := procStatus("VmRSS"); err == nil {
		rep.add(Row{Scenario: "memory", Case: "RSS after the run, after GC", Unit: "MiB", Value: after})
	}
	rep.WallSecs = time.Since(start).Seconds()
	return rep, nil
}
