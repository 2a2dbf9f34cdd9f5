package bench

import (
	"context"
	"fmt"
	"net/url"
	"time"
)

// widgetTarget is the documented p95 goal of a widget.
const widgetTarget = 300.0

// widgetCase is one widget request, a check of its answer and the raw SQL
// aggregate that computes the same numbers.
type widgetCase struct {
	name  string
	query url.Values
	check func(body map[string]any) error
	raw   func(ctx context.Context) error
}

func (e *Env) widgetCases(d *dataset) []widgetCase {
	p := d.project.String()
	job := jobs[0]
	builds := min(40, d.buildsJob0)
	return []widgetCase{
		{
			name:  "jenkins-heatmap",
			query: url.Values{"job_name": {job}, "builds": {fmt.Sprint(builds)}, "group_field": {"component"}, "project": {p}, "count_skips": {"true"}},
			check: func(b map[string]any) error {
				hm, _ := b["heatmap"].(map[string]any)
				if len(hm) != len(components) {
					return fmt.Errorf("heatmap has %d groups, want %d", len(hm), len(components))
				}
				for g, v := range hm {
					if l, _ := v.([]any); len(l) != builds+1 {
						return fmt.Errorf("heatmap group %s has %d cells, want %d", g, len(l), builds+1)
					}
				}
				return nil
			},
			raw: func(ctx context.Context) error {
				rows, err := e.Raw.Query(ctx, `SELECT (data->'jenkins'->>'build_number')::integer AS b, min(start_time) FROM runs
					WHERE data->'jenkins'->>'job_name' = $1 AND data->'jenkins'->>'build_number' IS NOT NULL AND project_id = $2
					GROUP BY b ORDER BY min(start_time) DESC LIMIT $3`, job, d.project, builds)
				if err != nil {
					return err
				}
				var nums []string
				var earliest time.Time
				for rows.Next() {
					var b int
					var t time.Time
					if err := rows.Scan(&b, &t); err != nil {
						return err
					}
					nums = append(nums, fmt.Sprint(b))
					earliest = t
				}
				if err := rows.Err(); err != nil {
					return err
				}
				return drain(e.Raw.Query(ctx, `SELECT id, component, summary, data->'annotations', data->'jenkins'->>'build_number' FROM runs
					WHERE data->'jenkins'->>'job_name' = $1 AND data->'jenkins'->>'build_number' = ANY($2) AND component IS NOT NULL
					AND start_time >= $3 AND project_id = $4`, job, nums, earliest, d.project))
			},
		},
		{
			name:  "result-aggregator",
			query: url.Values{"group_field": {"result"}, "project": {p}},
			raw: func(ctx context.Context) error {
				return drain(e.Raw.Query(ctx, `SELECT result, count(id) AS n FROM results
					WHERE result IS NOT NULL AND start_time > $1 AND project_id = $2 GROUP BY result ORDER BY n DESC`,
					time.Now().UTC().Add(-90*24*time.Hour), d.project))
			},
		},
		{
			name:  "run-aggregator",
			query: url.Values{"group_field": {"component"}, "weeks": {"4"}, "project": {p}},
			check: func(b map[string]any) error {
				if pm, _ := b["passed"].(map[string]any); len(pm) != len(components) {
					return fmt.Errorf("run-aggregator has %d groups, want %d", len(pm), len(components))
				}
				return nil
			},
			raw: func(ctx context.Context) error {
				return drain(e.Raw.Query(ctx, `SELECT component, sum(coalesce((summary->>'failures')::float, 0)), sum(coalesce((summary->>'errors')::float, 0)),
					sum(coalesce((summary->>'skips')::float, 0)), sum(coalesce((summary->>'tests')::float, 0)),
					sum(coalesce((summary->>'xpassed')::float, 0)), sum(coalesce((summary->>'xfailed')::float, 0))
					FROM runs WHERE start_time > $1 AND component IS NOT NULL AND project_id = $2 GROUP BY component`,
					time.Now().UTC().Add(-28*24*time.Hour), d.project))
			},
		},
		{
			name:  "result-summary",
			query: url.Values{"project": {p}},
			check: func(b map[string]any) error {
				if n, _ := b["total"].(float64); int(n) != d.results {
					return fmt.Errorf("result-summary total %v, want %d", b["total"], d.results)
				}
				return nil
			},
			raw: func(ctx context.Context) error {
				return drain(e.Raw.Query(ctx, `SELECT sum(coalesce((summary->>'errors')::float, 0)), sum(coalesce((summary->>'skips')::float, 0)),
					sum(coalesce((summary->>'failures')::float, 0)), sum(coalesce((summary->>'tests')::float, 0)),
					sum(coalesce((summary->>'xfailures')::float, 0)), sum(coalesce((summary->>'xpasses')::float, 0))
					FROM runs WHERE project_id = $1`, d.project))
			},
		},
		{
			name:  "jenkins-job-view",
			query: url.Values{"additional_filters": {"job_name=" + job}, "project": {p}, "page": {"1"}, "page_size": {"25"}},
			check: func(b map[string]any) error {
				pg, _ := b["pagination"].(map[string]any)
				if n, _ := pg["totalItems"].(float64); int(n) != d.buildsJob0 {
					return fmt.Errorf("jenkins-job-view totalItems %v, want %d", pg["totalItems"], d.buildsJob0)
				}
				return nil
			},
			raw: func(ctx context.Context) error {
				const grouped = `SELECT data->'jenkins'->>'job_name' AS j, data->'jenkins'->>'build_number' AS b,
					min(data->'jenkins'->>'build_url'), min(env), min(source),
					sum(coalesce((summary->>'xfailures')::integer, 0)), sum(coalesce((summary->>'xpasses')::integer, 0)),
					sum(coalesce((summary->>'failures')::integer, 0)), sum(coalesce((summary->>'errors')::integer, 0)),
					sum(coalesce((summary->>'skips')::integer, 0)), sum(coalesce((summary->>'tests')::integer, 0)),
					min(start_time), max(start_time) AS last, sum(duration), max(duration)
					FROM runs WHERE data->'jenkins'->>'build_number' IS NOT NULL AND data->'jenkins'->>'job_name' IS NOT NULL
					AND data->'jenkins'->>'job_name' = $1 AND project_id = $2 GROUP BY j, b`
				var n int64
				if err := e.Raw.QueryRow(ctx, "SELECT count(*) FROM ("+grouped+") g", job, d.project).Scan(&n); err != nil {
					return err
				}
				return drain(e.Raw.Query(ctx, grouped+" ORDER BY last DESC LIMIT 25 OFFSET 0", job, d.project))
			},
		},
	}
}

