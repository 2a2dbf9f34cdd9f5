package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// ingestTarget is the documented goal for POST /api/result.
const ingestTarget = 5000.0

// ingestRounds is how many times the API and its limits alternate per
// concurrency level.
const ingestRounds = 3

// ingest measures POST /api/result at each concurrency level next to a bare
// gin handler and raw single-row INSERTs at the same concurrency, and the
// best rate next to one raw COPY of as many rows. It also samples the
// process RSS while the API is under load, and counts what each stored row
// of the API and of the raw INSERT cost in CPU and pool waits (cost.go).
func (e *Env) ingest(ctx context.Context, rep *Report, sc Scale) (peakRSS float64, err error) {
	runID, rawRun := uuid.New(), uuid.New()
	for _, id := range []uuid.UUID{runID, rawRun} {
		body := fmt.Appendf(nil, `{"id":%q,"metadata":{"project":%q}}`, id, e.Ingest)
		if err := e.call(ctx, "POST", "/api/run", body, 201, nil); err != nil {
			return 0, err
		}
	}
	md := func(run uuid.UUID) string {
		return fmt.Sprintf(`{"project":%q,"run":%q,"env":"ci","component":"api","jenkins":{"job_name":"ingest","build_number":"1"}}`, e.Ingest, run)
	}
	apiMD := md(runID)
	body := func(c, i int) []byte {
		return fmt.Appendf(nil, `{"test_id":"tests/test_ingest.py::test_c%d_%d","result":"passed","duration":0.5,"metadata":%s}`, c, i, apiMD)
	}
	ginBase, stopGin, err := bareGin(ctx)
	if err != nil {
		return 0, err
	}
	defer stopGin()
	post := e.postResult
	rawMD := md(rawRun)
	insert := func(ctx context.Context, tag string, i int) error {
		_, err := e.Raw.Exec(ctx, `INSERT INTO results (id, project_id, run_id, test_id, result, data, params, duration, start_time, env, component)
			VALUES ($1, $2, $3, $4, 'passed', $5, '{}', 0.5, $6, 'ci', 'api')`,
			uuid.New(), e.Ingest, rawRun, fmt.Sprintf("tests/test_raw.py::test_%s_%d", tag, i), rawMD, time.Now().UTC())
		return err
	}

	n, best, bestClients := sc.Ingest, 0.0, 0
	for _, c := range sc.Clients {
		e.log.Info("ingest", "clients", c, "requests", n)
		// The API and its two limits run interleaved in rounds, so
		// background load on a shared machine hits all three alike.
		var api, bare, raw Load
		var apiWAL, rawWAL walUse
		var apiStmts, rawStmts stmtLoad
		var apiCost, rawCost loadCost
		var waits string
		for r := range ingestRounds {
			part := n / ingestRounds
			settle()
			mark, err := e.walStart(ctx)
			if err != nil {
				return peakRSS, err
			}
			if err := e.stmtStart(ctx); err != nil {
				return peakRSS, err
			}
			reset := resetPeak()
			s := startSampler()
			ws := startWaitSampler(ctx, e.probe)
			cm, err := e.costStart(ctx)
			if err != nil {
				return peakRSS, err
			}
			l := run(ctx, c, part, func(ctx context.Context, i int) error { return post(ctx, e.Base, body(c, r*part+i)) })
			lc, err := e.costSince(ctx, cm, part)
			if err != nil {
				return peakRSS, err
			}
			apiCost = apiCost.add(lc)
			peakRSS = max(peakRSS, s.Stop(reset))
			if r == ingestRounds-1 {
				waits = ws.Stop()
			} else {
				ws.Stop()
			}
			if err := l.Err(); err != nil {
				return peakRSS, fmt.Errorf("ingest with %d clients: %w", c, err)
			}
			api = api.merge(l)
			w, err := e.walSince(ctx, mark, part)
			if err != nil {
				return peakRSS, err
			}
			apiWAL = apiWAL.add(w)
			if err := e.stmtSince(ctx, &apiStmts, part); err != nil {
				return peakRSS, err
			}
			l = run(ctx, c, part, func(ctx context.Context, i int) error { return post(ctx, ginBase, body(c, r*part+i)) })
			if err := l.Err(); err != nil {
				return peakRSS, fmt.Errorf("bare gin with %d clients: %w", c, err)
			}
			bare = bare.merge(l)
			if mark, err = e.walStart(ctx); err != nil {
				return peakRSS, err
			}
			if err := e.stmtStart(ctx); err != nil {
				return peakRSS, err
			}
			if cm, err = e.costStart(ctx); err != nil {
				return peakRSS, err
			}
			l = run(ctx, c, part, func(ctx context.Context, i int) error { return insert(ctx, fmt.Sprint(c), r*part+i) })
			if lc, err = e.costSince(ctx, cm, part); err != nil {
				return peakRSS, err
			}
			rawCost = rawCost.add(lc)
			if err := l.Err(); err != nil {
				return peakRSS, fmt.Errorf("raw INSERT with %d clients: %w", c, err)
			}
			raw = raw.merge(l)
			if w, err = e.walSince(ctx, mark, part); err != nil {
				return peakRSS, err
			}
			rawWAL = rawWAL.add(w)
			if err := e.stmtSince(ctx, &rawStmts, part); err != nil {
				return peakRSS, err
			}
		}
		e.logTop("api", c, 10, apiStmts)
		e.logTop("raw", c, 10, rawStmts)
		name := fmt.Sprintf("POST /api/result, %d client(s)", c)
		detail := fmt.Sprintf("p50 %.1f ms, p99 %.1f ms; %s; %s", api.Pct(50), api.Pct(99), waits, apiCost.apiWaits())
		rep.add(Row{Scenario: "ingest", Case: name, Unit: "results/s", Value: api.Rate(), Detail: detail,
			Limit: fmt.Sprintf("bare gin handler, %d client(s) (p99 %.1f ms)", c, bare.Pct(99)), LimitValue: bare.Rate(), LimitUnit: "req/s"})
		rep.add(Row{Scenario: "ingest", Case: name, Unit: "results/s", Value: api.Rate(),
			Detail: fmt.Sprintf("%s; API %s, raw INSERT %s%s%s; API %s; raw INSERT %s, %s", detail, apiWAL, rawWAL, e.checkpointNote(),
				stmtNote(apiStmts, rawStmts), apiCost, rawCost, rawCost.rawWaitsNote()),
			Limit: fmt.Sprintf("raw 1-row INSERT+commit, %d client(s), ≤%d conns", c, e.Raw.Config().MaxConns), LimitValue: raw.Rate(), LimitUnit: "rows/s"})
		e.log.Info("ingest CPU and waits per row", append([]any{"side", "api", "clients", c}, apiCost.logAttrs()...)...)
		e.log.Info("ingest CPU and waits per row", append([]any{"side", "raw", "clients", c}, rawCost.logAttrs()...)...)
		e.log.Info("ingest against its limits", "clients", c, "api", int(api.Rate()), "raw_insert", int(raw.Rate()),
			"ratio", round2(api.Rate()/max(raw.Rate(), 1)), "api_wal", apiWAL.String(), "raw_wal", rawWAL.String(), "waits", waits)
		if api.Rate() > best {
			best, bestClients = api.Rate(), c
		}
	}
	cp, err := e.copyIngestRows(ctx, rawRun, rawMD, n)
	if err != nil {
		return peakRSS, err
	}
	rep.add(Row{Scenario: "ingest", Case: fmt.Sprintf("best POST /api/result (%d clients)", bestClients), Unit: "results/s", Value: best,
		Limit: fmt.Sprintf("raw pgx COPY of %d rows, 1 conn", n), LimitValue: cp, LimitUnit: "rows/s",
		Target: "≥ 5,000 results/s", Met: met(best >= ingestTarget)})

	var got int64
	if err := e.Raw.QueryRow(ctx, "SELECT count(*) FROM results WHERE run_id = $1", runID).Scan(&got); err != nil {
		return peakRSS, fmt.Errorf("count ingested results: %w", err)
	}
	if want := int64(n / ingestRounds * ingestRounds * len(sc.Clients)); got != want {
		return peakRSS, fmt.Errorf("ingest stored %d results, want %d", got, want)
	}
	return peakRSS, e.ingestFingerprints(ctx, rep, sc)
}

