package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Targets of issue #21 for flaky tests (docs/triage.md#flaky-tests).
const (
	flakyListTarget = 100.0
	flakyJobs       = 4
	flakyMaxResults = 1_000_000
	flakyMaxRuns    = 2000
)

// flakyListSQL is the limit of the list row: the page of the materialised
// table on its index, on the raw pool, without count or evidence.
const flakyListSQL = `SELECT id, test_id, component, env, job, score FROM ibutsu_flaky_tests
	WHERE project_id = $1 ORDER BY score DESC, id LIMIT 25`

// flaky seeds sc.Results results over sc.Runs runs of one project (in the
// detection window, four Jenkins jobs; one test in ten passes or fails at
// random, one in ten always fails, the rest pass), runs the full detection
// once through PUT /api/project/{id}/flaky-settings (which re-examines the
// project), and then times GET /api/flaky next to the raw page query.
func (e *Env) flaky(ctx context.Context, rep *Report, sc Scale) error {
	project, err := e.createProject(ctx, "bench-flaky")
	if err != nil {
		return err
	}
	// The flaky target is defined at 1M results / 2,000 runs: a larger
	// scale does not seed a second, larger project for it.
	sc.Results, sc.Runs = min(sc.Results, flakyMaxResults), min(sc.Runs, flakyMaxRuns)
	perRun := max(10, sc.Results/sc.Runs)
	if err := e.seedFlaky(ctx, project, sc.Runs, perRun); err != nil {
		return err
	}
	if _, err := e.Raw.Exec(ctx, "ANALYZE results; ANALYZE runs"); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	t0 := time.Now()
	if err := e.call(ctx, "PUT", "/api/project/"+project.String()+"/flaky-settings", []byte(`{}`), 200, nil); err != nil {
		return fmt.Errorf("flaky refresh: %w", err)
	}
	refresh := time.Since(t0)
	if _, err := e.Raw.Exec(ctx, "ANALYZE ibutsu_flaky_tests; ANALYZE ibutsu_flaky_evidence"); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	var got struct {
		Flaky      []struct{} `json:"flaky"`
		Pagination struct {
			TotalItems int `json:"totalItems"`
		} `json:"pagination"`
	}
	path := "/api/flaky?project=" + project.String()
	if err := e.call(ctx, "GET", path, nil, 200, &got); err != nil {
		return err
	}
	if got.Pagination.TotalItems == 0 || len(got.Flaky) == 0 {
		return fmt.Errorf("flaky: no flaky test found among %d results", sc.Runs*perRun)
	}
	rep.add(Row{Scenario: "flaky", Case: fmt.Sprintf("full detection of one project, %d results in %d runs", sc.Runs*perRun, sc.Runs),
		Unit: "s", Value: refresh.Seconds(), Detail: fmt.Sprintf("%d flaky tests found; the periodic task's work per project", got.Pagination.TotalItems)})
	api, raw, err := samplePair(ctx, sc.Samples, 2,
		func(ctx context.Context) error { return e.call(ctx, "GET", path, nil, 200, nil) },
		func(ctx context.Context) error { return drain(e.Raw.Query(ctx, flakyListSQL, pgUUID(project))) })
	if err != nil {
		return err
	}
	rep.add(Row{Scenario: "flaky", Case: fmt.Sprintf("GET /api/flaky?project=…, page of 25 with evidence, %d flaky tests over %d results / %d runs",
		got.Pagination.TotalItems, sc.Runs*perRun, sc.Runs),
		Unit: "ms p95", Value: api.Pct(95), Detail: fmt.Sprintf("p50 %.1f ms", api.Pct(50)),
		Limit: "raw SQL: the page of the flaky table by score", LimitValue: raw.Pct(95),
		Target: "p95 < 100 ms at 1M results / 2,000 runs", Met: met(api.Pct(95) < flakyListTarget)})
	return nil
}

// seedFlaky COPYs runs runs of perRun results each, spread over the last 13
// days, in flakyJobs Jenkins jobs.
func (e *Env) seedFlaky(ctx context.Context, project uuid.UUID, runs, perRun int) error {
	rng := rand.New(rand.NewPCG(21, 7))
	start := time.Now().UTC().Add(-13 * 24 * time.Hour)
	step := 13 * 24 * time.Hour / time.Duration(runs)
	runRows := make([][]any, 0, runs)
	results := make([][]any, 0, 50_000)
	flush := func() error {
		if len(results) == 0 {
			return nil
		}
		_, err := e.Raw.CopyFrom(ctx, pgx.Identifier{"results"},
			[]string{"id", "project_id", "run_id", "test_id", "result", "data", "params", "duration", "start_time", "component"}, pgx.CopyFromRows(results))
		results = results[:0]
		if err != nil {
			return fmt.Errorf("flaky results: %w", err)
		}
		return nil
	}
	type run struct {
		id uuid.UUID
		at time.Time
	}
	all := make([]run, runs)
	for i := range all {
		all[i] = run{uuid.New(), start.Add(time.Duration(i) * step)}
		job := fmt.Sprintf("flaky-job-%d", i%flakyJobs)
		data := fmt.Sprintf(`{"jenkins": {"job_name": %q, "build_number": "%d"}}`, job, i/flakyJobs+1)
		runRows = append(runRows, []any{pgUUID(all[i].id), pgUUID(project), data, all[i].at, all[i].at, "{}"})
	}
	if _, err := e.Raw.CopyFrom(ctx, pgx.Identifier{"runs"}, []string{"id", "project_id", "data", "start_time", "created", "summary"},
		pgx.CopyFromRows(runRows)); err != nil {
		return fmt.Errorf("flaky runs: %w", err)
	}
	for _, r := range all {
		for t := 0; t < perRun; t++ {
			outcome := "passed"
			switch {
			case t%10 == 0 && rng.IntN(3) == 0:
				outcome = "failed"
			case t%10 == 1:
				outcome = "failed"
			}
			results = append(results, []any{pgUUID(uuid.New()), pgUUID(project), pgUUID(r.id), fmt.Sprintf("tests/test_flaky.py::test_%d", t),
				outcome, "{}", "{}", 0.5, r.at.Add(time.Duration(t) * time.Millisecond), fmt.Sprintf("comp-%d", t%5)})
			if len(results) == cap(results) {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}
