package widget

import (
	"context"
	"math"
	"sort"
	"strings"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// runMatrixDefaultLimit is the row count without a `limit` parameter; the
// maximum is config widgets.run_matrix_max_runs.
const runMatrixDefaultLimit = 10

// runMatrixID names run-matrix in its entry and its errors.
const runMatrixID = "run-matrix"

// runMatrixWidget is the registry entry of run-matrix (Go addition,
// upstream issue #137).
var runMatrixWidget = &Widget{
	ID: runMatrixID, Title: "Run Matrix", Description: "The latest runs against chosen result fields, each cell the pass rate of that run's results with that value", Kind: "widget",
	Params: []Param{
		{Name: "columns", Description: "Result fields to use as columns, e.g. 'component', 'env', 'metadata.importance'", Type: "list", Required: yes, Default: []string{"component"}},
		{Name: "limit", Description: "The number of latest runs to show (at most 100 by default, config widgets.run_matrix_max_runs)", Type: "integer", Required: no, Default: runMatrixDefaultLimit},
		projectParam(), additionalFilters(no),
	},
	Compute: runMatrix,
}

// runMatrix (Go addition, upstream issue #137) is a table of the latest runs
// against user-chosen result columns.
//
// Parameters: `columns` (list; each value may also be comma-separated) of
// result fields — a result column such as `component` or `env`, a
// `metadata.` path, or a bare name that is no column, read as
// `metadata.<name>`; `additional_filters` (run filters); `project`;
// `limit` (runs, default 10, at most widgets.run_matrix_max_runs: 100).
//
// Rows are the latest `limit` runs matching the filters (start_time DESC,
// then id) among those of projects the caller can access (a run without
// project only for superadmins). The columns are every value a
// chosen field takes among those runs' results, by field in the order given,
// then by value. Each cell is the pass rate of the run's results having that
// value: passed = results whose outcome is `passed`, total = all of them,
// percent = round(100·passed/total, 2); null when the run has no such result.
//
//	{"columns": [{"field": "component", "value": "api"}, …],
//	 "rows": [{"run_id": "<uuid>", "start_time": "…", "project_id": "<uuid>"|null,
//	           "cells": [{"percent": 66.67, "passed": 2, "total": 3} | null, …]}, …]}
//
// `cells[i]` belongs to `columns[i]`.
func runMatrix(ctx context.Context, q store, a args) (any, error) {
	const id = runMatrixID
	limit := a.intOr("limit", runMatrixDefaultLimit)
	if limit < 1 {
		return nil, paramError(id, "limit must be positive")
	}
	limit = min(limit, q.lim.RunMatrixMaxRuns)
	var fields []string
	for _, v := range a.list("columns") {
		for _, f := range strings.Split(v, ",") {
			if f = strings.TrimSpace(f); f != "" && !contains(fields, f) {
				fields = append(fields, f)
			}
		}
	}
	type column struct {
		Field string `json:"field"`
		Value string `json:"value"`
	}
	type cell struct {
		Percent float64 `json:"percent"`
		Passed  int64   `json:"passed"`
		Total   int64   `json:"total"`
	}
	type row struct {
		RunID     string  `json:"run_id"`
		StartTime string  `json:"start_time"`
		ProjectID *string `json:"project_id"`
		Cells     []*cell `json:"cells"`
		cells     map[column]*cell
	}
	out := struct {
		Columns []column `json:"columns"`
		Rows    []*row   `json:"rows"`
	}{Columns: []column{}, Rows: []*row{}}

	runs, err := q.latestRuns(ctx, splitFilters(a.strOr("additional_filters", "")), a, limit)
	if err != nil {
		return nil, err
	}
	byID := map[string]*row{}
	var ids []any
	for i := range runs {
		r := &runs[i]
		var p *string
		if r.ProjectID != nil {
			s := r.ProjectID.String()
			p = &s
		}
		rw := &row{RunID: r.ID.String(), StartTime: model.FormatTime(r.StartTime), ProjectID: p, cells: map[column]*cell{}}
		out.Rows = append(out.Rows, rw)
		byID[rw.RunID] = rw
		ids = append(ids, rw.RunID)
	}
	if len(ids) == 0 || len(fields) == 0 {
		for _, rw := range out.Rows {
			rw.Cells = []*cell{}
		}
		return out, nil
	}
	for _, f := range fields {
		var values []string
		found, err := q.passRatesBy(ctx, f, ids, func(runID, v string, passed, total int64) {
			if byID[runID] == nil {
				return
			}
			c := &cell{Passed: passed, Total: total}
			if c.Total > 0 {
				c.Percent = math.Round(10000*float64(c.Passed)/float64(c.Total)) / 100
			}
			if !contains(values, v) {
				values = append(values, v)
			}
			byID[runID].cells[column{Field: f, Value: v}] = c
		})
		if err != nil {
			return nil, err
		}
		if !found {
			continue
		}
		sort.Strings(values)
		for _, v := range values {
			out.Columns = append(out.Columns, column{Field: f, Value: v})
		}
	}
	for _, rw := range out.Rows {
		rw.Cells = make([]*cell, len(out.Columns))
		for i, c := range out.Columns {
			rw.Cells[i] = rw.cells[c]
		}
	}
	return out, nil
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}
