package widget

import (
	"context"
	"strconv"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
)

// filterHeatmapID names filter-heatmap in its entry and its errors.
const filterHeatmapID = "filter-heatmap"

// filterHeatmapWidget is the registry entry of filter-heatmap.
var filterHeatmapWidget = &Widget{
	ID: filterHeatmapID, Title: "Filtered Heatmap", Description: "A heatmap of filtered test runs", Kind: "widget",
	Params: []Param{
		additionalFilters(yes),
		{Name: "builds", Description: "The number of builds to analyze.", Type: "integer", Required: yes, Default: 5},
		{Name: "group_field", Description: "The field in a result to group by, typically 'component'", Type: "string", Required: yes, Default: "component"},
		projectParam(),
	},
	Compute:       filterHeatmap,
	StoredRenames: map[string]string{"filters": "additional_filters"},
}

// filterHeatmap (docs/api-compatibility.md#widget-notes) is like
// jenkins-heatmap but over any filtered runs,
// keeping upstream's quirks: the label is the run's position in the
// newest-first list, skips count as passes, and the slope regresses the
// index on the pass percentage.
func filterHeatmap(ctx context.Context, q store, a args) (any, error) {
	if err := need(filterHeatmapID, a, "additional_filters", "builds", "group_field"); err != nil {
		return nil, err
	}
	nBuilds, _ := a.integer("builds")
	group, _ := a.str("group_field")
	empty := map[string]any{"heatmap": map[string]any{}}
	if _, _, ok, err := q.expr(filter.Runs, group); err != nil || !ok {
		return empty, err
	}
	limit := int(float64(q.lim.HeatmapRunLimit) / float64(q.lim.HeatmapMaxBuilds) * float64(nBuilds))
	if limit <= 0 {
		limit = -1 // the filters are still checked
	}
	stats, err := q.runStats(ctx, group, "", splitFilters(a.strOr("additional_filters", "")), a, "start_time DESC, id", limit)
	if err != nil {
		return nil, err
	}
	if limit < 0 {
		return empty, nil
	}
	heat := map[string]any{}
	entries := map[string][][]any{}
	var order []string
	for i, s := range stats {
		if _, seen := entries[s.group]; !seen {
			order = append(order, s.group)
			entries[s.group] = [][]any{}
		}
		if len(entries[s.group]) >= nBuilds {
			continue
		}
		pp := 0.0
		if s.tests != 0 {
			pp = 100 * (s.tests - (s.errors + s.failures + s.xpasses + s.xfailures)) / s.tests
		}
		entries[s.group] = append([][]any{{round2(pp), s.id, nil, strconv.Itoa(i + 1)}}, entries[s.group]...)
	}
	for _, g := range order {
		var xs, ys []float64
		all100 := true
		for i, e := range entries[g] {
			pp := e[0].(float64)
			xs = append(xs, pp)
			ys = append(ys, float64(i))
			all100 = all100 && pp == 100
		}
		sl := slope(xs, ys)
		if all100 {
			sl = 100
		}
		heat[g] = append([][]any{{sl, 0}}, entries[g]...)
	}
	return map[string]any{"heatmap": heat}, nil
}
