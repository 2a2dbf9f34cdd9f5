package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/ibutsu-go/ibutsu/pkg/fingerprint"
	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// Targets of issue #21 for failure clusters (docs/triage.md).
const (
	clustersTarget   = 500.0
	knownSinceTarget = 20.0
	triageClusters   = 50
	triageHistory    = 20
)

// triageRunsSQL is the limit of the clusters row: the grouping the API
// starts from, on the raw pool, without members, examples or history.
const triageRunsSQL = `SELECT fingerprint, COUNT(*) FROM ibutsu_result_fingerprints WHERE run_id = $1 GROUP BY fingerprint ORDER BY 2 DESC`

// knownSinceSQL is one "known since" lookup: what the project had of one
// fingerprint before a time.
const knownSinceSQL = `SELECT MIN(start_time), MAX(start_time), COUNT(DISTINCT run_id) FROM ibutsu_result_fingerprints
	WHERE project_id = $1 AND fingerprint = $2 AND start_time < $3`

// triage times GET /api/run/{id}/clusters for a run of up to 10,000
// failures in 50 clusters, each known from 20 earlier runs, next to the
// raw grouping query; and the "known since" lookup by project and
// fingerprint. Its data are written with COPY, fingerprints computed by
// package fingerprint as the write path does.
func (e *Env) triage(ctx context.Context, rep *Report, sc Scale) error {
	failures := min(10_000, sc.Results/5)
	project, err := e.createProject(ctx, "bench-triage")
	if err != nil {
		return err
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var target uuid.UUID
	var hashes []string
	for i := 0; i <= triageHistory; i++ {
		n := failures / 10
		if i == triageHistory {
			n = failures
		}
		runID, hs, err := e.seedFailures(ctx, project, t0.Add(time.Duration(i)*time.Hour), n)
		if err != nil {
			return err
		}
		target, hashes = runID, hs
	}
	if _, err := e.Raw.Exec(ctx, "ANALYZE results; ANALYZE ibutsu_result_fingerprints"); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	var got struct {
		Failures int `json:"failures"`
		Clusters []struct {
			Status string `json:"status"`
		} `json:"clusters"`
	}
	path := "/api/run/" + target.String() + "/clusters"
	if err := e.call(ctx, "GET", path, nil, 200, &got); err != nil {
		return err
	}
	if got.Failures != failures || len(got.Clusters) != triageClusters || got.Clusters[0].Status != "known" {
		return fmt.Errorf("clusters: %d failures in %d clusters, want %d in %d, all known", got.Failures, len(got.Clusters), failures, triageClusters)
	}
	api, raw, err := samplePair(ctx, sc.Samples, 2,
		func(ctx context.Context) error { return e.call(ctx, "GET", path, nil, 200, nil) },
		func(ctx context.Context) error { return drain(e.Raw.Query(ctx, triageRunsSQL, pgUUID(target))) })
	if err != nil {
		return err
	}
	rep.add(Row{Scenario: "triage", Case: fmt.Sprintf("GET /api/run/{id}/clusters, %d failures in %d clusters, all known", failures, triageClusters),
		Unit: "ms p95", Value: api.Pct(95), Detail: fmt.Sprintf("p50 %.1f ms", api.Pct(50)),
		Limit: "raw SQL: the run's fingerprints grouped", LimitValue: raw.Pct(95),
		Target: "< 500 ms at 10k failures", Met: met(api.Pct(95) < clustersTarget)})
	before := t0.Add(time.Duration(triageHistory) * time.Hour)
	known := run(ctx, 1, max(50, sc.Samples*2), func(ctx context.Context, i int) error {
		var first, last *time.Time
		var runs int
		return e.Raw.QueryRow(ctx, knownSinceSQL, pgUUID(project), hashes[i%len(hashes)], before).Scan(&first, &last, &runs)
	})
	if err := known.Err(); err != nil {
		return err
	}
	rep.add(Row{Scenario: "triage", Case: "known-since lookup of one fingerprint (SQL on the project index)", Unit: "ms p95", Value: known.Pct(95),
		Detail: fmt.Sprintf("p50 %.2f ms; %d earlier runs", known.Pct(50), triageHistory),
		Target: "p95 < 20 ms", Met: met(known.Pct(95) < knownSinceTarget)})
	return nil
}

// seedFailures COPYs a run of n failed results over triageClusters traces,
// half of them classified, and their fingerprints; it returns the run and
// the fingerprints used.
func (e *Env) seedFailures(ctx context.Context, project uuid.UUID, at time.Time, n int) (uuid.UUID, []string, error) {
	runID := uuid.New()
	if _, err := e.Raw.Exec(ctx, `INSERT INTO runs (id, project_id, data, start_time, created, summary) VALUES ($1, $2, '{}', $3, $3, '{}')`,
		pgUUID(runID), pgUUID(project), at); err != nil {
		return runID, nil, fmt.Errorf("triage run: %w", err)
	}
	results := make([][]any, n)
	fps := make([][]any, n)
	seen := map[string]bool{}
	var hashes []string
	for i := range results {
		md := model.JSON{"short_tb": fmt.Sprintf("E   ValueError: request %s broke\n\ntests/test_m%d.py:%d: ValueError", uuid.NewString(), i%triageClusters, i)}
		if i%2 == 0 {
			md["classification"] = "product_failure"
		}
		r := model.Result{ID: uuid.New(), ProjectID: &project, RunID: &runID, TestID: model.Ptr(fmt.Sprintf("tests.test_%d", i)),
			Result: model.Ptr("failed"), Data: md, StartTime: at.Add(time.Duration(i) * time.Millisecond)}
		data, err := md.Value()
		if err != nil {
			return runID, nil, err
		}
		results[i] = []any{pgUUID(r.ID), pgUUID(project), pgUUID(runID), *r.TestID, "failed", data, "{}", 0.5, r.StartTime}
		row, _ := fingerprint.Of(&r)
		fps[i] = []any{pgUUID(r.ID), pgUUID(project), pgUUID(runID), row.Fingerprint, row.Exception, row.Normalised, r.StartTime}
		if !seen[row.Fingerprint] {
			seen[row.Fingerprint] = true
			hashes = append(hashes, row.Fingerprint)
		}
	}
	if _, err := e.Raw.CopyFrom(ctx, pgx.Identifier{"results"},
		[]string{"id", "project_id", "run_id", "test_id", "result", "data", "params", "duration", "start_time"}, pgx.CopyFromRows(results)); err != nil {
		return runID, nil, fmt.Errorf("triage results: %w", err)
	}
	if _, err := e.Raw.CopyFrom(ctx, pgx.Identifier{"ibutsu_result_fingerprints"},
		[]string{"result_id", "project_id", "run_id", "fingerprint", "exception", "normalised", "start_time"}, pgx.CopyFromRows(fps)); err != nil {
		return runID, nil, fmt.Errorf("triage fingerprints: %w", err)
	}
	return runID, hashes, nil
}
