package widget

import (
	"context"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
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
func resultAggregator(ctx context.Context, q store, a args) (any, error) {
	group, _ := a.str("group_field")
	if group == "" {
		group = "result"
	}
	out := []map[string]any{}
	if _, _, ok, err := q.expr(filter.Results, group); err != nil || !ok {
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
	runID := ""
	if id, valid := uuidArg(a.strOr("run_id", "")); valid {
		runID = id.String()
	}
	distinct := 0
	if forFilter {
		distinct = q.lim.FilterModeLimit
	}
	groups, err := q.resultGroups(ctx, group, fs, a, runID, distinct)
	for _, g := range groups {
		if forFilter {
			out = append(out, map[string]any{"_id": g.key})
		} else {
			out = append(out, map[string]any{"_id": g.key, "count": g.n})
		}
	}
	return out, err
}
