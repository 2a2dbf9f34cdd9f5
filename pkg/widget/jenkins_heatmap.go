package widget

import (
	"context"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
)

// jenkinsHeatmapID names jenkins-heatmap in its entry and its errors.
const jenkinsHeatmapID = "jenkins-heatmap"

// jenkinsHeatmapWidget is the registry entry of jenkins-heatmap.
var jenkinsHeatmapWidget = &Widget{
	ID: jenkinsHeatmapID, Title: "Jenkins Pipeline Heatmap", Description: "A heatmap of test runs from a Jenkins pipeline", Kind: "widget",
	Params: []Param{
		{Name: "job_name", Description: "The Jenkins job name, this is the value of the 'metadata.jenkins.job_name' key.", Type: "string", Required: yes},
		{Name: "builds", Description: "The number of Jenkins builds to analyze.", Type: "integer", Required: yes, Default: 5},
		{Name: "group_field", Description: "The field in a result to group by, typically 'component'", Type: "string", Required: yes, Default: "component"},
		{Name: "count_skips", Description: "Count skips against the pass rate.", Type: "boolean", Required: no, Default: true},
		projectParam(), additionalFilters(no),
	},
	Compute:       jenkinsHeatmap,
	QueryRenames:  map[string]string{"jenkins_job_name": "job_name"},
	StoredRenames: map[string]string{"jenkins_job_name": "job_name"},
}

// jenkinsHeatmap (docs/api-compatibility.md#widget-notes) gives the pass
// percentage per group over the last `builds`
// builds of a Jenkins job, padded with "Build failed" for missing builds.
func jenkinsHeatmap(ctx context.Context, q store, a args) (any, error) {
	if err := need(jenkinsHeatmapID, a, "job_name", "builds", "group_field"); err != nil {
		return nil, err
	}
	job, _ := a.str("job_name")
	nBuilds, _ := a.integer("builds")
	group, _ := a.str("group_field")
	countSkips := a.boolOr("count_skips", false)
	empty := map[string]any{"heatmap": map[string]any{}}
	base := append([]string{"metadata.jenkins.job_name=" + job}, splitFilters(a.strOr("additional_filters", ""))...)

	builds, earliest, err := q.recentBuilds(ctx, base, a, nBuilds)
	if err != nil || len(builds) == 0 {
		return empty, err
	}
	if _, _, ok, err := q.expr(filter.Runs, group); err != nil || !ok {
		return empty, err
	}
	t0, _ := asTime(earliest)
	fs := append(base, "metadata.jenkins.build_number*"+strings.Join(builds, ";"), group+"@y", "start_time>="+timeArg(t0))
	stats, err := q.runStats(ctx, group, "metadata.jenkins.build_number", fs, a, "start_time, id", 0)
	if err != nil {
		return nil, err
	}
	rows := map[string]map[string][]any{}
	values := map[string][]float64{}
	var order []string
	for _, s := range stats {
		excluded := s.errors + s.failures + s.xpasses + s.xfailures
		if countSkips {
			excluded += s.skips
		}
		pp := 0.0
		if s.tests != 0 {
			pp = round2(100 * (s.tests - excluded) / s.tests)
		}
		if _, seen := rows[s.group]; !seen {
			rows[s.group] = map[string][]any{}
			order = append(order, s.group)
		}
		rows[s.group][s.build] = []any{pp, s.id, s.annotations, s.build}
		values[s.group] = append(values[s.group], pp)
	}
	heat := map[string]any{}
	for _, g := range order {
		for _, b := range builds {
			if _, ok := rows[g][b]; !ok {
				rows[g][b] = []any{"Build failed", "None", nil, b}
			}
		}
		entries := make([][]any, 0, len(rows[g])+1)
		for _, e := range rows[g] {
			entries = append(entries, e)
		}
		sort.Slice(entries, func(i, j int) bool {
			x, _ := strconv.Atoi(entries[i][3].(string))
			y, _ := strconv.Atoi(entries[j][3].(string))
			return x < y
		})
		heat[g] = append([][]any{{indexSlope(values[g]), 0}}, entries...)
	}
	return map[string]any{"heatmap": heat}, nil
}

// indexSlope is jenkins-heatmap's trend: least-squares slope of the values
// against their index; 100 when all are 100; 0 for fewer than two.
func indexSlope(ys []float64) float64 {
	if len(ys) < 2 {
		return 0
	}
	all100 := true
	for _, y := range ys {
		all100 = all100 && y == 100
	}
	if all100 {
		return 100
	}
	xs := make([]float64, len(ys))
	for i := range xs {
		xs[i] = float64(i)
	}
	return slope(xs, ys)
}

// slope is Σ(x−x̄)(y−ȳ)/Σ(x−x̄)², 0 when the x values are all equal.
func slope(xs, ys []float64) float64 {
	var mx, my float64
	for i := range xs {
		mx += xs[i]
		my += ys[i]
	}
	mx /= float64(len(xs))
	my /= float64(len(ys))
	var num, den float64
	for i := range xs {
		num += (xs[i] - mx) * (ys[i] - my)
		den += (xs[i] - mx) * (xs[i] - mx)
	}
	if den == 0 {
		return 0
	}
	return num / den
}

// round2 rounds to two decimals as the charts show them.
func round2(x float64) float64 { return math.Round(x*100) / 100 }
