package bench

import (
	"context"
	"fmt"
	"net/url"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
)

// pageTarget is the documented p95 goal of a filtered page at 1M results.
const pageTarget = 30.0

// listCase is one list page: the API path and what its exact total must be.
type listCase struct {
	name    string
	table   filter.Table
	filters []string
	want    int64
}

func (e *Env) listCases(d *dataset) []listCase {
	p := "project_id=" + d.project.String()
	mid := d.runs[len(d.runs)/2]
	perJobComp := int64(0)
	for _, r := range d.runs {
		if r.job == jobs[0] && r.component == "api" {
			perJobComp++
		}
	}
	return []listCase{
		{"results: project", filter.Results, []string{p}, int64(d.results)},
		{"results: project + run_id", filter.Results, []string{p, "run_id=" + mid.id.String()}, int64(mid.n)},
		{"results: project + metadata.component", filter.Results, []string{p, "metadata.component=api"}, int64(d.byComp["api"])},
		{"results: project + test_id regex", filter.Results, []string{p, "test_id~" + regexPattern}, int64(d.regexMatch)},
		{"runs: project", filter.Runs, []string{p}, int64(len(d.runs))},
		{"runs: project + job_name + component", filter.Runs, []string{p, "metadata.jenkins.job_name=" + jobs[0], "metadata.component=api"}, perJobComp},
	}
}

// page is the part of a list reply the benchmark checks.
type page struct {
	Results    []map[string]any `json:"results"`
	Runs       []map[string]any `json:"runs"`
	Pagination struct {
		TotalItems int64 `json:"totalItems"`
		Estimated  bool  `json:"estimated"`
	} `json:"pagination"`
}

// query times each list page through the API with estimated and exact
// counts, next to the raw SQL page (same WHERE, ORDER BY, LIMIT, run on the
// raw pool) and the raw SQL page plus its exact count.
func (e *Env) query(ctx context.Context, rep *Report, sc Scale, d *dataset) error {
	for _, c := range e.listCases(d) {
		e.log.Info("query", "case", c.name)
		endpoint := "/api/result"
		if c.table.Name == "runs" {
			endpoint = "/api/run"
		}
		path := func(estimate bool) string {
			q := url.Values{"filter": c.filters, "page": {"1"}, "pageSize": {"25"}, "estimate": {fmt.Sprint(estimate)}}
			return endpoint + "?" + q.Encode()
		}
		var exact, est page
		if err := e.call(ctx, "GET", path(false), nil, 200, &exact); err != nil {
			return err
		}
		if err := e.call(ctx, "GET", path(true), nil, 200, &est); err != nil {
			return err
		}
		if got := exact.Pagination.TotalItems; got != c.want {
			return fmt.Errorf("%s: totalItems %d, want %d", c.name, got, c.want)
		}
		if got, want := len(exact.Results)+len(exact.Runs), int(min(25, c.want)); got != want {
			return fmt.Errorf("%s: page has %d items, want %d", c.name, got, want)
		}
		pageSQL, countSQL, args, err := e.rawList(c)
		if err != nil {
			return err
		}
		get := func(p string) func(context.Context) error {
			return func(ctx context.Context) error { return e.call(ctx, "GET", p, nil, 200, nil) }
		}
		rawPage := func(ctx context.Context) error { return drain(e.Raw.Query(ctx, pageSQL, args...)) }
		rawBoth := func(ctx context.Context) error {
			if err := rawPage(ctx); err != nil {
				return err
			}
			var n int64
			return e.Raw.QueryRow(ctx, countSQL, args...).Scan(&n)
		}
		slow := max(5, sc.Samples/8) // exact counts scan every matching row
		if sc.ExactSamples > 0 {
			slow = sc.ExactSamples
		}
		apiEst, rawP := samplePair(ctx, sc.Samples, 2, get(path(true)), rawPage)
		apiExact, rawB := samplePair(ctx, slow, 1, get(path(false)), rawBoth)
		for _, l := range []Load{apiEst, rawP, apiExact, rawB} {
			if err := l.Err(); err != nil {
				return fmt.Errorf("%s: %w", c.name, err)
			}
		}
		row := Row{Scenario: "query", Case: c.name + ", estimate=true", Unit: "ms p95", Value: apiEst.Pct(95),
			Detail: fmt.Sprintf("p50 %.1f ms; totalItems %s%d (exact %d)", apiEst.Pct(50), map[bool]string{true: "≈"}[est.Pagination.Estimated], est.Pagination.TotalItems, c.want),
			Limit:  fmt.Sprintf("raw SQL page, same WHERE/ORDER/LIMIT (p50 %.1f ms)", rawP.Pct(50)), LimitValue: rawP.Pct(95)}
		if c.table.Name == "results" && len(c.filters) > 1 && d.results >= 1_000_000 {
			row.Target, row.Met = fmt.Sprintf("p95 < 30 ms at %dM", d.results/1_000_000), met(apiEst.Pct(95) < pageTarget)
		}
		rep.add(row)
		rep.add(Row{Scenario: "query", Case: c.name + ", exact count", Unit: "ms p95", Value: apiExact.Pct(95),
			Detail: fmt.Sprintf("p50 %.1f ms", apiExact.Pct(50)),
			Limit:  fmt.Sprintf("raw SQL page + count(*) (p50 %.1f ms)", rawB.Pct(50)), LimitValue: rawB.Pct(95)})
	}
	return nil
}

// rawList renders the SQL behind a list page with the filter package and
// GORM's PostgreSQL placeholders, scoped like the API scopes a normal user
// (project_id IN the user's projects).
func (e *Env) rawList(c listCase) (pageSQL, countSQL string, args []any, err error) {
	where, wargs, err := filter.Build(filter.Postgres, c.table, c.filters)
	if err != nil {
		return "", "", nil, fmt.Errorf("%s: build filter: %w", c.name, err)
	}
	cond := "project_id IN ?"
	all := []any{[]string{e.Ingest.String(), e.Query.String()}}
	if where != "" {
		cond += " AND (" + where + ")"
		all = append(all, wargs...)
	}
	dry := e.App.DB.Gorm.Session(&gorm.Session{DryRun: true})
	st := dry.Raw("SELECT * FROM "+c.table.Name+" WHERE "+cond+" ORDER BY start_time DESC LIMIT 25", all...).Statement
	cst := dry.Raw("SELECT count(*) FROM "+c.table.Name+" WHERE "+cond, all...).Statement
	return st.SQL.String(), cst.SQL.String(), st.Vars, nil
}

// drain reads every row of a query (so the limit pays for the transfer too).
func drain(rows pgx.Rows, err error) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		_ = rows.RawValues()
	}
	return rows.Err()
}
