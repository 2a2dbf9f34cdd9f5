package widget

import (
	"context"
	"database/sql"
	"strings"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
)

// groupCount is one group's value (nil for SQL NULL) and its row count.
type groupCount struct {
	key *string
	n   int64
}

// resultGroups counts the results matching fs in a's scope (and of run
// runID, unless "") per value of the result field group, largest count
// first. With distinct > 0 it lists up to distinct values instead, without
// counting.
func (q store) resultGroups(ctx context.Context, group string, fs []string, a args, runID string, distinct int) ([]groupCount, error) {
	ge, gargs, _, err := q.expr(filter.Results, group)
	if err != nil {
		return nil, err
	}
	var w where
	if err := w.filters(q, filter.Results, fs); err != nil {
		return nil, err
	}
	w.scope(q, "project_id", a)
	if runID != "" {
		w.add("run_id = ?", runID)
	}
	var out []groupCount
	if distinct > 0 {
		query := "SELECT DISTINCT " + ge + " FROM results" + w.sql() + " LIMIT " + itoa(distinct)
		err = q.rows(ctx, query, append(gargs, w.args...), func(r *sql.Rows) error {
			var v any
			if err := r.Scan(&v); err != nil {
				return err
			}
			out = append(out, groupCount{key: asString(v)})
			return nil
		})
		return out, err
	}
	query := "SELECT " + ge + " AS g, COUNT(*) AS n FROM results" + w.sql() + " GROUP BY g ORDER BY n DESC"
	err = q.rows(ctx, query, append(gargs, w.args...), func(r *sql.Rows) error {
		var v, n any
		if err := r.Scan(&v, &n); err != nil {
			return err
		}
		out = append(out, groupCount{key: asString(v), n: int64(asFloat(n))})
		return nil
	})
	return out, err
}

// jobResults is the condition "result of Jenkins job job in project pid"
// (the job name's expression comes first in its arguments).
func (q store) jobResults(job, pid string) (string, []any, error) {
	jn, jargs, _, err := q.expr(filter.Results, "metadata.jenkins.job_name")
	if err != nil {
		return "", nil, err
	}
	return jn + " = ? AND project_id = ?", append(append([]any{}, jargs...), job, pid), nil
}

// latestResultBuilds lists the highest n build numbers (ordered as text,
// as upstream does) among the results of Jenkins job job in project pid.
func (q store) latestResultBuilds(ctx context.Context, job, pid string, n int) ([]string, error) {
	bn, bargs, _, err := q.expr(filter.Results, "metadata.jenkins.build_number")
	if err != nil {
		return nil, err
	}
	base, baseArgs, err := q.jobResults(job, pid)
	if err != nil {
		return nil, err
	}
	var builds []string
	query := "SELECT " + bn + " AS b FROM results WHERE " + base + " AND " + bn + " IS NOT NULL GROUP BY b ORDER BY b DESC LIMIT " + itoa(max(n, 0))
	err = q.rows(ctx, query, append(append(append([]any{}, bargs...), baseArgs...), bargs...), func(r *sql.Rows) error {
		var b any
		if err := r.Scan(&b); err != nil {
			return err
		}
		builds = append(builds, *asString(b))
		return nil
	})
	return builds, err
}

// resultsOfBuilds calls fn with the component, build number, importance,
// result and id of every result of Jenkins job job in project pid whose
// build is one of builds and component one of comps, oldest first (a
// missing value is "None").
func (q store) resultsOfBuilds(ctx context.Context, job, pid string, builds, comps []string, fn func(comp, build, level, result, id string)) error {
	bn, bargs, _, err := q.expr(filter.Results, "metadata.jenkins.build_number")
	if err != nil {
		return err
	}
	imp, iargs, _, err := q.expr(filter.Results, "metadata.importance")
	if err != nil {
		return err
	}
	base, baseArgs, err := q.jobResults(job, pid)
	if err != nil {
		return err
	}
	query := "SELECT component, id, result, " + imp + ", " + bn + " FROM results WHERE " + base + " AND " + bn +
		" IN (?" + strings.Repeat(", ?", len(builds)-1) + ") AND component IN (?" + strings.Repeat(", ?", len(comps)-1) + ") ORDER BY start_time, id"
	qargs := append(append([]any{}, iargs...), bargs...)
	qargs = append(qargs, baseArgs...)
	qargs = append(qargs, bargs...)
	for _, b := range builds {
		qargs = append(qargs, b)
	}
	for _, c := range comps {
		qargs = append(qargs, c)
	}
	return q.rows(ctx, query, qargs, func(r *sql.Rows) error {
		var c, id, res, im, b any
		if err := r.Scan(&c, &id, &res, &im, &b); err != nil {
			return err
		}
		fn(deref(asString(c)), deref(asString(b)), deref(asString(im)), deref(asString(res)), *asString(id))
		return nil
	})
}
