package widget

import "context"

// accessibilityDashboard returns null, as upstream's view does.
func accessibilityDashboard(context.Context, querier, args) (any, error) { return nil, nil }

// accessibilityAnalysis echoes run_list back (the project parameter is
// accepted and ignored, Q21).
func accessibilityAnalysis(_ context.Context, _ querier, a args) (any, error) {
	if err := need("accessibility-analysis-view", a, "run_list"); err != nil {
		return nil, err
	}
	return a.list("run_list"), nil
}

// accessibilityBarChart would summarise axe_run_data.yaml artifacts of the
// runs; not implemented yet, it answers upstream's "no data" (null).
func accessibilityBarChart(_ context.Context, _ querier, a args) (any, error) {
	if err := need("accessibility-bar-chart", a, "run_list"); err != nil {
		return nil, err
	}
	return nil, nil
}
