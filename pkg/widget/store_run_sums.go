package widget

import (
	"context"
	"database/sql"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
)

// runSumColumns are the summary keys ibutsu_run_sums (PostgreSQL migration
// 19) keeps a sum of, each in the column of its name.
var runSumColumns = map[string]bool{
	"failures": true, "errors": true, "skips": true, "tests": true,
	"xfailures": true, "xpasses": true, "xpassed": true, "xfailed": true,
}

// summable reports whether the run-sum table answers a question exactly:
// PostgreSQL, and every filter (and the group field, when there is one) on
// a field the table keeps with the runs' values. Anything else (a summary,
// start_time, other metadata or id filter; a group by project_id or any
// other field) is answered from runs.
func summable(q store, group string, fs []string) bool {
	if q.d != filter.Postgres {
		return false
	}
	if group != "" && (!filter.RunSumFields[group] || group == "project_id") {
		return false
	}
	return filter.OnlyFields(filter.RunSumFields, fs)
}

// sumRunSumTable is sumRunSummaries over the run-sum table: the same sums,
// read from one row per group and day.
func (q store) sumRunSumTable(ctx context.Context, fs []string, a args, keys []string) ([]any, error) {
	var w where
	if err := w.filters(q, filter.RunSums, fs); err != nil {
		return nil, err
	}
	w.scope(q, "project_id", a)
	sel := ""
	for i, k := range keys {
		if i > 0 {
			sel += ", "
		}
		sel += "COALESCE(SUM(" + k + "), 0)"
	}
	v := make([]any, len(keys))
	err := q.rows(ctx, "SELECT "+sel+" FROM ibutsu_run_sums"+w.sql(), w.args, func(r *sql.Rows) error {
		return r.Scan(pointers(v)...)
	})
	return v, err
}

// runOutcomesFromSums is runOutcomesBy over the run-sum table: whole days
// after since's day come from the sums, the part of since's own day after
// since from runs (through the project/start_time index), so each group
// sums exactly the runs with start_time > since.
func (q store) runOutcomesFromSums(ctx context.Context, group string, since time.Time, fs []string, a args, emit func(*sql.Rows) error) error {
	filters := append([]string{group + "@y"}, fs...)
	outcomes := []string{"failures", "errors", "skips", "tests", "xpassed", "xfailed"}

	ge, gargs, _, err := q.expr(filter.RunSums, group)
	if err != nil {
		return err
	}
	var w where
	if err := w.filters(q, filter.RunSums, filters); err != nil {
		return err
	}
	w.scope(q, "project_id", a)
	w.add("day > ?", since.UTC().Format(time.DateOnly))
	sums := "SELECT " + ge + " AS g"
	for _, k := range outcomes {
		sums += ", SUM(" + k + ") AS " + k
	}
	sums += " FROM ibutsu_run_sums" + w.sql() + " GROUP BY 1"
	args := append(gargs, w.args...)

	edgeSel, edgeArgs, err := q.outcomeSums(group)
	if err != nil {
		return err
	}
	dayEnd := since.UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
	var ew where
	if err := ew.filters(q, filter.Runs, append([]string{"start_time>" + timeArg(since), "start_time<" + timeArg(dayEnd)}, filters...)); err != nil {
		return err
	}
	ew.scope(q, "project_id", a)
	edge := "SELECT " + edgeSel + " FROM runs" + ew.sql() + " GROUP BY 1"
	args = append(append(args, edgeArgs...), ew.args...)

	sel := "g"
	for _, k := range outcomes {
		sel += ", SUM(" + k + ")"
	}
	return q.rows(ctx, "SELECT "+sel+" FROM ("+sums+" UNION ALL "+edge+") u GROUP BY g", args, emit)
}

// pointers returns pointers to each element of v, for Scan.
func pointers(v []any) []any {
	ptrs := make([]any, len(v))
	for i := range v {
		ptrs[i] = &v[i]
	}
	return ptrs
}
