package widget

import (
	"context"
	"math"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/result"
)

// defaultDurationThreshold is the duration change (seconds) above which a
// test is listed in duration_changes when duration_threshold is absent.
const defaultDurationThreshold = 1.0

// compareRunsID names compare-runs-view in its entry and its errors.
const compareRunsID = "compare-runs-view"

// compareRunsWidget is the registry entry of compare-runs-view.
var compareRunsWidget = &Widget{
	ID: compareRunsID, Title: "Compare Runs", Description: "A summary of multiple ran test results filtered", Kind: "view",
	Params: []Param{
		{Name: "additional_filters", Description: "List of filters used for comparison", Type: "list", Required: yes},
		// Go additions: explicit runs (they win over additional_filters),
		// the duration-change threshold and project scoping.
		{Name: "base_run", Description: "ID of the base run (with target_run, instead of additional_filters)", Type: "string", Required: no},
		{Name: "target_run", Description: "ID of the target run (with base_run, instead of additional_filters)", Type: "string", Required: no},
		{Name: "duration_threshold", Description: "Report tests whose duration changed by more than this many seconds", Type: "float", Required: no, Default: defaultDurationThreshold},
		projectParam(),
	},
	Compute:       compareRuns,
	QueryRenames:  map[string]string{"filters": "additional_filters"},
	StoredRenames: map[string]string{"filters": "additional_filters"},
}

// compareRuns compares a base run with a target run.
//
// The runs are chosen either as upstream does
// (docs/api-compatibility.md#widget-notes): the run of the newest
// result matching each of two filter sets (`additional_filters`, two
// entries), or explicitly with `base_run` and `target_run` (run ids, which
// win when given). Both runs must be in projects the caller can access
// (403 otherwise; a run without project only for superadmins).
//
// The reply keeps upstream's fields, so the upstream UI still renders:
//
//	results     [[<result A>, <result B>], …] — same fspath and test_id, different outcome
//	pagination  {"totalItems": len(results)}
//
// and adds, comparing every result of the two whole runs matched by test_id
// (one result per test_id and run: the newest):
//
//	base_run, target_run  {"id", "project_id", "start_time"} (null when no run was found)
//	new_failures   failed/error in target, anything else or absent in base
//	fixed          failed/error in base, passed in target
//	still_failing  failed/error in both
//	  each item {"test_id", "base_result", "target_result",
//	             "base_result_id", "target_result_id", "flaky"} (base_* null when absent), by test_id;
//	  flaky: the test is a flaky test of either run's project now (docs/triage.md#flaky-tests)
//	duration_changes  tests in both runs whose durations differ by more than
//	  duration_threshold seconds (default 1): {"test_id", "base_duration",
//	  "target_duration", "delta" (target − base), "base_result_id",
//	  "target_result_id"}, largest |delta| first, then by test_id
//	counts  {"base_total", "target_total", "new_failures", "fixed",
//	  "still_failing", "duration_changes", "flaky_tests" (items marked flaky)}
//	clusters  the same per failure cluster (fingerprint): see diffClusters
func compareRuns(ctx context.Context, q store, a args) (any, error) {
	const id = compareRunsID
	threshold := defaultDurationThreshold
	if f, ok := a["duration_threshold"].(float64); ok {
		if f < 0 || math.IsNaN(f) {
			return nil, paramError(id, "duration_threshold must not be negative")
		}
		threshold = f
	}
	var runs [2]*model.Run
	var sets [2][]string // filter sets applied to upstream's results pairs
	baseID, hasBase := a.str("base_run")
	targetID, hasTarget := a.str("target_run")
	switch {
	case hasBase || hasTarget:
		if !hasBase || !hasTarget {
			return nil, paramError(id, "base_run and target_run go together")
		}
		for i, s := range []string{baseID, targetID} {
			u, ok := uuidArg(s)
			if !ok {
				return nil, paramError(id, "'%s' is not a run id", s)
			}
			r, err := q.run(ctx, u.String())
			if err != nil {
				return nil, err
			}
			if r == nil {
				return nil, apperr.NotFound("Run not found")
			}
			// Each run is checked as GET /run/{id} checks it, in turn: an
			// unknown run is a 404, a foreign one a 403, and the first
			// refusal is the answer, so the pair says no more than the two
			// GETs would.
			if err := q.canRead(ctx, r.ProjectID); err != nil {
				return nil, err
			}
			runs[i] = r
		}
	default:
		fs := a.list("additional_filters")
		if len(fs) == 0 {
			return emptyComparison(), nil
		}
		if len(fs) < 2 {
			return nil, paramError(id, "two filter sets are needed")
		}
		for i := 0; i < 2; i++ {
			sets[i] = splitFilters(fs[i])
			r, err := q.latestRunOf(ctx, a, sets[i])
			if err != nil {
				return nil, err
			}
			if r == nil {
				return emptyComparison(), nil
			}
			runs[i] = r
		}
	}
	if !hasBase { // explicit runs were checked as they were loaded
		for _, r := range runs {
			if err := q.canRead(ctx, r.ProjectID); err != nil {
				return nil, err
			}
		}
	}
	pairs, err := upstreamPairs(ctx, q, runs, sets)
	if err != nil {
		return nil, err
	}
	out, err := diffRuns(ctx, q, runs[0].ID, runs[1].ID, threshold)
	if err != nil {
		return nil, err
	}
	if err := markFlaky(ctx, q, runs, out); err != nil {
		return nil, err
	}
	out["results"] = pairs
	out["pagination"] = map[string]any{"totalItems": len(pairs)}
	out["base_run"] = runRef(runs[0])
	out["target_run"] = runRef(runs[1])
	return out, nil
}

