package widget

import (
	"context"
	"database/sql"
	"math"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
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
func runAggregator(ctx context.Context, q querier, a args) (any, error) {
	if err := need(runAggregatorID, a, "weeks", "group_field"); err != nil {
		return nil, err
	}
	weeks, _ := a.integer("weeks")
	group, _ := a.str("group_field")
	out := map[string]map[string]int64{"passed": {}, "skipped": {}, "error": {}, "failed": {}, "xfailed": {}, "xpassed": {}}
	ge, gargs, ok, err := q.expr(filter.Runs, group)
	if err != nil || !ok {
		return out, err
	}
	fs := []string{"start_time>" + timeArg(time.Now().Add(-time.Duration(weeks)*7*24*time.Hour)), group + "@y"}
	fs = append(fs, splitFilters(a.strOr("additional_filters", ""))...)
	var w where
	if err := w.filters(q, filter.Runs, fs); err != nil {
		return nil, err
	}
	w.scope(q, "project_id", a)
	sel, sargs := ge+" AS g", append([]any{}, gargs...)
	for _, k := range []string{"failures", "errors", "skips", "tests", "xpassed", "xfailed"} {
		e, ea, err := q.num(filter.Runs, "summary."+k)
		if err != nil {
			return nil, err
		}
		if k == "xpassed" || k == "xfailed" {
			e, ea = summaryText(q, k)
		}
		sel += ", SUM(" + e + ")"
		sargs = append(sargs, ea...)
	}
	query := "SELECT " + sel + " FROM runs" + w.sql() + " GROUP BY g"
	err = q.rows(ctx, query, append(sargs, w.args...), func(r *sql.Rows) error {
		var g any
		v := make([]any, 6)
		if err := r.Scan(&g, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]); err != nil {
			return err
		}
		total := asFloat(v[3])
		key := asString(g)
		if total == 0 || key == nil {
			return nil
		}
		pct := func(i int) int64 { return int64(math.RoundToEven(asFloat(v[i]) / total * 100)) }
		f, e, s, xp, xf := pct(0), pct(1), pct(2), pct(4), pct(5)
		out["failed"][*key], out["error"][*key], out["skipped"][*key] = f, e, s
		out["xpassed"][*key], out["xfailed"][*key] = xp, xf
		out["passed"][*key] = 100 - (f + e + s + xf + xp)
		return nil
	})
	return out, err
}

// summaryText builds a numeric read of a summary key the filter package
// does not know as numeric (xpassed/xfailed), 0 when absent.
func summaryText(q querier, key string) (string, []any) {
	if q.d == filter.SQLite {
		return "COALESCE(CASE WHEN json_type(summary, ?) IN ('integer','real') THEN json_extract(summary, ?) END, 0)", []any{"$." + key, "$." + key}
	}
	return "COALESCE(CASE WHEN jsonb_typeof(summary -> ?::text) = 'number' THEN CAST(summary ->> ?::text AS numeric) END, 0)", []any{key, key}
}
