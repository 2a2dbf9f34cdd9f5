package bench

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Where a load's time goes inside PostgreSQL, in counts rather than
// wall-clock (the machine is shared): when the server preloads
// pg_stat_statements, each measured ingest load starts from a reset of the
// benchmark database's entries and ends with a snapshot of them, so the
// rows can say how many statements and shared buffers each stored row cost
// the API and its raw INSERT. Without the library the rows simply do not
// say it.

// stmtUse is what one statement (or a load's statements summed) cost.
type stmtUse struct {
	query       string
	calls, rows float64
	ms          float64
	// plans and planMS are the statement's plannings and their time
	// (pg_stat_statements.track_planning on; 0 without): a statement
	// planned on every call pays for it in backend CPU.
	plans, planMS               float64
	hit, read, dirtied, written float64
	// walRecords, walFPI and walBytes are the WAL the statement wrote
	// (PostgreSQL 13+): a count that the machine's other load does not
	// move, unlike its time.
	walRecords, walFPI, walBytes float64
}

// stmtLoad is a load's statements and the rows it stored.
type stmtLoad struct {
	stmts  map[string]*stmtUse
	stored int
	known  bool
}

// enableStatements installs pg_stat_statements in the benchmark database
// when the server preloads it.
func (e *Env) enableStatements(ctx context.Context) {
	var preloaded bool
	err := e.Raw.QueryRow(ctx, "SELECT current_setting('shared_preload_libraries') ~ 'pg_stat_statements'").Scan(&preloaded)
	if err == nil && preloaded {
		_, err = e.Raw.Exec(ctx, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
		e.pgss = err == nil
	}
	if !e.pgss {
		e.log.Info("pg_stat_statements not preloaded; ingest rows report no per-statement counts", "error", err)
	}
}

// stmtStart forgets this database's statement counts (a no-op without
// pg_stat_statements).
func (e *Env) stmtStart(ctx context.Context) error {
	if !e.pgss {
		return nil
	}
	_, err := e.Raw.Exec(ctx, "SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)")
	if err != nil {
		return fmt.Errorf("reset pg_stat_statements: %w", err)
	}
	return nil
}

// stmtSince adds the statements run in this database since stmtStart to l,
// leaving out the benchmark's own probes.
func (e *Env) stmtSince(ctx context.Context, l *stmtLoad, stored int) error {
	if !e.pgss {
		return nil
	}
	rows, err := e.Raw.Query(ctx, `SELECT query, calls, rows, total_exec_time, plans, total_plan_time, shared_blks_hit, shared_blks_read, shared_blks_dirtied, shared_blks_written,
		wal_records, wal_fpi, wal_bytes
		FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
		AND query !~ '(pg_stat_statements|pg_stat_activity|pg_current_wal|pg_get_wal_stats|^CHECKPOINT)'`)
	if err != nil {
		return fmt.Errorf("read pg_stat_statements: %w", err)
	}
	defer rows.Close()
	if l.stmts == nil {
		l.stmts = map[string]*stmtUse{}
	}
	for rows.Next() {
		var s stmtUse
		if err := rows.Scan(&s.query, &s.calls, &s.rows, &s.ms, &s.plans, &s.planMS, &s.hit, &s.read, &s.dirtied, &s.written, &s.walRecords, &s.walFPI, &s.walBytes); err != nil {
			return fmt.Errorf("read pg_stat_statements: %w", err)
		}
		s.query = shape(strings.Join(strings.Fields(s.query), " "))
		if t := l.stmts[s.query]; t != nil {
			t.add(s)
		} else {
			l.stmts[s.query] = &s
		}
	}
	l.stored += stored
	l.known = true
	return rows.Err()
}

// shape is a statement's text without its VALUES list: gorm writes a
// multi-row INSERT with one parameter list per row, so each batch size is
// an entry of its own in pg_stat_statements; merged, the entry says what
// the statement cost per row whatever the batcher's batch sizes were.
func shape(q string) string {
	if i := strings.Index(q, " VALUES ("); i >= 0 {
		return q[:i] + " VALUES …"
	}
	return q
}

func (s *stmtUse) add(o stmtUse) {
	s.calls += o.calls
	s.rows += o.rows
	s.ms += o.ms
	s.plans += o.plans
	s.planMS += o.planMS
	s.hit += o.hit
	s.read += o.read
	s.dirtied += o.dirtied
	s.written += o.written
	s.walRecords += o.walRecords
	s.walFPI += o.walFPI
	s.walBytes += o.walBytes
}

// total is the load's statements summed.
func (l stmtLoad) total() stmtUse {
	var t stmtUse
	for _, s := range l.stmts {
		t.add(*s)
	}
	return t
}

// String is the load's cost per stored row, for a row's detail.
func (l stmtLoad) String() string {
	if !l.known || l.stored == 0 {
		return ""
	}
	t, n := l.total(), float64(l.stored)
	return fmt.Sprintf("%.2f stmts, %.2f ms in PG, buffers hit %.1f read %.1f dirtied %.1f written %.1f, WAL %.1f records %.0f B per row",
		t.calls/n, t.ms/n, t.hit/n, t.read/n, t.dirtied/n, t.written/n, t.walRecords/n, t.walBytes/n)
}

// top is the load's statements by total time, most first, at most n.
func (l stmtLoad) top(n int) []stmtUse {
	var out []stmtUse
	for _, s := range l.stmts {
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b stmtUse) int {
		switch {
		case a.ms > b.ms:
			return -1
		case a.ms < b.ms:
			return 1
		}
		return strings.Compare(a.query, b.query)
	})
	return out[:min(n, len(out))]
}

// logTop writes the load's n heaviest statements, per stored row, to the
// log.
func (e *Env) logTop(side string, clients, n int, l stmtLoad) {
	if !l.known || l.stored == 0 {
		return
	}
	per := float64(l.stored)
	for _, s := range l.top(n) {
		q := s.query
		if len(q) > 120 {
			q = q[:120] + "…"
		}
		e.log.Info("statements per row", "side", side, "clients", clients, "calls", round3(s.calls/per), "rows", round3(s.rows/per),
			"ms", round3(s.ms/per), "ms_per_call", round3(s.ms/max(s.calls, 1)),
			"plans", round3(s.plans/per), "plan_ms", round3(s.planMS/per),
			"hit", round2(s.hit/per), "read", round2(s.read/per), "dirtied", round2(s.dirtied/per), "written", round2(s.written/per),
			"wal_records", round2(s.walRecords/per), "wal_fpi", round3(s.walFPI/per), "wal_bytes", round2(s.walBytes/per), "query", q)
	}
}

func round2(f float64) float64 { return float64(int64(f*100+0.5)) / 100 }

// stmtNote is the two loads' statement costs for a row's detail ("" when
// pg_stat_statements is not there).
func stmtNote(api, raw stmtLoad) string {
	if !api.known || !raw.known {
		return ""
	}
	return fmt.Sprintf("; API %s; raw INSERT %s", api, raw)
}