// markFlaky sets "flaky" on every item of the new, fixed and still failing
// lists of out (diffRuns' answer) and counts them in counts.flaky_tests: one
// query per thousand test ids for the runs' projects.
func markFlaky(ctx context.Context, q store, runs [2]*model.Run, out map[string]any) error {
	lists := []string{"new_failures", "fixed", "still_failing"}
	var testIDs []string
	for _, l := range lists {
		for _, it := range out[l].([]map[string]any) {
			testIDs = append(testIDs, it["test_id"].(string))
		}
	}
	var projects []uuid.UUID
	for _, r := range runs {
		if r.ProjectID != nil {
			projects = append(projects, *r.ProjectID)
		}
	}
	flakyIDs := map[string]bool{}
	if len(testIDs) > 0 {
		var err error
		if flakyIDs, err = q.flakyTestIDs(ctx, projects, testIDs); err != nil {
			return err
		}
	}
	n := 0
	for _, l := range lists {
		for _, it := range out[l].([]map[string]any) {
			f := flakyIDs[it["test_id"].(string)]
			it["flaky"] = f
			if f {
				n++
			}
		}
	}
	out["counts"].(map[string]any)["flaky_tests"] = n
	return nil
}

func emptyComparison() map[string]any {
	return map[string]any{
		"results": []any{}, "pagination": map[string]any{"totalItems": 0},
		"base_run": nil, "target_run": nil,
		"new_failures": []any{}, "fixed": []any{}, "still_failing": []any{}, "duration_changes": []any{},
		"clusters": emptyClusters(),
		"counts":   map[string]any{"base_total": 0, "target_total": 0, "new_failures": 0, "fixed": 0, "still_failing": 0, "duration_changes": 0, "flaky_tests": 0},
	}
}

func runRef(r *model.Run) map[string]any {
	var p any
	if r.ProjectID != nil {
		p = r.ProjectID.String()
	}
	return map[string]any{"id": r.ID.String(), "project_id": p, "start_time": model.FormatTime(r.StartTime)}
}

// upstreamPairs is upstream's result list: the results of each run (matching
// its filter set, if any) ordered by metadata.fspath, each A result paired
// with the first B result of the same fspath and test_id and a different
// outcome.
func upstreamPairs(ctx context.Context, q store, runs [2]*model.Run, sets [2][]string) ([][2]result.View, error) {
	var rs [2][]model.Result
	for i := range runs {
		var err error
		if rs[i], err = q.resultsOfRun(ctx, runs[i].ID.String(), sets[i]); err != nil {
			return nil, err
		}
	}
	pairs := [][2]result.View{}
	for i := range rs[0] {
		ra := &rs[0][i]
		for j := range rs[1] {
			rb := &rs[1][j]
			if fspath(ra) == fspath(rb) && deref(ra.TestID) == deref(rb.TestID) && deref(ra.Result) != deref(rb.Result) {
				pairs = append(pairs, [2]result.View{result.NewView(ra), result.NewView(rb)})
				break
			}
		}
	}
	return pairs, nil
}

