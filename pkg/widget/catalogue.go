// Package widget computes the data behind dashboard widgets and views
// (contract §4.8): the catalogue of widget types, the query-parameter
// pipeline of GET /widget/{id}, and one SQL aggregation per widget, grouped
// in the database so dashboards stay cheap on large result tables.
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

// Type is one entry of GET /widget/types.
type Type struct {
	ID          string  `json:"id"`
	Title       string  `json:"title"`
	Description string  `json:"description,omitempty"`
	Params      []Param `json:"params"`
	Type        string  `json:"type"`
}

var (
	yes = func() *bool { b := true; return &b }()
	no  = func() *bool { b := false; return &b }()
)

const filterHelp = "Comma-separated list of additional filters, cf. https://docs.ibutsu-project.org/en/latest/user-guide/filter-help.html "

func additionalFilters(req *bool) Param {
	return Param{Name: "additional_filters", Description: filterHelp, Type: "string", Required: req}
}

func projectParam() Param {
	return Param{Name: "project", Description: "Filter by project ID", Type: "string", Required: no}
}

// Types is the catalogue in upstream's declaration order. It is a
// read-only table: callers must not modify it.
var Types = []Type{
	{ID: "compare-runs-view", Title: "Compare Runs", Description: "A summary of multiple ran test results filtered", Type: "view",
		Params: []Param{
			{Name: "additional_filters", Description: "List of filters used for comparison", Type: "list", Required: yes},
			// Go additions: explicit runs (they win over additional_filters),
			// the duration-change threshold and project scoping.
			{Name: "base_run", Description: "ID of the base run (with target_run, instead of additional_filters)", Type: "string", Required: no},
			{Name: "target_run", Description: "ID of the target run (with base_run, instead of additional_filters)", Type: "string", Required: no},
			{Name: "duration_threshold", Description: "Report tests whose duration changed by more than this many seconds", Type: "float", Required: no, Default: 1.0},
			projectParam(),
		}},
	{ID: "jenkins-heatmap", Title: "Jenkins Pipeline Heatmap", Description: "A heatmap of test runs from a Jenkins pipeline", Type: "widget",
		Params: []Param{
			{Name: "job_name", Description: "The Jenkins job name, this is the value of the 'metadata.jenkins.job_name' key.", Type: "string", Required: yes},
			{Name: "builds", Description: "The number of Jenkins builds to analyze.", Type: "integer", Required: yes, Default: 5},
			{Name: "group_field", Description: "The field in a result to group by, typically 'component'", Type: "string", Required: yes, Default: "component"},
			{Name: "count_skips", Description: "Count skips against the pass rate.", Type: "boolean", Required: no, Default: true},
			projectParam(), additionalFilters(no),
		}},
	{ID: "filter-heatmap", Title: "Filtered Heatmap", Description: "A heatmap of filtered test runs", Type: "widget",
		Params: []Param{
			additionalFilters(yes),
			{Name: "builds", Description: "The number of builds to analyze.", Type: "integer", Required: yes, Default: 5},
			{Name: "group_field", Description: "The field in a result to group by, typically 'component'", Type: "string", Required: yes, Default: "component"},
			projectParam(),
		}},
	{ID: "run-aggregator", Title: "Run Aggregation", Description: "An aggregation of recent run results", Type: "widget",
		Params: []Param{
			{Name: "group_field", Description: "Run data to order by, e.g. 'component' or 'env'", Type: "string", Required: yes, Default: "component"},
			{Name: "weeks", Description: "Aggregate test results from <weeks> weeks ago, e.g. 4", Type: "integer", Required: yes, Default: 4},
			projectParam(), additionalFilters(no),
		}},
	{ID: "result-summary", Title: "Result Summary", Description: "A summary of the saved test results, optionally filtered", Type: "widget",
		Params: []Param{
			{Name: "source", Description: "Filter test results by a specific 'source'", Type: "string", Required: no},
			{Name: "env", Description: "Filter test results by a specific 'env'", Type: "string", Required: no},
			{Name: "job_name", Description: "Filter test results by a specific jenkins job", Type: "string", Required: no},
			projectParam(), additionalFilters(no),
		}},
	{ID: "result-aggregator", Title: "Result Aggregation", Description: "A count of test results that fall into various categories", Type: "widget",
		Params: []Param{
			{Name: "group_field", Description: "Result data to group by, e.g. 'env', 'metadata.assignee', 'metadata.exception_name'", Type: "string", Required: yes, Default: "result"},
			{Name: "days", Description: "Aggregate test results from <days> days ago, e.g. 3", Type: "float", Required: no, Default: 90},
			{Name: "run_id", Description: "Aggregate results from a specific run", Type: "string", Required: no},
			projectParam(),
			{Name: "for_filter", Description: "Return only the distinct values, for filter drop-downs", Type: "boolean", Required: no, Default: false},
			additionalFilters(no),
		}},
	{ID: "importance-component", Title: "Importance by component", Description: "Test results filtered by component and broken down by importance", Type: "widget",
		Params: []Param{
			{Name: "job_name", Description: "Filter by job name", Type: "string", Required: yes, Default: ""},
			{Name: "group_field", Description: "The field to group by", Type: "string", Required: yes, Default: "component"},
			{Name: "env", Description: "The environment to filter by", Type: "string", Required: no, Default: ""},
			{Name: "components", Description: "The component(s) to filter by", Type: "string", Required: yes, Default: ""},
			{Name: "builds", Description: "The number of builds to fetch", Type: "integer", Required: no, Default: 5},
			{Name: "count_skips", Description: "Count skips against the pass rate", Type: "boolean", Required: no, Default: false},
			projectParam(),
		}},
	{ID: "accessibility-dashboard-view", Title: "Accessibility Dashboard View", Type: "view", Params: []Param{}},
	{ID: "accessibility-analysis-view", Title: "Accessibility Analysis View", Type: "view",
		Params: []Param{{Name: "run_list", Description: "List of run IDs for the analysis to pull in", Type: "list"}, projectParam()}},
	{ID: "accessibility-bar-chart", Title: "Accessibility Bar Chart", Description: "A bar chart to display aggregate test results ", Type: "widget",
		Params: []Param{{Name: "run_list", Description: "A list of run IDs", Type: "list", Required: yes}}},
	{ID: "jenkins-job-view", Title: "Jenkins Job View", Type: "view",
		Params: []Param{
			{Name: "additional_filters", Description: "Filters for the Jenkins Jobs", Type: "list"},
			{Name: "page", Description: "Desired page of builds to return.", Type: "integer"},
			{Name: "page_size", Description: "Number of builds on each page", Type: "integer"},
			{Name: "run_limit", Description: "Limit on runs from which to aggregate jenkins jobs", Type: "integer"},
			projectParam(),
		}},
	{ID: "jenkins-analysis-view", Title: "Jenkins Job Analysis", Type: "view",
		Params: []Param{
			{Name: "job_name", Description: "The name of the Jenkins Job", Type: "string"},
			{Name: "builds", Description: "The number of builds to fetch", Type: "integer"},
			projectParam(),
		}},
	{ID: "jenkins-bar-chart", Title: "Jenkins Bar Chart", Description: "A bar chart to display aggregate test results for a particular jenkins job over time", Type: "widget",
		Params: []Param{
			{Name: "job_name", Description: "The name of the Jenkins Job", Type: "string", Required: yes},
			{Name: "builds", Description: "The number of builds to fetch", Type: "integer", Required: yes, Default: 30},
			projectParam(),
		}},
	{ID: "jenkins-line-chart", Title: "Jenkins Line Chart", Description: "A line chart to display Jenkins job run time for a particular jenkins job", Type: "widget",
		Params: []Param{
			{Name: "job_name", Description: "The name of the Jenkins Job", Type: "string", Required: yes},
			{Name: "builds", Description: "The number of builds to fetch", Type: "integer", Required: no, Default: 30},
			projectParam(),
		}},
	// Go addition (upstream issue #137).
	{ID: "run-matrix", Title: "Run Matrix", Description: "The latest runs against chosen result fields, each cell the pass rate of that run's results with that value", Type: "widget",
		Params: []Param{
			{Name: "columns", Description: "Result fields to use as columns, e.g. 'component', 'env', 'metadata.importance'", Type: "list", Required: yes, Default: []string{"component"}},
			{Name: "limit", Description: "The number of latest runs to show (at most 100 by default, config widgets.run_matrix_max_runs)", Type: "integer", Required: no, Default: 10},
			projectParam(), additionalFilters(no),
		}},
}

