package widget

import (
	"context"
	"database/sql"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

// resultAggregatorWidget is the registry entry of result-aggregator.
var resultAggregatorWidget = &Widget{
	ID: "result-aggregator", Title: "Result Aggregation", Description: "A count of test results that fall into various categories", Kind: "widget",
	Params: []Param{
		{Name: "group_field", Description: "Result data to group by, e.g. 'env', 'metadata.assignee', 'metadata.exception_name'", Type: "string", Required: yes, Default: "result"},
		{Name: "days", Description: "Aggregate test results from <days> days ago, e.g. 3", Type: "float", Required: no, Default: 90},
		{Name: "run_id", Description: "Aggregate results from a specific run", Type: "string", Required: no},
		projectParam(),
		{Name: "for_filter", Description: "Return only the distinct values, for filter drop-downs", Type: "boolean", Required: no, Default: false},
		additionalFilters(no),
	},
	Compute: resultAggregator,
}

// resultAggregator counts results per value of group_field
// (docs/api-compatibility.md#widget-notes), or lists
// the distinct values when for_filter is set. On PostgreSQL, grouping by
// result, component or env with filters on those columns reads the
// trigger-maintained count table (see result_counts.go) instead of every
// result in the window; anything else is a GROUP BY over results.
func resultAggregator(ctx context.Context, q querier, a args) (any, error) {
	group, _ := a.str("group_field")
	if group == "" {
		group = "result"
	}
	out := []map[string]any{}
	ge, gargs, ok, err := q.expr(filter.Results, group)
	if err != nil || !ok {
		return out, err
	}
	_, hasDays := a["days"]
	_, hasRun := a["run_id"]
	days, _ := a["days"].(float64)
	if !hasDays && !hasRun {
		days = 90
	}
	var since time.Time
	if days != 0 {
		since = time.Now().UTC().Add(-time.Duration(days * 24 * float64(time.Hour)))
	}
	additional := splitFilters(a.strOr("additional_filters", ""))
	forFilter := a.boolOr("for_filter", false)
	if countable(q, group, additional, a) {
		limit := 0
		if forFilter {
			limit = q.lim.FilterModeLimit
		}
		err := countResults(ctx, q, a, group, since, additional, limit, func(g any, n int64) error {
			if forFilter {
				out = append(out, map[string]any{"_id": asString(g)})
			} else {
				out = append(out, map[string]any{"_id": asString(g), "count": n})
			}
			return nil
		})
		return out, err
	}
	fs := []string{group + "@y"}
	if !since.IsZero() {
		fs = append(fs, "start_time>"+timeArg(since))
	}
	fs = append(fs, additional...)
	var w where
	if err := w.filters(q, filter.Results, fs); err != nil {
		return nil, err
	}
	w.scope(q, "project_id", a)
	if id, valid := httpx.ParseUUID(a.strOr("run_id", "")); valid {
		w.add("run_id = ?", id.String())
	}
	if forFilter {
		query := "SELECT DISTINCT " + ge + " FROM results" + w.sql() + " LIMIT " + itoa(q.lim.FilterModeLimit)
		err = q.rows(ctx, query, append(gargs, w.args...), func(r *sql.Rows) error {
			var v any
			if err := r.Scan(&v); err != nil {
				return err
			}
			out = append(out, map[string]any{"_id": asString(v)})
			return nil
		})
		return out, err
	}
	query := "SELECT " + ge + " AS g, COUNT(*) AS n FROM results" + w.sql() + " GROUP BY g ORDER BY n DESC"
	err = q.rows(ctx, query, append(gargs, w.args...), func(r *sql.Rows) error {
		var v, n any
		if err := r.Scan(&v, &n); err != nil {
			return err
		}
		out = append(out, map[string]any{"_id": asString(v), "count": int64(asFloat(n))})
		return nil
	})
	return out, err
}
