package bench

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ibutsu-go/ibutsu/pkg/result"
)

// What a measured ingest load costs per stored row, in counts that a
// shared machine's noise does not move: the CPU time of the bench process
// (the backend, its worker and the load generator run in it) and of the
// benchmark database's PostgreSQL backends, the connection pool's waits,
// and for the API the result batcher's commits and queueing. The pool and
// batcher figures say what a request waits on; the CPU figures say what a
// row costs the machine, which is what a rate on a CPU-bound machine is
// the inverse of.

// probeApp is the application_name of the benchmark's own probe
// connections (the wait sampler, the CPU snapshots), so that neither the
// wait samples nor the backends' CPU count them.
const probeApp = "ibutsu-bench-probe"

// openProbe opens the probe pool on the benchmark database.
func (e *Env) openProbe(ctx context.Context) error {
	pc, err := pgxpool.ParseConfig(e.DSN)
	if err != nil {
		return fmt.Errorf("parse DSN: %w", err)
	}
	pc.MaxConns = 2
	pc.ConnConfig.RuntimeParams["application_name"] = probeApp
	if e.probe, err = pgxpool.NewWithConfig(ctx, pc); err != nil {
		return fmt.Errorf("probe pool: %w", err)
	}
	return nil
}

// locatePostgres finds the cluster's postmaster in this machine's /proc
// when PostgreSQL runs here: the probe connection's backend must be a
// process here whose title names the benchmark database, or whose parent
// is the pid in the data directory's postmaster.pid. Otherwise the rows
// give no PostgreSQL CPU figures and the log says why.
func (e *Env) locatePostgres(ctx context.Context) {
	var pid int
	if err := e.probe.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		e.log.Info("PostgreSQL CPU not counted: no backend pid", "error", err)
		return
	}
	st, err := readProcStat(pid)
	if err != nil {
		e.log.Info("PostgreSQL CPU not counted: the server is not local (its backend's pid is not a process here)", "pid", pid, "error", err)
		return
	}
	cmd, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	local := bytes.Contains(cmd, []byte(e.DBName))
	if !local {
		var dir string
		if e.probe.QueryRow(ctx, "SHOW data_directory").Scan(&dir) == nil {
			b, _ := os.ReadFile(filepath.Join(dir, "postmaster.pid"))
			first, _, _ := strings.Cut(string(b), "\n")
			pm, err := strconv.Atoi(strings.TrimSpace(first))
			local = err == nil && pm == st.ppid
		}
	}
	if !local {
		e.log.Info("PostgreSQL CPU not counted: process "+strconv.Itoa(pid)+" here is not the benchmark database's backend (another pid namespace?)", "pid", pid)
		return
	}
	e.postmaster = st.ppid
}

// costMark is the counters at the start of a load.
type costMark struct {
	bench    time.Duration
	backends map[int]time.Duration
	cluster  time.Duration
	sqlWaits int64
	sqlWait  time.Duration
	rawWaits int64
	rawWait  time.Duration
	writer   result.WriterStats
}

// costStart reads the counters before a load (after its CHECKPOINT and
// resets, so that their work is not counted).
func (e *Env) costStart(ctx context.Context) (costMark, error) {
	m := costMark{}
	if e.postmaster != 0 {
		pids, err := e.backendPIDs(ctx)
		if err != nil {
			return m, err
		}
		m.backends = pidCPU(pids)
		if m.cluster, err = clusterCPU(e.postmaster); err != nil {
			return m, fmt.Errorf("read the cluster's CPU time: %w", err)
		}
	}
	e.readPools(&m)
	m.bench = selfCPU()
	return m, nil
}

// costSince is what the load that began at m cost, with rows stored.
func (e *Env) costSince(ctx context.Context, m costMark, rows int) (loadCost, error) {
	end := costMark{bench: selfCPU()}
	e.readPools(&end)
	c := loadCost{rows: rows, bench: end.bench - m.bench, pgKnown: e.postmaster != 0,
		sqlWaits: end.sqlWaits - m.sqlWaits, sqlWait: end.sqlWait - m.sqlWait,
		rawWaits: end.rawWaits - m.rawWaits, rawWait: end.rawWait - m.rawWait,
		writer: end.writer.Sub(m.writer)}
	if c.pgKnown {
		pids, err := e.backendPIDs(ctx)
		if err != nil {
			return c, err
		}
		c.pg = cpuSince(m.backends, pidCPU(pids))
		cl, err := clusterCPU(e.postmaster)
		if err != nil {
			return c, fmt.Errorf("read the cluster's CPU time: %w", err)
		}
		c.cluster = cl - m.cluster
	}
	return c, nil
}

// readPools reads the pools' waits and the batcher's totals into m.
func (e *Env) readPools(m *costMark) {
	s := e.App.DB.SQL.Stats()
	m.sqlWaits, m.sqlWait = s.WaitCount, s.WaitDuration
	r := e.Raw.Stat()
	m.rawWaits, m.rawWait = r.EmptyAcquireCount(), r.EmptyAcquireWaitTime()
	m.writer = e.App.Services.Results.WriterStats()
}

