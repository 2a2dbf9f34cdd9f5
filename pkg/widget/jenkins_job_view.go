package widget

import (
	"context"
)

// job is one Jenkins build aggregated over its runs
// (docs/api-compatibility.md#widget-notes).
type job struct {
	ID                 string           `json:"_id"`
	BuildNumber        *string          `json:"build_number"`
	BuildURL           *string          `json:"build_url"`
	Duration           float64          `json:"duration"`
	Env                *string          `json:"env"`
	JobName            *string          `json:"job_name"`
	Source             *string          `json:"source"`
	StartTime          *string          `json:"start_time"`
	Summary            map[string]int64 `json:"summary"`
	TotalExecutionTime float64          `json:"total_execution_time"`
}

// jenkinsJobViewWidget is the registry entry of jenkins-job-view.
var jenkinsJobViewWidget = &Widget{
	ID: "jenkins-job-view", Title: "Jenkins Job View", Kind: "view",
	Params: []Param{
		{Name: "additional_filters", Description: "Filters for the Jenkins Jobs", Type: "list"},
		{Name: "page", Description: "Desired page of builds to return.", Type: "integer"},
		{Name: "page_size", Description: "Number of builds on each page", Type: "integer"},
		{Name: "run_limit", Description: "Limit on runs from which to aggregate jenkins jobs", Type: "integer"},
		projectParam(),
	},
	Compute:       jenkinsJobView,
	QueryRenames:  map[string]string{"filter_": "additional_filters"},
	StoredRenames: map[string]string{"filter": "additional_filters"},
}

// jenkinsJobView pages through Jenkins builds, newest first, aggregating
// each build's runs in one GROUP BY (docs/api-compatibility.md#widget-notes).
func jenkinsJobView(ctx context.Context, q store, a args) (any, error) {
	fs := a.list("additional_filters")
	if s, ok := a.str("additional_filters"); ok {
		fs = splitFilters(s)
	}
	jobs, pag, err := q.jobView(ctx, fs, a.strOr("project", ""), a.intOr("page", 1), a.intOr("page_size", 25), a.intOr("run_limit", 0))
	if err != nil {
		return nil, err
	}
	return map[string]any{"jobs": jobs, "pagination": pag}, nil
}

func deref(s *string) string {
	if s == nil {
		return "None"
	}
	return *s
}