// diffRuns joins the two runs' results on test_id in the database and
// returns only the rows that belong to a category.
func diffRuns(ctx context.Context, q store, base, target uuid.UUID, threshold float64) (map[string]any, error) {
	newFailures, fixed, still, durations := []map[string]any{}, []map[string]any{}, []map[string]any{}, []map[string]any{}
	flips := map[string]bool{} // tests that passed in one run and failed in the other
	err := q.testDiffs(ctx, base, target, threshold, func(d testDiff) {
		testID, bRes, tRes, bDur, tDur, bID, tID := d.testID, d.bRes, d.tRes, d.bDur, d.tDur, d.bID, d.tID
		item := map[string]any{"test_id": testID, "base_result": bRes, "target_result": tRes, "base_result_id": bID, "target_result_id": tID}
		failing := func(s *string) bool { return s != nil && (*s == "failed" || *s == "error") }
		passed := func(s *string) bool { return s != nil && *s == "passed" }
		if (failing(bRes) && passed(tRes)) || (passed(bRes) && failing(tRes)) {
			flips[testID] = true
		}
		switch {
		case failing(tRes) && failing(bRes):
			still = append(still, item)
		case failing(tRes):
			newFailures = append(newFailures, item)
		case failing(bRes) && deref(tRes) == "passed":
			fixed = append(fixed, item)
		}
		if bDur != nil && tDur != nil && math.Abs(*tDur-*bDur) > threshold {
			durations = append(durations, map[string]any{"test_id": testID, "base_duration": *bDur, "target_duration": *tDur,
				"delta": math.Round((*tDur-*bDur)*1e6) / 1e6, "base_result_id": bID, "target_result_id": tID})
		}
	})
	if err != nil {
		return nil, err
	}
	for _, l := range [][]map[string]any{newFailures, fixed, still, durations} {
		slices.SortStableFunc(l, func(x, y map[string]any) int { return strings.Compare(x["test_id"].(string), y["test_id"].(string)) })
	}
	sortByDelta(durations)
	totals, err := q.resultCounts(ctx, base, target)
	if err != nil {
		return nil, err
	}
	clusters, err := diffClusters(ctx, q, base, target, flips)
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"clusters":     clusters,
		"new_failures": newFailures, "fixed": fixed, "still_failing": still, "duration_changes": durations,
		"counts": map[string]any{"base_total": totals[base.String()], "target_total": totals[target.String()],
			"new_failures": len(newFailures), "fixed": len(fixed), "still_failing": len(still), "duration_changes": len(durations)},
	}, nil
}

func sortByDelta(items []map[string]any) {
	abs := func(m map[string]any) float64 { return math.Abs(m["delta"].(float64)) }
	slices.SortStableFunc(items, func(x, y map[string]any) int {
		switch {
		case abs(x) > abs(y):
			return -1
		case abs(x) < abs(y):
			return 1
		}
		return 0 // already ordered by test_id
	})
}

// canRead refuses a run project the caller cannot access (403); a run
// without project is for superadmins only.
func (q store) canRead(ctx context.Context, project *uuid.UUID) error {
	u := auth.UserFrom(ctx)
	if u != nil && u.IsSuperadmin {
		return nil
	}
	if project == nil || q.access == nil {
		return apperr.Forbidden()
	}
	return apperr.ForbiddenUnless(q.access.CanAccess(ctx, u, *project))
}

func fspath(r *model.Result) string {
	s, _ := r.Data["fspath"].(string)
	return s
}

// trimWhere turns where.sql()'s " WHERE x" into "x" for GORM (or "1=1").
func trimWhere(s string) string {
	if s == "" {
		return "1 = 1"
	}
	return s[len(" WHERE "):]
}