// backendPIDs lists the benchmark database's client backends but the
// probe's: the backend's and the raw pool's connections.
func (e *Env) backendPIDs(ctx context.Context) ([]int, error) {
	rows, err := e.probe.Query(ctx, `SELECT pid FROM pg_stat_activity
		WHERE datname = current_database() AND backend_type = 'client backend' AND application_name <> $1`, probeApp)
	if err != nil {
		return nil, fmt.Errorf("list the database's backends: %w", err)
	}
	defer rows.Close()
	var pids []int
	for rows.Next() {
		var pid int
		if err := rows.Scan(&pid); err != nil {
			return nil, fmt.Errorf("list the database's backends: %w", err)
		}
		pids = append(pids, pid)
	}
	return pids, rows.Err()
}

// loadCost is what one or more rounds of a load cost.
type loadCost struct {
	rows int
	// bench is the bench process's CPU time; pg its database's backends'
	// (pgKnown false: PostgreSQL is not local); cluster all of the
	// cluster's processes' (the WAL writer and checkpointer included, and
	// other databases' backends: on a shared cluster an upper bound).
	bench, pg, cluster time.Duration
	pgKnown            bool
	// sqlWaits/sqlWait are the backend's database/sql pool's waits for a
	// connection (sql.DBStats.WaitCount/WaitDuration); rawWaits/rawWait
	// the raw pool's acquires that found no idle connection.
	sqlWaits, rawWaits int64
	sqlWait, rawWait   time.Duration
	writer             result.WriterStats
}

func (c loadCost) add(o loadCost) loadCost {
	return loadCost{rows: c.rows + o.rows, bench: c.bench + o.bench, pg: c.pg + o.pg, cluster: c.cluster + o.cluster,
		pgKnown:  (c.pgKnown || c.rows == 0) && o.pgKnown,
		sqlWaits: c.sqlWaits + o.sqlWaits, sqlWait: c.sqlWait + o.sqlWait, rawWaits: c.rawWaits + o.rawWaits, rawWait: c.rawWait + o.rawWait,
		writer: result.WriterStats{Batches: c.writer.Batches + o.writer.Batches, Rows: c.writer.Rows + o.writer.Rows,
			QueueWait: c.writer.QueueWait + o.writer.QueueWait}}
}

// perRow is d per stored row, in milliseconds.
func (c loadCost) perRow(d time.Duration) float64 {
	if c.rows == 0 {
		return 0
	}
	return float64(d) / float64(time.Millisecond) / float64(c.rows)
}

func (c loadCost) count(n int64) float64 {
	if c.rows == 0 {
		return 0
	}
	return float64(n) / float64(c.rows)
}

// cpu is the CPU time per row of both processes (bench only when
// PostgreSQL is not local).
func (c loadCost) cpu() float64 { return c.perRow(c.bench + c.pg) }

// String is the load's CPU per row, for a row's detail.
func (c loadCost) String() string {
	if c.rows == 0 {
		return "CPU ?"
	}
	s := fmt.Sprintf("CPU per row: bench %.3f ms", c.perRow(c.bench))
	if c.pgKnown {
		s += fmt.Sprintf(", PG %.3f ms (cluster %.3f ms)", c.perRow(c.pg), c.perRow(c.cluster))
	}
	return s
}

// apiWaits is what the API's requests waited on per row: the backend's
// pool and the batcher.
func (c loadCost) apiWaits() string {
	s := fmt.Sprintf("pool waits %.2f (%.3f ms) per row", c.count(c.sqlWaits), c.perRow(c.sqlWait))
	if c.writer.Batches > 0 {
		s += fmt.Sprintf(", %.1f rows per INSERT, queue %.3f ms per row", float64(c.writer.Rows)/float64(c.writer.Batches), c.perRow(c.writer.QueueWait))
	}
	return s
}

// rawWaits is what the raw INSERTs waited on per row: their pool.
func (c loadCost) rawWaitsNote() string {
	return fmt.Sprintf("pool waits %.2f (%.3f ms) per row", c.count(c.rawWaits), c.perRow(c.rawWait))
}

// logAttrs are the figures for the log.
func (c loadCost) logAttrs() []any {
	a := []any{"rows", c.rows, "bench_cpu_ms", round3(c.perRow(c.bench))}
	if c.pgKnown {
		a = append(a, "pg_cpu_ms", round3(c.perRow(c.pg)), "cluster_cpu_ms", round3(c.perRow(c.cluster)))
	}
	a = append(a, "sql_pool_waits", round3(c.count(c.sqlWaits)), "sql_pool_wait_ms", round3(c.perRow(c.sqlWait)),
		"raw_pool_waits", round3(c.count(c.rawWaits)), "raw_pool_wait_ms", round3(c.perRow(c.rawWait)))
	if c.writer.Batches > 0 {
		a = append(a, "rows_per_insert", round2(float64(c.writer.Rows)/float64(c.writer.Batches)), "queue_ms", round3(c.perRow(c.writer.QueueWait)))
	}
	return a
}

func round3(f float64) float64 { return float64(int64(f*1000+0.5)) / 1000 }

// cpuRatio is a's CPU per row over b's, for the bench process, PostgreSQL
// (0 when not local) and both.
func cpuRatio(a, b loadCost) (bench, pg, both float64) {
	div := func(x, y float64) float64 {
		if y == 0 {
			return 0
		}
		return x / y
	}
	bench = div(a.perRow(a.bench), b.perRow(b.bench))
	if a.pgKnown && b.pgKnown {
		pg = div(a.perRow(a.pg), b.perRow(b.pg))
	}
	return bench, pg, div(a.cpu(), b.cpu())
}
