// Command bench runs the end-to-end performance benchmark (`make bench`):
// a fresh PostgreSQL database, the backend and a worker in this process,
// generated data, and a table of figures each next to a limit measured in
// the same run. See docs/performance.md and package bench.
//
//	bench [--scale small|medium|large] [--out bench-results.json] [--keep]
//	      [--results N] [--seed-first] [--only ingest,live,import,query,widgets,triage,flaky,objstore] [--cpuprofile file]
//
// It exits 1 when a scenario fails (non-2xx, failed import, wrong counts),
// never because something is slow.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"

	"github.com/ibutsu-go/ibutsu/cmd/bench/internal/bench"
)

func main() {
	os.Exit(run())
}

func run() int {
	opts := bench.DefaultOptions()
	scale := flag.String("scale", envOr("BENCH_SCALE", "small"), "small, medium or large (env BENCH_SCALE)")
	out := flag.String("out", envOr("BENCH_OUT", "bench-results.json"), "machine-readable results file")
	flag.BoolVar(&opts.Keep, "keep", false, "keep the benchmark database instead of dropping it")
	flag.BoolVar(&opts.NoCheckpoint, "no-checkpoint", false, "do not CHECKPOINT before each measured ingest load")
	seedFirst := flag.Bool("seed-first", false, "seed the query data set before ingest and import, so that they write into a table that holds it (medium and large always do)")
	flag.StringVar(&opts.AdminDSN, "database-url", opts.AdminDSN, "admin PostgreSQL DSN (env IBUTSU_BENCH_DATABASE_URL, IBUTSU_TEST_DATABASE_URL)")
	flag.StringVar(&opts.RedisURL, "redis-url", opts.RedisURL, "Redis URL (env IBUTSU_BENCH_REDIS_URL, IBUTSU_TEST_REDIS_URL)")
	results := flag.Int("results", envInt("BENCH_RESULTS"), "seed this many results instead of the scale's (env BENCH_RESULTS)")
	only := flag.String("only", "", "comma-separated scenarios to run: ingest, fingerprints (ingest's fingerprinting loads alone), live, import, query, widgets, triage, flaky, objstore (default all; objstore needs IBUTSU_BENCH_S3_ENDPOINT or IBUTSU_TEST_S3_ENDPOINT)")
	clients := flag.String("clients", "", "comma-separated ingest concurrency levels instead of the scale's (e.g. 32,128)")
	requests := flag.Int("requests", 0, "POST /api/result requests per ingest level instead of the scale's")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole process (backend, worker and load) to this file")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	opts.Log = log
	var err error
	if opts.Scale, err = bench.ScaleByName(*scale); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	opts.Scale = opts.Scale.WithResults(*results)
	opts.Scale.SeedFirst = opts.Scale.SeedFirst || *seedFirst
	if opts.Scale, err = opts.Scale.WithIngest(*clients, *requests); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if *only != "" {
		opts.Only = map[string]bool{}
		for _, s := range strings.Split(*only, ",") {
			opts.Only[strings.TrimSpace(s)] = true
		}
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Error("cpu profile", "error", err)
			return 2
		}
		defer func() {
			if err := f.Close(); err != nil {
				log.Error("cpu profile", "error", err)
			}
		}()
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Error("cpu profile", "error", err)
			return 2
		}
		defer pprof.StopCPUProfile()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep, err := bench.Run(ctx, opts)
	if err != nil {
		log.Error("benchmark did not run", "error", err)
		return 1
	}
	if err := rep.WriteTable(os.Stdout); err != nil {
		log.Error("print table", "error", err)
	}
	if err := rep.WriteJSON(*out); err != nil {
		log.Error("write results", "error", err)
		return 1
	}
	log.Info("results written", "file", *out, "wall_seconds", int(rep.WallSecs))
	if len(rep.Errors) > 0 {
		return 1
	}
	return 0
}

func envInt(name string) int {
	n, _ := strconv.Atoi(os.Getenv(name))
	return n
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