// copyIngestRows COPYs n rows shaped like the ingested ones and returns rows/s.
func (e *Env) copyIngestRows(ctx context.Context, run uuid.UUID, md string, n int) (float64, error) {
	now := time.Now().UTC()
	rows := make([][]any, n)
	for i := range rows {
		rows[i] = []any{pgUUID(uuid.New()), pgUUID(e.Ingest), pgUUID(run), fmt.Sprintf("tests/test_copy.py::test_%d", i), "passed", md, "{}", 0.5, now, "ci", "api"}
	}
	t0 := time.Now()
	_, err := e.Raw.CopyFrom(ctx, pgx.Identifier{"results"},
		[]string{"id", "project_id", "run_id", "test_id", "result", "data", "params", "duration", "start_time", "env", "component"},
		pgx.CopyFromRows(rows))
	if err != nil {
		return 0, fmt.Errorf("raw COPY: %w", err)
	}
	return float64(n) / time.Since(t0).Seconds(), nil
}

// postResult sends one POST /api/result body to the server at base and
// wants its 201; every scenario that ingests over HTTP posts through it.
func (e *Env) postResult(ctx context.Context, base string, b []byte) error {
	req, err := http.NewRequestWithContext(ctx, "POST", base+"/api/result", bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+e.Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := e.HTTP.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != 201 {
		return fmt.Errorf("POST /api/result: status %d", resp.StatusCode)
	}
	return nil
}
