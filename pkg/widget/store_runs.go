package widget

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// sumRunSummaries sums the summary keys over the runs matching the filter
// strings fs in a's scope, one total per key (0 for a missing or
// non-numeric value). On PostgreSQL, filters the run-sum table can answer
// read it instead of every run (store_run_sums.go).
func (q store) sumRunSummaries(ctx context.Context, fs []string, a args, keys []string) ([]float64, error) {
	v, err := q.sumRuns(ctx, fs, a, keys)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(v))
	for i := range v {
		out[i] = asFloat(v[i])
	}
	return out, nil
}

// sumRuns is sumRunSummaries' query, unconverted; it reads the run-sum
// table when summable says it may and every key is one of its columns.
func (q store) sumRuns(ctx context.Context, fs []string, a args, keys []string) ([]any, error) {
	if summable(q, "", fs) && allRunSumColumns(keys) {
		return q.sumRunSumTable(ctx, fs, a, keys)
	}
	return q.sumEveryRun(ctx, fs, a, keys)
}

// allRunSumColumns reports whether the run-sum table keeps every key.
func allRunSumColumns(keys []string) bool {
	for _, k := range keys {
		if !runSumColumns[k] {
			return false
		}
	}
	return true
}

// sumEveryRun sums the summary keys over every matching run.
func (q store) sumEveryRun(ctx context.Context, fs []string, a args, keys []string) ([]any, error) {
	var w where
	if err := w.filters(q, filter.Runs, fs); err != nil {
		return nil, err
	}
	w.scope(q, "project_id", a)
	sel, selArgs := "", []any{}
	for i, k := range keys {
		e, ea, err := q.num(filter.Runs, "summary."+k)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			sel += ", "
		}
		sel += "COALESCE(SUM(" + e + "), 0)"
		selArgs = append(selArgs, ea...)
	}
	v := make([]any, len(keys))
	err := q.rows(ctx, "SELECT "+sel+" FROM runs"+w.sql(), append(selArgs, w.args...), func(r *sql.Rows) error {
		return r.Scan(pointers(v)...)
	})
	return v, err
}

// groupSums is one group's value (nil for SQL NULL) and its sums.
type groupSums struct {
	key  *string
	sums [6]float64
}

// runOutcomesBy sums, per value of the run field group, the summary keys
// failures, errors, skips, tests, xpassed and xfailed (in that order) over
// the runs started after since matching fs in a's scope. A group field the
// filter language does not know gives no groups. On PostgreSQL, a group
// and filters the run-sum table can answer read it for every whole day
// (store_run_sums.go).
func (q store) runOutcomesBy(ctx context.Context, group string, since time.Time, fs []string, a args) ([]groupSums, error) {
	if _, _, ok, err := q.expr(filter.Runs, group); err != nil || !ok {
		return nil, err
	}
	var out []groupSums
	emit := func(r *sql.Rows) error {
		var g any
		v := make([]any, 6)
		if err := r.Scan(&g, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]); err != nil {
			return err
		}
		gs := groupSums{key: asString(g)}
		for i := range v {
			gs.sums[i] = asFloat(v[i])
		}
		out = append(out, gs)
		return nil
	}
	if summable(q, group, fs) {
		err := q.runOutcomesFromSums(ctx, group, since, fs, a, emit)
		if !errors.Is(err, filter.ErrInvalid) {
			return out, err
		}
		// The part of since's day bounds start_time twice, so filters
		// with exactly as many values as Build takes are refused there
		// and not over every run: answer as before.
		out = nil
	}
	return out, q.runOutcomesOfEveryRun(ctx, group, since, fs, a, emit)
}

