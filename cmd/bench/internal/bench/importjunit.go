package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime/multipart"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/ibutsu-go/ibutsu/pkg/importer/junit"
)

// importTarget is the documented goal: an import reaches at least half
// the rate of a raw COPY of the rows it writes.
const importTarget = 0.5

type nopHandler struct{}

func (nopHandler) Root(*junit.Root) error { return nil }
func (nopHandler) Case(*junit.Case) error { return nil }

// importJUnit uploads a report of n cases through POST /api/import, waits
// for the worker to finish it, and compares the rate with the parser alone
// and with a raw COPY of exactly the rows the import wrote.
func (e *Env) importJUnit(ctx context.Context, rep *Report, n int) error {
	data := junitReport(n)
	parse := time.Duration(1 << 62)
	for range 2 { // best of two: the parser is CPU-bound and the box is shared
		t0 := time.Now()
		if _, err := junit.Parse(bytes.NewReader(data), nopHandler{}); err != nil {
			return fmt.Errorf("parse generated report: %w", err)
		}
		parse = min(parse, time.Since(t0))
	}

	e.log.Info("import", "cases", n, "bytes", len(data))
	settle()
	reset := resetPeak()
	s := startSampler()
	t0 := time.Now()
	runID, phases, err := e.upload(ctx, fmt.Sprintf("bench-%d.xml", n), data)
	elapsed := time.Since(t0)
	peak := s.Stop(reset)
	if err != nil {
		return err
	}
	var results, artifacts int64
	if err := e.Raw.QueryRow(ctx, `SELECT (SELECT count(*) FROM results WHERE run_id = $1), (SELECT count(*) FROM artifacts WHERE run_id = $1 OR result_id IN (SELECT id FROM results WHERE run_id = $1))`, runID).
		Scan(&results, &artifacts); err != nil {
		return fmt.Errorf("count imported rows: %w", err)
	}
	if results != int64(n) {
		return fmt.Errorf("import of %d cases stored %d results", n, results)
	}
	cp := 0.0
	for range 2 { // best of two, as for the parser
		rate, err := e.copySameRows(ctx, runID)
		if err != nil {
			return err
		}
		cp = max(cp, rate)
	}
	rate := float64(n) / elapsed.Seconds()
	name := fmt.Sprintf("JUnit %dk cases (%.1f MiB), upload → done", n/1000, float64(len(data))/(1<<20))
	detail := fmt.Sprintf("%.2f s (upload %.2f, queued %.2f, running %.2f); %d results + %d artifacts", elapsed.Seconds(),
		phases[0].Seconds(), (phases[1] - phases[0]).Seconds(), (elapsed - phases[1]).Seconds(), results, artifacts)
	rep.add(Row{Scenario: "import", Case: name, Unit: "cases/s", Value: rate, Detail: detail,
		Limit: "JUnit parser alone", LimitValue: float64(n) / parse.Seconds()})
	rep.add(Row{Scenario: "import", Case: name, Unit: "cases/s", Value: rate, Detail: detail,
		Limit: "raw pgx COPY of the same rows, 1 tx", LimitValue: cp, LimitUnit: "rows/s",
		Target: "≥ 0.50 of raw COPY", Met: met(rate/cp >= importTarget)})
	rep.add(Row{Scenario: "memory", Case: fmt.Sprintf("peak RSS during %dk import", n/1000), Unit: "MiB", Value: peak,
		Detail: "backend + worker + bench client in one process (VmHWM)"})
	return nil
}

