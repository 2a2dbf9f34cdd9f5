package widget

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

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

// recentBuilds lists the numbers of the latest n Jenkins builds (by the
// start of their earliest run) among the runs matching the filter strings
// base in a's scope, newest first (ties by the larger number), with the
// start of the earliest of them.
//
// It does not group every run of the job: it reads the newest runs in
// growing batches. All runs newer than the oldest run read are in the
// batch, so a build whose earliest run is newer than that is complete
// there, and every build not in the batch started before it; the exact
// start of each candidate build is then looked up by its number (an index
// probe), and the batch suffices once n builds start after its oldest run.
func (q store) recentBuilds(ctx context.Context, base []string, a args, n int) ([]string, any, error) {
	bn, bargs, w, err := q.buildRuns(base, a)
	if err != nil {
		return nil, nil, err
	}
	if n <= 0 {
		return nil, nil, nil
	}
	rank := func(m map[int64]time.Time, after *time.Time) []buildStart {
		var out []buildStart
		for b, t := range m {
			if after == nil || t.After(*after) {
				out = append(out, buildStart{b, t})
			}
		}
		sort.Slice(out, func(i, j int) bool {
			if !out[i].first.Equal(out[j].first) {
				return out[i].first.After(out[j].first)
			}
			return out[i].build > out[j].build
		})
		return out
	}
	done := func(r []buildStart) ([]string, any, error) {
		r = r[:min(n, len(r))]
		var builds []string
		var earliest any
		for _, s := range r {
			builds = append(builds, strconv.FormatInt(s.build, 10))
			earliest = s.first
		}
		return builds, earliest, nil
	}
	limit := max(8*n, 100)
	for {
		seen := map[int64]time.Time{}
		var oldest time.Time
		rows := 0
		query := "SELECT " + bn + " AS b, start_time FROM runs" + w.sql() + " ORDER BY start_time DESC LIMIT " + itoa(limit)
		err := q.rows(ctx, query, append(append([]any{}, bargs...), w.args...), func(r *sql.Rows) error {
			var b, st any
			if err := r.Scan(&b, &st); err != nil {
				return err
			}
			rows++
			num, err := strconv.ParseInt(deref(asString(b)), 10, 64)
			t, ok := asTime(st)
			if err != nil || !ok {
				return fmt.Errorf("jenkins build %v at %v: %w", b, st, err)
			}
			if cur, ok := seen[num]; !ok || t.Before(cur) {
				seen[num] = t
			}
			oldest = t
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
		if rows < limit { // every matching run was read
			return done(rank(seen, nil))
		}
		candidates := rank(seen, &oldest)
		if len(candidates) >= n && len(candidates) <= maxBuildProbe {
			nums := make([]int64, len(candidates))
			for i, c := range candidates {
				nums[i] = c.build
			}
			exact, err := q.buildStarts(ctx, bn, bargs, w, nums)
			if err != nil {
				return nil, nil, err
			}
			if complete := rank(exact, &oldest); len(complete) >= n {
				return done(complete)
			}
		}
		if len(candidates) > maxBuildProbe {
			break
		}
		limit *= 4
	}
	// Hundreds of builds in the batch: group every run, as upstream does.
	return q.groupedBuilds(ctx, bn, bargs, w, n)
}

// groupedBuilds is recentBuilds by grouping every matching run.
func (q store) groupedBuilds(ctx context.Context, bn string, bargs []any, w where, n int) ([]string, any, error) {
	query := "SELECT CAST(" + bn + " AS BIGINT) AS b, MIN(start_time) AS st FROM runs" + w.sql() +
		" GROUP BY b ORDER BY st DESC, b DESC LIMIT " + itoa(n)
	var builds []string
	var earliest any
	err := q.rows(ctx, query, append(append([]any{}, bargs...), w.args...), func(r *sql.Rows) error {
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

// buildRuns is the build number expression and the condition on the runs
// that recentBuilds reads: the filter strings base, a's scope and a build
// number of 1 to 18 digits.
func (q store) buildRuns(base []string, a args) (string, []any, where, error) {
	var w where
	bn, bargs, _, err := q.expr(filter.Runs, "metadata.jenkins.build_number")
	if err != nil {
		return "", nil, w, err
	}
	if err := w.filters(q, filter.Runs, append(base, "metadata.jenkins.build_number@y")); err != nil {
		return "", nil, w, err
	}
	w.scope(q, "project_id", a)
	// Only builds whose number is all digits take part: upstream's integer
	// cast fails the whole widget on PostgreSQL for a single "abc" (and
	// SQLite would count it as build 0).
	cond, cargs := q.digitsOnly(bn, bargs)
	w.add(cond, cargs...)
	return bn, bargs, w, nil
}

// maxBuildProbe caps the builds recentBuilds looks up by number at once
// (one bound argument each).
const maxBuildProbe = 2000

// buildStart is a Jenkins build number and the start of its earliest run.
type buildStart struct {
	build int64
	first time.Time
}

// buildStarts returns the start of the earliest run of each build number
// in nums among the runs matching w. Build numbers are compared as the text
// the runs hold, so that the look-up can use the index on job name and
// build number: the canonical spelling of each number, and every spelling
// with a leading zero (the text range ['0', '1'), read in Go).
func (q store) buildStarts(ctx context.Context, bn string, bargs []any, w where, nums []int64) (map[int64]time.Time, error) {
	want := map[int64]bool{}
	var in []any
	for _, b := range nums {
		want[b] = true
		in = append(in, strconv.FormatInt(b, 10))
	}
	pw := w
	pw.parts = append([]string{}, w.parts...)
	pw.args = append([]any{}, w.args...)
	cond := "(" + bn + " IN (?" + strings.Repeat(", ?", len(in)-1) + ") OR (" + bn + " >= '0' AND " + bn + " < '1'))"
	pw.add(cond, append(append(append(append([]any{}, bargs...), in...), bargs...), bargs...)...)
	query := "SELECT " + bn + " AS b, MIN(start_time) FROM runs" + pw.sql() + " GROUP BY b"
	out := map[int64]time.Time{}
	err := q.rows(ctx, query, append(append([]any{}, bargs...), pw.args...), func(r *sql.Rows) error {
		var b, st any
		if err := r.Scan(&b, &st); err != nil {
			return err
		}
		num, err := strconv.ParseInt(deref(asString(b)), 10, 64)
		t, ok := asTime(st)
		if err != nil || !ok {
			return fmt.Errorf("jenkins build %v at %v: %w", b, st, err)
		}
		if cur, ok := out[num]; want[num] && (!ok || t.Before(cur)) {
			out[num] = t
		}
		return nil
	})
	return out, err
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
// build number), newest first (latest run of the build; ties by job name
// and build number), with their summed summaries.
//
// With a run limit (the Jenkins charts) it aggregates the latest runLimit
// runs in one GROUP BY. Without one (the job view) it never aggregates
// every run of the job: the total is a count of distinct builds (no
// summary is read), the page's builds are found by reading runs newest
// first only until page*pageSize builds have appeared (a build's first
// appearance in that order is its latest run), and only those builds'
// runs are aggregated.
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
	var sel [3]string
	var selArgs [3][]any
	for i, f := range []string{"metadata.jenkins.job_name", "metadata.jenkins.build_number", "metadata.jenkins.build_url"} {
		e, ea, _, err := q.expr(filter.Runs, f)
		if err != nil {
			return nil, paging.Pagination{}, err
		}
		sel[i], selArgs[i] = e, ea
	}
	sumSel, sumArgs, err := summarySelect(q)
	if err != nil {
		return nil, paging.Pagination{}, err
	}
	allSel := "SELECT " + sel[0] + " AS jn, " + sel[1] + " AS bn, " + sel[2] + " AS url, env, source, start_time, duration, " + sumSel
	allArgs := append(append(append(append([]any{}, selArgs[0]...), selArgs[1]...), selArgs[2]...), sumArgs...)
	var inner string
	var innerArgs []any
	var total int64
	if runLimit > 0 {
		inner = allSel + " FROM runs" + w.sql() + " ORDER BY start_time DESC LIMIT " + itoa(runLimit)
		innerArgs = append(allArgs, w.args...)
		err = q.rows(ctx, "SELECT COUNT(*) FROM (SELECT jn, bn FROM ("+inner+") t GROUP BY jn, bn) c", innerArgs, func(r *sql.Rows) error {
			return r.Scan(&total)
		})
	} else {
		keyArgs := append(append(append([]any{}, selArgs[0]...), selArgs[1]...), w.args...)
		err = q.rows(ctx, "SELECT COUNT(*) FROM (SELECT "+sel[0]+" AS jn, "+sel[1]+" AS bn FROM runs"+w.sql()+" GROUP BY jn, bn) c",
			keyArgs, func(r *sql.Rows) error { return r.Scan(&total) })
		if err != nil {
			return nil, paging.Pagination{}, err
		}
		var keys [][2]string
		keys, err = q.latestBuilds(ctx, sel[0], sel[1], selArgs[0], selArgs[1], w, page*pageSize)
		if len(keys) <= (page-1)*pageSize {
			keys = nil
		} else {
			keys = keys[(page-1)*pageSize:]
		}
		kw := w
		kw.parts = append([]string{}, w.parts...)
		kw.args = append([]any{}, w.args...)
		var or []string
		var orArgs []any
		for _, k := range keys {
			or = append(or, "("+sel[0]+" = ? AND "+sel[1]+" = ?)")
			orArgs = append(append(append(append(orArgs, selArgs[0]...), k[0]), selArgs[1]...), k[1])
		}
		if len(or) == 0 {
			or = []string{"1 = 0"}
		}
		kw.add("("+strings.Join(or, " OR ")+")", orArgs...)
		inner = allSel + " FROM runs" + kw.sql()
		innerArgs = append(allArgs, kw.args...)
	}
	if err != nil {
		return nil, paging.Pagination{}, err
	}
	named := "SELECT jn, bn, url, env, source, start_time, duration, s_tests AS tests, s_errors AS errors, s_failures AS failures, " +
		"s_skips AS skips, s_xpasses AS xpasses, s_xfailures AS xfailures FROM (" + inner + ") r"
	outer := "SELECT jn, bn, MIN(url), MIN(env), MIN(source), SUM(tests), SUM(errors), SUM(failures), SUM(skips), SUM(xpasses), SUM(xfailures), " +
		"MIN(start_time), MAX(start_time), SUM(duration), MAX(duration) FROM (" + named + ") t GROUP BY jn, bn ORDER BY MAX(start_time) DESC, jn, bn"
	if runLimit > 0 {
		outer += " LIMIT " + itoa(pageSize) + " OFFSET " + itoa((page-1)*pageSize)
	}
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

// latestBuilds returns the first n distinct (job name, build number) pairs
// of the runs matching w, newest run first (ties by job name, then build
// number): the n builds with the latest runs, in that order. It reads the
// runs in growing batches, so it stops after about as many runs as those
// builds have (plus older runs of other builds in between), never every run.
func (q store) latestBuilds(ctx context.Context, jn, bn string, jargs, bargs []any, w where, n int) ([][2]string, error) {
	if n <= 0 {
		return nil, nil
	}
	limit := max(4*n, 64)
	for {
		var keys [][2]string
		seen := map[[2]string]bool{}
		rows := 0
		query := "SELECT " + jn + " AS jn, " + bn + " AS bn FROM runs" + w.sql() + " ORDER BY start_time DESC, jn, bn LIMIT " + itoa(limit)
		err := q.rows(ctx, query, append(append(append([]any{}, jargs...), bargs...), w.args...), func(r *sql.Rows) error {
			rows++
			var j, b any
			if err := r.Scan(&j, &b); err != nil {
				return err
			}
			k := [2]string{deref(asString(j)), deref(asString(b))}
			if !seen[k] && len(keys) < n {
				seen[k] = true
				keys = append(keys, k)
			}
			return nil
		})
		if err != nil || len(keys) >= n || rows < limit {
			return keys, err
		}
		limit *= 4
	}
}
