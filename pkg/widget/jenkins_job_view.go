package widget

import (
	"context"
	"database/sql"
	"strings"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
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
func jenkinsJobView(ctx context.Context, q querier, a args) (any, error) {
	fs := a.list("additional_filters")
	if s, ok := a.str("additional_filters"); ok {
		fs = splitFilters(s)
	}
	jobs, pag, err := jobView(ctx, q, fs, a.strOr("project", ""), a.intOr("page", 1), a.intOr("page_size", 25), a.intOr("run_limit", 0))
	if err != nil {
		return nil, err
	}
	return map[string]any{"jobs": jobs, "pagination": pag}, nil
}

func jobView(ctx context.Context, q querier, additional []string, project string, page, pageSize, runLimit int) ([]job, httpx.Pagination, error) {
	if page < 1 {
		page = 1
	}
	if pageSize < 1 {
		pageSize = 25
	}
	fs := []string{"metadata.jenkins.build_number@y", "metadata.jenkins.job_name@y"}
	for _, f := range filter.Split(additional) {
		if strings.Contains(f, "job_name") || strings.Contains(f, "build_number") {
			f = "metadata.jenkins." + f
		}
		fs = append(fs, f)
	}
	var w where
	if err := w.filters(q, filter.Runs, fs); err != nil {
		return nil, httpx.Pagination{}, err
	}
	w.scope(q, "project_id", args{"project": project})
	sel := []string{}
	var selArgs []any
	for _, f := range []string{"metadata.jenkins.job_name", "metadata.jenkins.build_number", "metadata.jenkins.build_url"} {
		e, ea, _, err := q.expr(filter.Runs, f)
		if err != nil {
			return nil, httpx.Pagination{}, err
		}
		sel = append(sel, e)
		selArgs = append(selArgs, ea...)
	}
	sumSel, sumArgs, err := summarySelect(q)
	if err != nil {
		return nil, httpx.Pagination{}, err
	}
	inner := "SELECT " + sel[0] + " AS jn, " + sel[1] + " AS bn, " + sel[2] + " AS url, env, source, start_time, duration, " +
		sumSel + " FROM runs" + w.sql()
	innerArgs := append(append(append([]any{}, selArgs...), sumArgs...), w.args...)
	if runLimit > 0 {
		inner += " ORDER BY start_time DESC LIMIT " + itoa(runLimit)
	}
	named := "SELECT jn, bn, url, env, source, start_time, duration, s_tests AS tests, s_errors AS errors, s_failures AS failures, " +
		"s_skips AS skips, s_xpasses AS xpasses, s_xfailures AS xfailures FROM (" + inner + ") r"
	var total int64
	err = q.rows(ctx, "SELECT COUNT(*) FROM (SELECT jn, bn FROM ("+named+") t GROUP BY jn, bn) c", innerArgs, func(r *sql.Rows) error {
		return r.Scan(&total)
	})
	if err != nil {
		return nil, httpx.Pagination{}, err
	}
	outer := "SELECT jn, bn, MIN(url), MIN(env), MIN(source), SUM(tests), SUM(errors), SUM(failures), SUM(skips), SUM(xpasses), SUM(xfailures), " +
		"MIN(start_time), MAX(start_time), SUM(duration), MAX(duration) FROM (" + named + ") t GROUP BY jn, bn ORDER BY MAX(start_time) DESC LIMIT " +
		itoa(pageSize) + " OFFSET " + itoa((page-1)*pageSize)
	jobs := []job{}
	err = q.rows(ctx, outer, innerArgs, func(r *sql.Rows) error {
		v := make([]any, 15)
		ptrs := make([]any, 15)
		for i := range v {
			ptrs[i] = &v[i]
		}
		if err := r.Scan(ptrs...); err != nil {
			return err
		}
		j := job{JobName: asString(v[0]), BuildNumber: asString(v[1]), BuildURL: asString(v[2]), Env: asString(v[3]), Source: asString(v[4])}
		j.ID = deref(j.JobName) + "-" + deref(j.BuildNumber)
		n := func(i int) int64 { return int64(asFloat(v[i])) }
		t, e, f, s, xp, xf := n(5), n(6), n(7), n(8), n(9), n(10)
		j.Summary = map[string]int64{"xfailures": xf, "xpasses": xp, "errors": e, "failures": f, "skips": s, "tests": t,
			"passes": t - (e + f + s + xf + xp)}
		minT, ok1 := asTime(v[11])
		maxT, ok2 := asTime(v[12])
		if ok1 {
			st := model.FormatTime(minT)
			j.StartTime = &st
		}
		if ok1 && ok2 {
			j.Duration = maxT.Sub(minT).Seconds()
		}
		j.Duration += asFloat(v[14])
		j.TotalExecutionTime = asFloat(v[13])
		jobs = append(jobs, j)
		return nil
	})
	return jobs, httpx.NewPagination(httpx.Page{Page: page, PageSize: pageSize}, total), err
}

func deref(s *string) string {
	if s == nil {
		return "None"
	}
	return *s
}
