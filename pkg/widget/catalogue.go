// Package widget computes the data behind dashboard widgets and views
// (docs/api-compatibility.md#widgets): a registry with one entry per widget type (registry.go),
// the catalogue generated from it, the query-parameter pipeline of
// GET /widget/{id}, and one SQL aggregation per widget, grouped in the
// database so dashboards stay cheap on large result tables.
//
// http.go serves the routes; service.go looks the widget up, types its
// arguments and checks the projects they name (service_access.go); each
// computation (<widget>.go) reads its arguments and shapes the reply, and
// the SQL it runs is a method of store in store*.go. docs/architecture.md
// walks through adding a widget.
package widget

// Param is one declared parameter of a widget type. Required and Default
// are hints for the UI only; the server never fills defaults.
type Param struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Type        string `json:"type"`
	Required    *bool  `json:"required,omitempty"`
	Default     any    `json:"default,omitempty"`
}

// Type is one entry of GET /widget/types, generated from a registry entry.
// Its field order is the wire order the upstream frontend reads.
type Type struct {
	ID          string  `json:"id"`
	Title       string  `json:"title"`
	Description string  `json:"description,omitempty"`
	Params      []Param `json:"params"`
	Type        string  `json:"type"`
}

// catalogue returns the catalogue entries of every registered widget of
// kind ("" for all), in registry order.
func catalogue(kind string) []Type {
	out := make([]Type, 0, len(registry))
	for _, w := range registry {
		if kind != "" && w.Kind != kind {
			continue
		}
		out = append(out, Type{ID: w.ID, Title: w.Title, Description: w.Description, Params: w.Params, Type: w.Kind})
	}
	return out
}

var (
	yes = func() *bool { b := true; return &b }()
	no  = func() *bool { b := false; return &b }()
)

const filterHelp = "Comma-separated list of additional filters, cf. https://docs.ibutsu-project.org/en/latest/user-guide/filter-help.html "

// additionalFilters is the usual filter-list parameter, shared by most
// widgets.
func additionalFilters(req *bool) Param {
	return Param{Name: "additional_filters", Description: filterHelp, Type: "string", Required: req}
}

// projectParam is the optional project scoping every widget but two takes.
func projectParam() Param {
	return Param{Name: "project", Description: "Filter by project ID", Type: "string", Required: no}
}
