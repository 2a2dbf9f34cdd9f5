package widget

import (
	"context"
)

// resultSummaryWidget is the registry entry of result-summary.
var resultSummaryWidget = &Widget{
	ID: "result-summary", Title: "Result Summary", Description: "A summary of the saved test results, optionally filtered", Kind: "widget",
	Params: []Param{
		{Name: "source", Description: "Filter test results by a specific 'source'", Type: "string", Required: no},
		{Name: "env", Description: "Filter test results by a specific 'env'", Type: "string", Required: no},
		{Name: "job_name", Description: "Filter test results by a specific jenkins job", Type: "string", Required: no},
		projectParam(), additionalFilters(no),
	},
	Compute: resultSummary,
}

// resultSummary sums the run summaries matching source/env/job/project
// (docs/api-compatibility.md#widget-notes): one aggregate row over the runs table, all time.
func resultSummary(ctx context.Context, q store, a args) (any, error) {
	var fs []string
	for _, kv := range [][2]string{{"source", "source"}, {"env", "env"}, {"job_name", "metadata.jenkins.job_name"}} {
		if v, ok := a.str(kv[0]); ok && v != "" {
			fs = append(fs, kv[1]+"="+v)
		}
	}
	fs = append(fs, splitFilters(a.strOr("additional_filters", ""))...)
	v, err := q.sumRunSummaries(ctx, fs, a, []string{"errors", "skips", "failures", "tests", "xfailures", "xpasses"})
	if err != nil {
		return nil, err
	}
	n := func(i int) int64 { return int64(v[i]) }
	e, s, f, t, xf, xp := n(0), n(1), n(2), n(3), n(4), n(5)
	return map[string]int64{"error": e, "skipped": s, "failed": f, "passed": t - (e + s + f + xp + xf),
		"total": t, "xfailed": xf, "xpassed": xp}, nil
}