// Lookup returns the widget type with id, or false.
func Lookup(id string) (*Type, bool) {
	for i := range Types {
		if Types[i].ID == id {
			return &Types[i], true
		}
	}
	return nil, false
}

// param returns the declared parameter name of t, or false.
func (t *Type) param(name string) (*Param, bool) {
	for i := range t.Params {
		if t.Params[i].Name == name {
			return &t.Params[i], true
		}
	}
	return nil, false
}

// legacyRenames maps old parameter names still stored in widget configs (or
// sent by old clients) to their current names, per widget type.
var legacyRenames = map[string]map[string]string{
	"jenkins-heatmap":   {"jenkins_job_name": "job_name"},
	"compare-runs-view": {"filters": "additional_filters"},
	"filter-heatmap":    {"filters": "additional_filters"},
	"jenkins-job-view":  {"filter": "additional_filters"},
}

// CleanParams applies the legacy renames for widget id and drops keys the
// type does not declare (contract §4.7), so stored configs only ever hold
// parameters the widget accepts. Unknown ids return params unchanged.
func CleanParams(id string, params map[string]any) map[string]any {
	t, ok := Lookup(id)
	if !ok || params == nil {
		return params
	}
	out := map[string]any{}
	for k, v := range params {
		if to, ok := legacyRenames[id][k]; ok {
			if _, exists := params[to]; exists {
				continue
			}
			k = to
		}
		if _, ok := t.param(k); ok {
			out[k] = v
		}
	}
	return out
}
