package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
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
		exactRefused, exactTook, err := e.getPage(ctx, c, path(false), &exact)
		if err != nil {
			return err
		}
		estRefused, estTook, err := e.getPage(ctx, c, path(true), &est)
		if err != nil {
			return err
		}
		if !exactRefused {
			if got := exact.Pagination.TotalItems; got != c.want {
				return fmt.Errorf("%s: totalItems %d, want %d", c.name, got, c.want)
			}
		}
		for _, p := range []struct {
			refused bool
			pg      *page
		}{{exactRefused, &exact}, {estRefused, &est}} {
			if got, want := len(p.pg.Results)+len(p.pg.Runs), int(min(25, c.want)); !p.refused && got != want {
				return fmt.Errorf("%s: page has %d items, want %d", c.name, got, want)
			}
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
		if estRefused {
			row, err := e.refusedRow(ctx, c.name+", estimate=true", estTook, rawPage, "raw SQL page, same WHERE/ORDER/LIMIT")
			if err != nil {
				return err
			}
			rep.add(row)
		} else {
			apiEst, rawP, err := samplePair(ctx, sc.Samples, 2, get(path(true)), rawPage)
			if err != nil {
				return fmt.Errorf("%s: %w", c.name, err)
			}
			row := Row{Scenario: "query", Case: c.name + ", estimate=true", Unit: "ms p95", Value: apiEst.Pct(95),
				Detail: fmt.Sprintf("p50 %.1f ms; totalItems %s%d (exact %d)", apiEst.Pct(50), map[bool]string{true: "≈"}[est.Pagination.Estimated], est.Pagination.TotalItems, c.want),
				Limit:  fmt.Sprintf("raw SQL page, same WHERE/ORDER/LIMIT (p50 %.1f ms)", rawP.Pct(50)), LimitValue: rawP.Pct(95)}
			if c.table.Name == "results" && len(c.filters) > 1 && d.results >= 1_000_000 {
				row.Target, row.Met = fmt.Sprintf("p95 < 30 ms at %dM", d.results/1_000_000), met(apiEst.Pct(95) < pageTarget)
			}
			rep.add(row)
		}
		if exactRefused {
			row, err := e.refusedRow(ctx, c.name+", exact count", exactTook, rawBoth, "raw SQL page + count(*)")
			if err != nil {
				return err
			}
			rep.add(row)
			continue
		}
		apiExact, rawB, err := samplePair(ctx, slow, 1, get(path(false)), rawBoth)
		if err != nil {
			return fmt.Errorf("%s: %w", c.name, err)
		}
		rep.add(Row{Scenario: "query", Case: c.name + ", exact count", Unit: "ms p95", Value: apiExact.Pct(95),
			Detail: fmt.Sprintf("p50 %.1f ms", apiExact.Pct(50)),
			Limit:  fmt.Sprintf("raw SQL page + count(*) (p50 %.1f ms)", rawB.Pct(50)), LimitValue: rawB.Pct(95)})
	}
	return nil
}

// getPage GETs one list page into out. refused is true when the backend
// answered the 400 of its statement timeout guard for a regular expression
// filter (httpx.RegexTimeoutMessage) on a case that has one: at 10M results
// an exact count under a regex can take longer than the timeout, and the
// refusal is the designed answer, not a failure. Any other non-200 (any
// other 400, or that 400 without a regex filter) is an error.
func (e *Env) getPage(ctx context.Context, c listCase, p string, out *page) (refused bool, took time.Duration, err error) {
	t0 := time.Now()
	code, b, err := e.request(ctx, "GET", p, nil, "")
	took = time.Since(t0)
	if err != nil {
		return false, took, fmt.Errorf("GET %s: %w", p, err)
	}
	if code == http.StatusBadRequest && c.regex() {
		var problem struct {
			Detail string `json:"detail"`
		}
		if json.Unmarshal(b, &problem) == nil && problem.Detail == httpx.RegexTimeoutMessage {
			return true, took, nil
		}
	}
	if code != http.StatusOK {
		return false, took, fmt.Errorf("GET %s: status %d (want 200): %.300s", p, code, b)
	}
	if err := json.Unmarshal(b, out); err != nil {
		return false, took, fmt.Errorf("GET %s: decode: %w", p, err)
	}
	return false, took, nil
}

// regex reports whether the case filters with a regular expression.
func (c listCase) regex() bool {
	return slices.ContainsFunc(c.filters, func(f string) bool { return strings.Contains(f, "~") })
}

// guardTimeout is the statement timeout a regex-filtered list query runs
// under: the expensive-filter timeout, shortened by the pool's.
func (e *Env) guardTimeout() time.Duration {
	t, st := e.App.Config.Limits.ExpensiveFilterTimeout, e.App.Config.Database.StatementTimeout
	if st > 0 && (t <= 0 || st < t) {
		t = st
	}
	return t
}

// refusedRow records a case the statement timeout guard refused after
// took: it runs the raw limit once, without a timeout, and accepts the
// refusal only when the limit itself takes longer than the guard's
// timeout; a refusal of something the raw SQL does in time is an error.
func (e *Env) refusedRow(ctx context.Context, name string, took time.Duration, limit func(context.Context) error, limitName string) (Row, error) {
	return refusalRow(ctx, name, took, e.guardTimeout(), limit, limitName)
}

// refusalRow is refusedRow for a given guard timeout.
func refusalRow(ctx context.Context, name string, took, timeout time.Duration, limit func(context.Context) error, limitName string) (Row, error) {
	t0 := time.Now()
	if err := limit(ctx); err != nil {
		return Row{}, fmt.Errorf("%s: raw limit: %w", name, err)
	}
	raw := time.Since(t0)
	if raw < timeout {
		return Row{}, fmt.Errorf("%s: refused by the statement timeout guard after %.3f s, but the raw limit takes only %.3f s (timeout %s)",
			name, took.Seconds(), raw.Seconds(), timeout)
	}
	return Row{Scenario: "query", Case: name, Unit: "s", Value: took.Seconds(),
		Detail: fmt.Sprintf("refused (400) by the statement timeout guard after %.3f s (timeout %s): the raw limit alone takes longer than the timeout; the designed answer, not a failure",
			took.Seconds(), timeout),
		Limit: limitName + ", one run without a timeout", LimitValue: raw.Seconds()}, nil
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