// widgets times GET /api/widget/{id} for each case next to its raw SQL.
func (e *Env) widgets(ctx context.Context, rep *Report, sc Scale, d *dataset) error {
	for _, c := range e.widgetCases(d) {
		e.log.Info("widget", "widget", c.name)
		path := "/api/widget/" + c.name + "?" + c.query.Encode()
		var body map[string]any
		var list []any
		if c.name == "result-aggregator" {
			if err := e.call(ctx, "GET", path, nil, 200, &list); err != nil {
				return err
			}
			var total float64
			for _, it := range list {
				m, _ := it.(map[string]any)
				n, _ := m["count"].(float64)
				total += n
			}
			if int(total) != d.results {
				return fmt.Errorf("result-aggregator counted %v results, want %d", total, d.results)
			}
		} else if err := e.call(ctx, "GET", path, nil, 200, &body); err != nil {
			return err
		}
		if c.check != nil {
			if err := c.check(body); err != nil {
				return err
			}
		}
		api, raw, err := samplePair(ctx, sc.Samples, 2, func(ctx context.Context) error { return e.call(ctx, "GET", path, nil, 200, nil) }, c.raw)
		if err != nil {
			return fmt.Errorf("%s: %w", c.name, err)
		}
		rep.add(Row{Scenario: "widgets", Case: c.name, Unit: "ms p95", Value: api.Pct(95),
			Detail: fmt.Sprintf("p50 %.1f ms", api.Pct(50)),
			Limit:  fmt.Sprintf("raw SQL aggregate (p50 %.1f ms)", raw.Pct(50)), LimitValue: raw.Pct(95),
			Target: "p95 < 300 ms", Met: met(api.Pct(95) < widgetTarget)})
	}
	return nil
}
