package widget

import (
	"context"
	"math"

	"sigs.k8s.io/yaml"
)

// axeFilenames are the artifacts the accessibility bar chart reads: the axe
// summary upstream's accessibility plugin uploads (axe_run_data.yaml), and a
// JSON twin (YAML parsing reads JSON too).
var axeFilenames = []string{"axe_run_data.yaml", "axe_run_data.json"}

// accessibilityDashboardWidget is the registry entry of
// accessibility-dashboard-view.
var accessibilityDashboardWidget = &Widget{
	ID: "accessibility-dashboard-view", Title: "Accessibility Dashboard View", Kind: "view",
	Params:  []Param{},
	Compute: accessibilityDashboard,
}

// accessibilityDashboard returns null, as upstream's view does.
func accessibilityDashboard(context.Context, store, args) (any, error) { return nil, nil }

// accessibilityAnalysisID names accessibility-analysis-view in its entry and
// its errors.
const accessibilityAnalysisID = "accessibility-analysis-view"

// accessibilityAnalysisWidget is the registry entry of
// accessibility-analysis-view.
var accessibilityAnalysisWidget = &Widget{
	ID: accessibilityAnalysisID, Title: "Accessibility Analysis View", Kind: "view",
	Params:  []Param{{Name: "run_list", Description: "List of run IDs for the analysis to pull in", Type: "list"}, projectParam()},
	Compute: accessibilityAnalysis,
}

// accessibilityAnalysis echoes run_list back (the project parameter is
// accepted and ignored, docs/api-compatibility.md#widget-notes).
func accessibilityAnalysis(_ context.Context, _ store, a args) (any, error) {
	if err := need(accessibilityAnalysisID, a, "run_list"); err != nil {
		return nil, err
	}
	return a.list("run_list"), nil
}

// accessibilityBarChartID names accessibility-bar-chart in its entry and its
// errors.
const accessibilityBarChartID = "accessibility-bar-chart"

// accessibilityBarChartWidget is the registry entry of accessibility-bar-chart.
var accessibilityBarChartWidget = &Widget{
	ID: accessibilityBarChartID, Title: "Accessibility Bar Chart", Description: "A bar chart to display aggregate test results ", Kind: "widget",
	Params:  []Param{{Name: "run_list", Description: "A list of run IDs", Type: "list", Required: yes}},
	Compute: accessibilityBarChart,
}

// accessibilityBarChart (docs/api-compatibility.md#widget-notes): the
// passes/violations donut of the axe
// summary artifact of the runs in run_list. Upstream takes the last parsed
// artifact that has a "passes" key; here "last" is the newest upload, and
// artifacts attached to the runs' results count as well as those attached
// to the runs. The reply is
//
//	[{"x": "passes", "y": p, "ratio": round(100p/total, 2)},
//	 {"x": "violations", "y": v, "ratio": …}, {"total": p+v}]
//
// or null when no run has such an artifact. A total of 0 gives ratios 0.0
// (upstream divides by zero: a 500). Runs the caller cannot read are a 403.
func accessibilityBarChart(ctx context.Context, q store, a args) (any, error) {
	if err := need(accessibilityBarChartID, a, "run_list"); err != nil {
		return nil, err
	}
	ids, err := readableRuns(ctx, q, a.list("run_list"))
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	candidates, err := q.artifactsOfRuns(ctx, ids, axeFilenames)
	if err != nil {
		return nil, err
	}
	for _, id := range candidates {
		content, err := q.artifactContent(ctx, id)
		if err != nil {
			return nil, err
		}
		doc := map[string]any{}
		if err := yaml.Unmarshal(content, &doc); err != nil {
			continue // not a mapping: upstream would fail; an unreadable upload should not hide the others
		}
		if _, ok := doc["passes"]; !ok {
			continue
		}
		return axeDonut(axeCount(doc["passes"]), axeCount(doc["violations"])), nil
	}
	return nil, nil
}

// axeDonut shapes the counts for the UI's donut chart.
func axeDonut(passes, violations float64) []any {
	total := passes + violations
	ratio := func(n float64) float64 {
		if total == 0 {
			return 0
		}
		return round2(100 * n / total)
	}
	return []any{
		map[string]any{"x": "passes", "y": whole(passes), "ratio": ratio(passes)},
		map[string]any{"x": "violations", "y": whole(violations), "ratio": ratio(violations)},
		map[string]any{"total": whole(total)},
	}
}

// axeCount reads a count: a number, a numeric string, or a list of rule
// results (axe-core's raw format), whose length is the count. Anything else
// (missing, null) is 0.
func axeCount(v any) float64 {
	switch n := v.(type) {
	case float64:
		return n
	case []any:
		return float64(len(n))
	case string:
		return asFloat(n)
	}
	return 0
}

// whole renders integral counts as JSON integers, as upstream's ints are.
func whole(f float64) any {
	if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return int64(f)
	}
	return f
}

// readableRuns keeps the run ids of list that exist, refusing (403) if the
// caller may not read any of them; values that are not UUIDs are ignored.
func readableRuns(ctx context.Context, q store, list []string) ([]string, error) {
	var ids []string
	for _, s := range list {
		if id, ok := uuidArg(s); ok {
			ids = append(ids, id.String())
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	runs, err := q.runProjects(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(runs))
	for _, r := range runs {
		if err := q.canRead(ctx, r.ProjectID); err != nil {
			return nil, err
		}
		out = append(out, r.ID.String())
	}
	return out, nil
}
