package widget

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/paging"
)

// runStats is one run's summary as the heatmaps use it.
type runStats struct {
	id, group, build                                   string
	tests, errors, failures, skips, xpasses, xfailures float64
	annotations                                        any
}

// summarySelect selects the six summary numbers (0 when missing) as
// columns s_tests, s_errors, s_failures, s_skips, s_xpasses, s_xfailures.
func summarySelect(q store) (string, []any, error) {
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

// digitsOnly is the condition "expr is 1 to 18 decimal digits", a number
// that casts to BIGINT on both dialects.
func (q store) digitsOnly(expr string, args []any) (string, []any) {
	if q.db.Dialect == db.SQLite {
		return "(CAST(" + expr + " AS TEXT) NOT GLOB '*[^0-9]*' AND length(CAST(" + expr + " AS TEXT)) BETWEEN 1 AND 18)",
			append(append([]any{}, args...), args...)
	}
	return "(" + expr + " ~ '^[0-9]{1,18}$')", args
}

// recentBuilds lists the numbers of the latest n Jenkins builds among the
// runs matching the filter strings base in a's scope, newest first, with
// the start of the earliest of them.
func (q store) recentBuilds(ctx context.Context, base []string, a args, n int) ([]string, any, error) {
	bn, bargs, _, err := q.expr(filter.Runs, "metadata.jenkins.build_number")
	if err != nil {
		return nil, nil, err
	}
	var w where
	if err := w.filters(q, filter.Runs, append(base, "metadata.jenkins.build_number@y")); err != nil {
		return nil, nil, err
	}
	w.scope(q, "project_id", a)
	// Only builds whose number is all digits take part: upstream's integer
	// cast fails the whole widget on PostgreSQL for a single "abc" (and
	// SQLite would count it as build 0).
	cond, cargs := q.digitsOnly(bn, bargs)
	w.add(cond, cargs...)
	query := "SELECT CAST(" + bn + " AS BIGINT) AS b, MIN(start_time) AS st FROM runs" + w.sql() +
		" GROUP BY b ORDER BY st DESC LIMIT " + itoa(max(n, 0))
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
	return builds, earliest, err
}

// runStats reads the runs matching the filter strings fs in a's scope
// with their value of the run field group, their build number (the run
// field build; "" for none) and summary, in the given order (limit 0: no
// limit; below 0: none at all, after the filters were checked).
func (q store) runStats(ctx context.Context, group, build string, fs []string, a args, order string, limit int) ([]runStats, error) {
	ge, gargs, _, err := q.expr(filter.Runs, group)
	if err != nil {
		return nil, err
	}
	bn, bargs := "NULL", []any(nil)
	if build != "" {
		if bn, bargs, _, err = q.expr(filter.Runs, build); err != nil {
			return nil, err
		}
	}
	var w where
	if err := w.filters(q, filter.Runs, fs); err != nil {
		return nil, err
	}
	w.scope(q, "project_id", a)
	if limit < 0 {
		return nil, nil
	}
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

// jobView reads one page of Jenkins builds (runs grouped by job name and
// build number), newest first, with their summed summaries.
func (q store) jobView(ctx context.Context, additional []string, project string, page, pageSize, runLimit int) ([]job, paging.Pagination, error) {
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
		return nil, paging.Pagination{}, err
	}
	w.scope(q, "project_id", args{"project": project})
	sel := []string{}
	var selArgs []any
	for _, f := range []string{"metadata.jenkins.job_name", "metadata.jenkins.build_number", "metadata.jenkins.build_url"} {
		e, ea, _, err := q.expr(filter.Runs, f)
		if err != nil {
			return nil, paging.Pagination{}, err
		}
		sel = append(sel, e)
		selArgs = append(selArgs, ea...)
	}
	sumSel, sumArgs, err := summarySelect(q)
	if err != nil {
		return nil, paging.Pagination{}, err
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
		return nil, paging.Pagination{}, err
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
	return jobs, paging.NewPagination(paging.Page{Page: page, PageSize: pageSize}, total), err
}