// upload posts the file, polls the import every 20 ms until it is done and
// returns the created run's id and when (since the upload started) the
// POST answered and the import was first seen out of "pending" (the
// queue's pick-up latency is the difference).
func (e *Env) upload(ctx context.Context, name string, data []byte) (uuid.UUID, [2]time.Duration, error) {
	var phases [2]time.Duration
	t0 := time.Now()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("importFile", name)
	if err != nil {
		return uuid.Nil, phases, err
	}
	_, _ = fw.Write(data)
	_ = mw.WriteField("project", e.Ingest.String())
	_ = mw.Close()
	code, b, err := e.request(ctx, "POST", "/api/import", body.Bytes(), mw.FormDataContentType())
	phases[0] = time.Since(t0)
	if err != nil {
		return uuid.Nil, phases, fmt.Errorf("POST /api/import: %w", err)
	}
	if code != 202 && code != 201 {
		return uuid.Nil, phases, fmt.Errorf("POST /api/import: status %d: %.300s", code, b)
	}
	var imp struct {
		ID       uuid.UUID `json:"id"`
		Status   string    `json:"status"`
		Metadata struct {
			RunID []uuid.UUID `json:"run_id"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(b, &imp); err != nil {
		return uuid.Nil, phases, fmt.Errorf("decode import: %w", err)
	}
	deadline := time.Now().Add(15 * time.Minute)
	for imp.Status != "done" {
		if imp.Status != "pending" && phases[1] == 0 {
			phases[1] = time.Since(t0)
		}
		if imp.Status == "error" {
			return uuid.Nil, phases, fmt.Errorf("import %s failed", imp.ID)
		}
		if time.Now().After(deadline) {
			return uuid.Nil, phases, fmt.Errorf("import %s still %q after 15 minutes", imp.ID, imp.Status)
		}
		select {
		case <-ctx.Done():
			return uuid.Nil, phases, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
		if err := e.call(ctx, "GET", "/api/import/"+imp.ID.String(), nil, 200, &imp); err != nil {
			return uuid.Nil, phases, err
		}
	}
	if len(imp.Metadata.RunID) != 1 {
		return uuid.Nil, phases, errors.New("finished import names no run")
	}
	if phases[1] == 0 { // went from pending to done between two polls
		phases[1] = time.Since(t0)
	}
	return imp.Metadata.RunID[0], phases, nil
}

// copySameRows reads the run, results and artifacts an import wrote, gives
// them new ids, and times writing them again with COPY in one transaction
// (the same rows, indexes and table sizes: the floor for an import).
// Returns results per second.
func (e *Env) copySameRows(ctx context.Context, runID uuid.UUID) (float64, error) {
	resCols := []string{"id", "project_id", "run_id", "test_id", "result", "data", "params", "duration", "start_time", "source", "env", "component"}
	artCols := []string{"id", "content", "result_id", "run_id", "filename", "data", "upload_date"}
	newRun := uuid.New()
	ids := map[uuid.UUID]uuid.UUID{}
	results, err := e.readRows(ctx, "results", `SELECT id, project_id, run_id, test_id, result, data::text, params::text, duration, start_time, source, env, component
		FROM results WHERE run_id = $1`, runID, func(v []any) {
		old := uuid.UUID(v[0].([16]byte))
		ids[old] = uuid.New()
		v[0], v[2] = pgUUID(ids[old]), pgUUID(newRun)
	})
	if err != nil {
		return 0, err
	}
	artifacts, err := e.readRows(ctx, "artifacts", `SELECT a.id, a.content, a.result_id, a.run_id, a.filename, a.data::text, a.upload_date
		FROM artifacts a JOIN results r ON r.id = a.result_id WHERE r.run_id = $1`, runID, func(v []any) {
		v[0], v[2] = pgUUID(uuid.New()), pgUUID(ids[uuid.UUID(v[2].([16]byte))])
		if v[3] != nil {
			v[3] = pgUUID(newRun)
		}
	})
	if err != nil {
		return 0, err
	}

	t0 := time.Now()
	err = pgx.BeginFunc(ctx, e.Raw, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO runs (id, project_id, data, env, component, source, start_time, duration, summary, created)
			SELECT $2, project_id, data, env, component, source, start_time, duration, summary, created FROM runs WHERE id = $1`, runID, newRun); err != nil {
			return err
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"results"}, resCols, pgx.CopyFromRows(results)); err != nil {
			return err
		}
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"artifacts"}, artCols, pgx.CopyFromRows(artifacts))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("raw COPY of imported rows: %w", err)
	}
	return float64(len(results)) / time.Since(t0).Seconds(), nil
}

// readRows reads every row the query for runID returns as raw values, each
// passed through remap (which gives it new ids) on the way.
func (e *Env) readRows(ctx context.Context, what, query string, runID uuid.UUID, remap func(v []any)) ([][]any, error) {
	rows, err := e.Raw.Query(ctx, query, runID)
	if err != nil {
		return nil, fmt.Errorf("read imported %s: %w", what, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([]any, error) {
		v, err := r.Values()
		if err != nil {
			return nil, err
		}
		remap(v)
		return v, nil
	})
	if err != nil {
		return nil, fmt.Errorf("read imported %s: %w", what, err)
	}
	return out, nil
}