// runOutcomesOfEveryRun is runOutcomesBy's query over every matching run.
func (q store) runOutcomesOfEveryRun(ctx context.Context, group string, since time.Time, fs []string, a args, emit func(*sql.Rows) error) error {
	var w where
	if err := w.filters(q, filter.Runs, append([]string{"start_time>" + timeArg(since), group + "@y"}, fs...)); err != nil {
		return err
	}
	w.scope(q, "project_id", a)
	sel, sargs, err := q.outcomeSums(group)
	if err != nil {
		return err
	}
	return q.rows(ctx, "SELECT "+sel+" FROM runs"+w.sql()+" GROUP BY g", append(sargs, w.args...), emit)
}

// outcomeSums is the select list of runOutcomesBy over runs: the group
// expression as g, then the sums of its six summary keys.
func (q store) outcomeSums(group string) (string, []any, error) {
	ge, gargs, _, err := q.expr(filter.Runs, group)
	if err != nil {
		return "", nil, err
	}
	sel, sargs := ge+" AS g", append([]any{}, gargs...)
	for _, k := range []string{"failures", "errors", "skips", "tests", "xpassed", "xfailed"} {
		e, ea, err := q.num(filter.Runs, "summary."+k)
		if err != nil {
			return "", nil, err
		}
		if k == "xpassed" || k == "xfailed" {
			e, ea = summaryText(q, k)
		}
		sel += ", SUM(" + e + ")"
		sargs = append(sargs, ea...)
	}
	return sel, sargs, nil
}

// summaryText builds a numeric read of a summary key the filter package
// does not know as numeric (xpassed/xfailed), 0 when absent.
func summaryText(q store, key string) (string, []any) {
	if q.d == filter.SQLite {
		return "COALESCE(CASE WHEN json_type(summary, ?) IN ('integer','real') THEN json_extract(summary, ?) END, 0)", []any{"$." + key, "$." + key}
	}
	return "COALESCE(CASE WHEN jsonb_typeof(summary -> ?::text) = 'number' THEN CAST(summary ->> ?::text AS numeric) END, 0)", []any{key, key}
}

// latestRuns loads up to limit runs matching the filter strings fs in a's
// scope, newest first. The scope is in SQL, so that limit counts only runs
// the caller may see.
func (q store) latestRuns(ctx context.Context, fs []string, a args, limit int) ([]model.Run, error) {
	var w where
	if err := w.filters(q, filter.Runs, fs); err != nil {
		return nil, err
	}
	w.scope(q, "project_id", a)
	var runs []model.Run
	if err := q.db.Conn(ctx).Where(trimWhere(w.sql()), w.args...).Order("start_time DESC, id").Limit(limit).Find(&runs).Error; err != nil {
		return nil, err
	}
	return runs, nil
}

// passRatesBy calls fn with the passed and total result counts per run of
// ids and value of the result field f (or metadata.f, for a plain name the
// results table does not have), skipping NULL values. found is false when
// the filter language knows neither field.
func (q store) passRatesBy(ctx context.Context, f string, ids []any, fn func(runID, value string, passed, total int64)) (found bool, err error) {
	e, eargs, ok, err := q.expr(filter.Results, f)
	if err == nil && !ok && !strings.Contains(f, ".") {
		e, eargs, ok, err = q.expr(filter.Results, "metadata."+f)
	}
	if err != nil || !ok {
		return false, err
	}
	in := "run_id IN (?" + strings.Repeat(", ?", len(ids)-1) + ")"
	query := "SELECT run_id, " + e + " AS v, SUM(CASE WHEN result = 'passed' THEN 1 ELSE 0 END), COUNT(*) FROM results WHERE " +
		in + " AND " + e + " IS NOT NULL GROUP BY run_id, v"
	qargs := append(append(append([]any{}, eargs...), ids...), eargs...)
	return true, q.rows(ctx, query, qargs, func(r *sql.Rows) error {
		var rid, v, passed, total any
		if err := r.Scan(&rid, &v, &passed, &total); err != nil {
			return err
		}
		rs, vs := uuidText(rid), asString(v)
		if rs == nil || vs == nil {
			return nil
		}
		fn(*rs, *vs, int64(asFloat(passed)), int64(asFloat(total)))
		return nil
	})
}
