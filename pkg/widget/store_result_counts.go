package widget

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
)

// resultCounts is the trigger-maintained count table of PostgreSQL
// migration 5 (one row per project, day, result, component and env, plus
// not yet compacted deltas).
var resultCounts = filter.ResultCounts

// countable reports whether the count table can answer a result-aggregator
// question exactly: PostgreSQL, a group field and every filter on one of
// its columns, and no run_id (a run's results are few and indexed anyway).
// Filter strings that do not parse are ignored on both paths alike.
func countable(q store, group string, additional []string, a args) bool {
	if q.d != filter.Postgres {
		return false
	}
	if _, hasRun := a["run_id"]; hasRun {
		return false
	}
	if _, ok := resultCounts.Columns[group]; !ok || group == "project_id" {
		return false
	}
	return filter.OnlyColumns(resultCounts, additional)
}

// countResults answers result-aggregator from the count table: whole days
// after the cutoff's day come from the counts, the part of the cutoff's day
// after the cutoff from results through the project/start_time index, so
// the total equals counting results with start_time > cutoff (no cutoff
// when since is zero). fn gets each group value with its positive total,
// largest first.
func countResults(ctx context.Context, q store, a args, group string, since time.Time, additional []string, limit int, fn func(g any, n int64) error) error {
	filters := append([]string{group + "@y"}, additional...)
	counts, err := countsPart(q, a, group, filters, since)
	if err != nil {
		return err
	}
	var parts []string
	var args []any
	parts, args = append(parts, counts.sql), append(args, counts.args...)
	if !since.IsZero() {
		edge, err := edgePart(q, a, group, filters, since)
		if err != nil {
			return err
		}
		parts, args = append(parts, edge.sql), append(args, edge.args...)
	}
	query := "SELECT g, SUM(n) AS n FROM (" + strings.Join(parts, " UNION ALL ") + ") c GROUP BY g HAVING SUM(n) > 0 ORDER BY n DESC"
	if limit > 0 {
		query += " LIMIT " + itoa(limit)
	}
	return q.rows(ctx, query, args, func(r *sql.Rows) error {
		var g, n any
		if err := r.Scan(&g, &n); err != nil {
			return err
		}
		return fn(g, int64(asFloat(n)))
	})
}

// sqlPart is one SELECT of the union with its arguments.
type sqlPart struct {
	sql  string
	args []any
}

// countsPart sums the count rows of whole days after since's day.
func countsPart(q store, a args, group string, filters []string, since time.Time) (sqlPart, error) {
	ge, gargs, _, err := q.expr(resultCounts, group)
	if err != nil {
		return sqlPart{}, err
	}
	var w where
	if err := w.filters(q, resultCounts, filters); err != nil {
		return sqlPart{}, err
	}
	w.scope(q, "project_id", a)
	if !since.IsZero() {
		w.add("day > ?", since.UTC().Format(time.DateOnly))
	}
	return sqlPart{"SELECT " + ge + " AS g, SUM(n) AS n FROM ibutsu_result_counts" + w.sql() + " GROUP BY 1",
		append(gargs, w.args...)}, nil
}

// edgePart counts the results of since's own day that come after since.
func edgePart(q store, a args, group string, filters []string, since time.Time) (sqlPart, error) {
	ge, gargs, _, err := q.expr(filter.Results, group)
	if err != nil {
		return sqlPart{}, err
	}
	dayEnd := since.UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
	fs := append([]string{"start_time>" + timeArg(since), "start_time<" + timeArg(dayEnd)}, filters...)
	var w where
	if err := w.filters(q, filter.Results, fs); err != nil {
		return sqlPart{}, err
	}
	w.scope(q, "project_id", a)
	return sqlPart{"SELECT " + ge + " AS g, COUNT(*) AS n FROM results" + w.sql() + " GROUP BY 1",
		append(gargs, w.args...)}, nil
}
