package widget

import (
	"context"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// flakyTestsID names flaky-tests in its entry and its errors.
const flakyTestsID = "flaky-tests"

// Bounds of flaky-tests' limit.
const (
	flakyTestsDefaultLimit = 10
	flakyTestsMaxLimit     = 100
)

// flakyTestsWidget is the registry entry of flaky-tests (Go addition, issue
// #21; docs/triage.md#flaky-tests).
var flakyTestsWidget = &Widget{
	ID: flakyTestsID, Title: "Flaky tests", Description: "The flakiest tests: those that passed and failed in one run or build, or flipped often over their last runs", Kind: "widget",
	Params: []Param{
		projectParam(),
		{Name: "job", Description: "Only this Jenkins job", Type: "string", Required: no, Default: ""},
		{Name: "component", Description: "Only this component", Type: "string", Required: no, Default: ""},
		{Name: "env", Description: "Only this environment", Type: "string", Required: no, Default: ""},
		{Name: "limit", Description: "How many tests to show (at most 100)", Type: "integer", Required: no, Default: flakyTestsDefaultLimit},
	},
	Compute: flakyTests,
}

// flakyTests lists the highest-scored flaky tests of the project (or of the
// caller's projects without one), read from the materialised table package
// flaky keeps:
//
//	{"tests": [{"id", "project_id", "test_id", "component", "env", "job", "score", "flip_rate",
//	            "flips", "retries", "runs", "first_flake", "last_flake"}, …], "total": n}
//
// Empty job, component or env parameters do not filter.
func flakyTests(ctx context.Context, q store, a args) (any, error) {
	limit := a.intOr("limit", flakyTestsDefaultLimit)
	if limit < 1 {
		return nil, paramError(flakyTestsID, "limit must be positive")
	}
	limit = min(limit, flakyTestsMaxLimit)
	var w where
	w.scope(q, "project_id", a)
	for _, k := range []string{"job", "component", "env"} {
		if v := a.strOr(k, ""); v != "" {
			w.add(k+" = ?", v)
		}
	}
	rows, total, err := q.flakyTests(ctx, w, limit)
	if err != nil {
		return nil, err
	}
	tests := make([]map[string]any, len(rows))
	for i, r := range rows {
		tests[i] = map[string]any{"id": r.ID.String(), "project_id": r.ProjectID.String(), "test_id": r.TestID, "component": orNil(r.Component),
			"env": orNil(r.Env), "job": orNil(r.Job), "score": r.Score, "flip_rate": r.FlipRate, "flips": r.Flips,
			"retries": r.Retries, "runs": r.Runs, "first_flake": model.FormatTime(r.FirstFlake), "last_flake": model.FormatTime(r.LastFlake)}
	}
	return map[string]any{"tests": tests, "total": total}, nil
}

// orNil is nil for "" (a test without component, env or job).
func orNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}
