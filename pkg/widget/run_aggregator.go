package widget

import (
	"context"
	"math"
	"time"
)

// runAggregatorID names run-aggregator in its entry and its errors.
const runAggregatorID = "run-aggregator"

// runAggregatorWidget is the registry entry of run-aggregator.
var runAggregatorWidget = &Widget{
	ID: runAggregatorID, Title: "Run Aggregation", Description: "An aggregation of recent run results", Kind: "widget",
	Params: []Param{
		{Name: "group_field", Description: "Run data to order by, e.g. 'component' or 'env'", Type: "string", Required: yes, Default: "component"},
		{Name: "weeks", Description: "Aggregate test results from <weeks> weeks ago, e.g. 4", Type: "integer", Required: yes, Default: 4},
		projectParam(), additionalFilters(no),
	},
	Compute: runAggregator,
}

// runAggregator gives per-group percentages of run outcomes over the last
// `weeks` weeks (docs/api-compatibility.md#widget-notes). Faithful to
// upstream, xpassed/xfailed read
// the summary keys `xpassed`/`xfailed`, which nothing writes, so they are 0.
func runAggregator(ctx context.Context, q store, a args) (any, error) {
	if err := need(runAggregatorID, a, "weeks", "group_field"); err != nil {
		return nil, err
	}
	weeks, _ := a.integer("weeks")
	group, _ := a.str("group_field")
	out := map[string]map[string]int64{"passed": {}, "skipped": {}, "error": {}, "failed": {}, "xfailed": {}, "xpassed": {}}
	since := time.Now().Add(-time.Duration(weeks) * 7 * 24 * time.Hour)
	groups, err := q.runOutcomesBy(ctx, group, since, splitFilters(a.strOr("additional_filters", "")), a)
	for _, g := range groups {
		v, total := g.sums, g.sums[3]
		if total == 0 || g.key == nil {
			continue
		}
		key := g.key
		pct := func(i int) int64 { return int64(math.RoundToEven(v[i] / total * 100)) }
		f, e, s, xp, xf := pct(0), pct(1), pct(2), pct(4), pct(5)
		out["failed"][*key], out["error"][*key], out["skipped"][*key] = f, e, s
		out["xpassed"][*key], out["xfailed"][*key] = xp, xf
		out["passed"][*key] = 100 - (f + e + s + xf + xp)
	}
	return out, err
}
