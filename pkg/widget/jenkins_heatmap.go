package widget

import (
	"context"
	"database/sql"
	"encoding/json"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// runStats is one run's summary as the heatmaps use it.
type runStats struct {
	id, group, build                                   string
	tests, errors, failures, skips, xpasses, xfailures float64
	annotations                                        any
}

// summarySelect selects the six summary numbers (0 when missing) as
// columns s_tests, s_errors, s_failures, s_skips, s_xpasses, s_xfailures.
func summarySelect(q querier) (string, []any, error) {
	var parts []string
	var out []any
	for _, k := range []string{"tests", "errors", "failures", "skips", "xpasses", "xfailures"} {
		e, a, err := q.num(filter.Runs, "summary."+k)
		if err != nil {
			return "", nil, err
		}
		parts = append(parts, e+" AS s_"+k)
		out = append(out, a...)
	}
	return strings.Join(parts, ", "), out, nil
}

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
func jenkinsHeatmap(ctx context.Context, q querier, a args) (any, error) {
	if err := need(jenkinsHeatmapID, a, "job_name", "builds", "group_field"); err != nil {
		return nil, err
	}
	job, _ := a.str("job_name")
	nBuilds, _ := a.integer("builds")
	group, _ := a.str("group_field")
	countSkips := a.boolOr("count_skips", false)
	empty := map[string]any{"heatmap": map[string]any{}}
	base := append([]string{"metadata.jenkins.job_name=" + job}, splitFilters(a.strOr("additional_filters", ""))...)

	bn, bargs, _, err := q.expr(filter.Runs, "metadata.jenkins.build_number")
	if err != nil {
		return nil, err
	}
	var w where
	if err := w.filters(q, filter.Runs, append(base, "metadata.jenkins.build_number@y")); err != nil {
		return nil, err
	}
	w.scope(q, "project_id", a)
	// Only builds whose number is all digits take part: upstream's integer
	// cast fails the whole widget on PostgreSQL for a single "abc" (and
	// SQLite would count it as build 0).
	cond, cargs := q.digitsOnly(bn, bargs)
	w.add(cond, cargs...)
	query := "SELECT CAST(" + bn + " AS BIGINT) AS b, MIN(start_time) AS st FROM runs" + w.sql() +
		" GROUP BY b ORDER BY st DESC LIMIT " + itoa(max(nBuilds, 0))
	var builds []string
	var earliest any
	err = q.rows(ctx, query, append(append([]any{}, bargs...), w.args...), func(r *sql.Rows) error {
		var b, st any
		if err := r.Scan(&b, &st); err != nil {
			return err
		}
		builds = append(builds, strconv.FormatInt(int64(asFloat(b)), 10))
		earliest = st
		return nil
	})
	if err != nil || len(builds) == 0 {
		return empty, err
	}
	ge, gargs, ok, err := q.expr(filter.Runs, group)
	if err != nil || !ok {
		return empty, err
	}
	t0, _ := asTime(earliest)
	var w2 where
	fs := append(base, "metadata.jenkins.build_number*"+strings.Join(builds, ";"), group+"@y", "start_time>="+timeArg(t0))
	if err := w2.filters(q, filter.Runs, fs); err != nil {
		return nil, err
	}
	w2.scope(q, "project_id", a)
	stats, err := loadRunStats(ctx, q, ge, gargs, bn, bargs, w2, "start_time, id", 0)
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

// digitsOnly is the condition "expr is 1 to 18 decimal digits", a number
// that casts to BIGINT on both dialects.
func (q querier) digitsOnly(expr string, args []any) (string, []any) {
	if q.db.Dialect == db.SQLite {
		return "(CAST(" + expr + " AS TEXT) NOT GLOB '*[^0-9]*' AND length(CAST(" + expr + " AS TEXT)) BETWEEN 1 AND 18)",
			append(append([]any{}, args...), args...)
	}
	return "(" + expr + " ~ '^[0-9]{1,18}$')", args
}

// loadRunStats reads the runs matching w with their group value, build
// number and summary, in the given order (limit 0: no limit).
func loadRunStats(ctx context.Context, q querier, ge string, gargs []any, bn string, bargs []any, w where, order string, limit int) ([]runStats, error) {
	sumSel, sumArgs, err := summarySelect(q)
	if err != nil {
		return nil, err
	}
	ann, aargs, _, err := q.expr(filter.Runs, "metadata.annotations")
	if err != nil {
		return nil, err
	}
	query := "SELECT id, " + ge + ", " + bn + ", " + ann + ", " + sumSel + " FROM runs" + w.sql() + " ORDER BY " + order
	if limit > 0 {
		query += " LIMIT " + itoa(limit)
	}
	qargs := append(append(append(append(append([]any{}, gargs...), bargs...), aargs...), sumArgs...), w.args...)
	var out []runStats
	err = q.rows(ctx, query, qargs, func(r *sql.Rows) error {
		var id, g, b, an any
		var v [6]any
		if err := r.Scan(&id, &g, &b, &an, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]); err != nil {
			return err
		}
		s := runStats{tests: asFloat(v[0]), errors: asFloat(v[1]), failures: asFloat(v[2]), skips: asFloat(v[3]),
			xpasses: asFloat(v[4]), xfailures: asFloat(v[5])}
		s.id = *asString(id)
		if p := asString(g); p != nil {
			s.group = *p
		}
		if p := asString(b); p != nil {
			s.build = *p
		}
		if p := asString(an); p != nil {
			_ = json.Unmarshal([]byte(*p), &s.annotations)
		}
		out = append(out, s)
		return nil
	})
	return out, err
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
