package widget

import "context"

// compute is one widget's computation.
type compute func(ctx context.Context, q store, a args) (any, error)

// Widget is the one registry entry of a widget type: everything the server
// knows about it. The catalogue of GET /widget/types, the parameter pipeline
// of GET /widget/{id}, the cleaning of stored widget configs and the
// dispatch to the computation all read this entry, so they cannot drift
// apart. Each entry is declared next to its computation.
type Widget struct {
	ID          string
	Title       string
	Description string
	// Kind is "widget" or "view" (the catalogue's "type").
	Kind string
	// Params are the declared parameters, in catalogue order; a request
	// naming any other parameter is a 400. Never nil: the catalogue shows
	// "params": [] for a widget without parameters.
	Params []Param
	// Compute produces the widget's JSON reply from its typed arguments.
	Compute compute
	// QueryRenames maps query keys to parameter names before validation
	// (docs/api-compatibility.md#widget-parameters); a query "filter" arrives here as "filter_".
	QueryRenames map[string]string
	// StoredRenames maps old parameter names still stored in widget configs
	// (or sent by old clients) to their current names.
	StoredRenames map[string]string
}

// registry lists every widget once, in upstream's declaration order: the
// order of /widget/types and of the unknown-id message. It is a read-only
// table: nothing modifies it after initialisation.
var registry = []*Widget{
	compareRunsWidget,
	jenkinsHeatmapWidget,
	filterHeatmapWidget,
	runAggregatorWidget,
	resultSummaryWidget,
	resultAggregatorWidget,
	importanceComponentWidget,
	accessibilityDashboardWidget,
	accessibilityAnalysisWidget,
	accessibilityBarChartWidget,
	jenkinsJobViewWidget,
	jenkinsAnalysisWidget,
	jenkinsBarChartWidget,
	jenkinsLineChartWidget,
	runMatrixWidget,
	flakyTestsWidget,
}

// Lookup returns the registry entry with id, or false. Callers must not
// modify it.
func Lookup(id string) (*Widget, bool) {
	for _, w := range registry {
		if w.ID == id {
			return w, true
		}
	}
	return nil, false
}

// ids lists every widget id in registry order.
func ids() []string {
	out := make([]string, len(registry))
	for i, w := range registry {
		out[i] = w.ID
	}
	return out
}

// param returns the declared parameter name of w, or false.
func (w *Widget) param(name string) (*Param, bool) {
	for i := range w.Params {
		if w.Params[i].Name == name {
			return &w.Params[i], true
		}
	}
	return nil, false
}

// CleanParams applies the stored-config renames of widget id and drops keys
// the widget does not declare (docs/api-compatibility.md#endpoint-behaviour),
// so stored configs only ever
// hold parameters the widget accepts. Unknown ids return params unchanged.
func CleanParams(id string, params map[string]any) map[string]any {
	w, ok := Lookup(id)
	if !ok || params == nil {
		return params
	}
	out := map[string]any{}
	for k, v := range params {
		if to, ok := w.StoredRenames[k]; ok {
			if _, exists := params[to]; exists {
				continue
			}
			k = to
		}
		if _, ok := w.param(k); ok {
			out[k] = v
		}
	}
	return out
}
