package widget

import (
	"context"
	"math"
)

// chartJobs runs jenkins-job-view for one job's `builds` newest builds, as
// the bar and line charts do (docs/api-compatibility.md#widget-notes).
func chartJobs(ctx context.Context, q store, id string, a args) ([]job, error) {
	if err := need(id, a, "job_name", "builds"); err != nil {
		return nil, err
	}
	name, _ := a.str("job_name")
	builds, _ := a.integer("builds")
	limit := int(float64(q.lim.JobViewRunLimit) / float64(q.lim.BarchartMaxBuilds) * float64(builds))
	if builds < 1 {
		return nil, nil
	}
	jobs, _, err := q.jobView(ctx, []string{"job_name=" + name}, a.strOr("project", ""), 1, builds, max(limit, 1))
	return jobs, err
}

// jenkinsChart is the registry entry of a Jenkins chart: the job's
// `builds` newest builds (chartJobs) drawn by draw. The bar and line charts
// differ only in their names, whether the catalogue marks builds required
// and the drawing.
func jenkinsChart(id, title, description string, buildsRequired *bool, draw func([]job) any) *Widget {
	return &Widget{
		ID: id, Title: title, Description: description, Kind: "widget",
		Params: []Param{
			{Name: "job_name", Description: "The name of the Jenkins Job", Type: "string", Required: yes},
			{Name: "builds", Description: "The number of builds to fetch", Type: "integer", Required: buildsRequired, Default: 30},
			projectParam(),
		},
		Compute: func(ctx context.Context, q store, a args) (any, error) {
			jobs, err := chartJobs(ctx, q, id, a)
			if err != nil {
				return nil, err
			}
			return draw(jobs), nil
		},
	}
}

// jenkinsBarChartWidget is the registry entry of jenkins-bar-chart.
var jenkinsBarChartWidget = jenkinsChart("jenkins-bar-chart", "Jenkins Bar Chart",
	"A bar chart to display aggregate test results for a particular jenkins job over time", yes, jenkinsBarChart)

// jenkinsBarChart gives each build's outcome counts, keyed by build number.
func jenkinsBarChart(jobs []job) any {
	out := map[string]map[string]int64{"passed": {}, "skipped": {}, "error": {}, "failed": {}, "xpassed": {}, "xfailed": {}}
	for _, j := range jobs {
		b := deref(j.BuildNumber)
		out["passed"][b] = j.Summary["passes"]
		out["skipped"][b] = j.Summary["skips"]
		out["error"][b] = j.Summary["errors"]
		out["failed"][b] = j.Summary["failures"]
		out["xpassed"][b] = j.Summary["xpasses"]
		out["xfailed"][b] = j.Summary["xfailures"]
	}
	return out
}

// jenkinsLineChartWidget is the registry entry of jenkins-line-chart.
var jenkinsLineChartWidget = jenkinsChart("jenkins-line-chart", "Jenkins Line Chart",
	"A line chart to display Jenkins job run time for a particular jenkins job", no, jenkinsLineChart)

// jenkinsLineChart gives each build's wall-clock duration in hours, and the
// summed run time when any build's differs from it.
func jenkinsLineChart(jobs []job) any {
	hours := func(s float64) float64 { return math.Round(s/3600*100) / 100 }
	dur, tet := map[string]float64{}, map[string]float64{}
	differs := false
	for _, j := range jobs {
		b := deref(j.BuildNumber)
		dur[b] = hours(j.Duration)
		tet[b] = hours(j.TotalExecutionTime)
		differs = differs || j.TotalExecutionTime != j.Duration
	}
	out := map[string]any{"duration": dur}
	if differs {
		out["total_execution_time"] = tet
	}
	return out
}

// jenkinsAnalysisWidget is the registry entry of jenkins-analysis-view.
var jenkinsAnalysisWidget = &Widget{
	ID: "jenkins-analysis-view", Title: "Jenkins Job Analysis", Kind: "view",
	Params: []Param{
		{Name: "job_name", Description: "The name of the Jenkins Job", Type: "string"},
		{Name: "builds", Description: "The number of builds to fetch", Type: "integer"},
		projectParam(),
	},
	Compute: jenkinsAnalysisView,
}

// jenkinsAnalysisView returns the parameters of the three widgets of the
// Jenkins analysis page; it reads nothing from the database.
func jenkinsAnalysisView(_ context.Context, q store, a args) (any, error) {
	name := a.strOr("job_name", "")
	builds, hasBuilds := a.integer("builds")
	bar := map[string]any{"job_name": name}
	heat := map[string]any{"job_name": name, "group_field": "component", "count_skips": true}
	if hasBuilds {
		bar["builds"] = builds
		heat["builds"] = min(builds, q.lim.HeatmapMaxBuilds)
	} else {
		bar["builds"], heat["builds"] = nil, nil
	}
	if p, ok := a.str("project"); ok {
		bar["project"], heat["project"] = p, p
	}
	line := map[string]any{}
	for k, v := range bar {
		line[k] = v
	}
	return map[string]any{"barchart_params": bar, "heatmap_params": heat, "linechart_params": line}, nil
}
