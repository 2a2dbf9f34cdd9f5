package widget

import (
	"context"
	"sort"
	"strings"
)

// importances are the four levels every (component, build) cell shows.
var importances = []string{"critical", "high", "medium", "low"}

// importanceComponentID names importance-component in its entry and its
// errors.
const importanceComponentID = "importance-component"

// importanceComponentWidget is the registry entry of importance-component.
var importanceComponentWidget = &Widget{
	ID: importanceComponentID, Title: "Importance by component", Description: "Test results filtered by component and broken down by importance", Kind: "widget",
	Params: []Param{
		{Name: "job_name", Description: "Filter by job name", Type: "string", Required: yes, Default: ""},
		{Name: "group_field", Description: "The field to group by", Type: "string", Required: yes, Default: "component"},
		{Name: "env", Description: "The environment to filter by", Type: "string", Required: no, Default: ""},
		{Name: "components", Description: "The component(s) to filter by", Type: "string", Required: yes, Default: ""},
		{Name: "builds", Description: "The number of builds to fetch", Type: "integer", Required: no, Default: 5},
		{Name: "count_skips", Description: "Count skips against the pass rate", Type: "boolean", Required: no, Default: false},
		projectParam(),
	},
	Compute: importanceComponent,
}

// importanceComponent (docs/api-compatibility.md#widget-notes) gives, per
// component and build, the pass fraction
// of results by metadata.importance. Upstream's quirks are kept:
// fractions not percents, "N/A" for an empty level, "NA" for a build the
// component lacks, build numbers ordered as text. env and group_field are
// accepted and ignored.
func importanceComponent(ctx context.Context, q store, a args) (any, error) {
	p, ok := a.str("project")
	if !ok {
		return map[string]any{"table_data": []any{}}, nil
	}
	pid, valid := uuidArg(p)
	if !valid {
		return nil, paramError(importanceComponentID, "badly formed hexadecimal UUID string")
	}
	job := a.strOr("job_name", "")
	nBuilds := a.intOr("builds", 5)
	countSkips := a.boolOr("count_skips", false)
	builds, err := q.latestResultBuilds(ctx, job, pid.String(), nBuilds)
	if err != nil {
		return nil, err
	}
	comps := strings.Split(a.strOr("components", ""), ",")
	if len(builds) == 0 || len(comps) == 0 {
		return map[string]any{"table_data": []any{}}, nil
	}
	type hit struct{ result, id string }
	data := map[string]map[string]map[string][]hit{}
	var order []string
	allBuilds := map[string]bool{}
	err = q.resultsOfBuilds(ctx, job, pid.String(), builds, comps, func(comp, build, level, result, id string) {
		if data[comp] == nil {
			data[comp] = map[string]map[string][]hit{}
			order = append(order, comp)
		}
		if data[comp][build] == nil {
			data[comp][build] = map[string][]hit{}
			for _, l := range importances {
				data[comp][build][l] = nil
			}
		}
		data[comp][build][level] = append(data[comp][build][level], hit{result, id})
		allBuilds[build] = true
	})
	if err != nil {
		return nil, err
	}
	bnums := make([]string, 0, len(allBuilds))
	for b := range allBuilds {
		bnums = append(bnums, b)
	}
	sort.Strings(bnums)
	table := []any{}
	for _, comp := range order {
		cells := map[string]map[string]any{}
		for _, b := range bnums {
			cells[b] = map[string]any{}
			levels, ok := data[comp][b]
			if !ok {
				for _, l := range importances {
					cells[b][l] = map[string]any{"percentage": "NA", "result_list": []string{}}
				}
				continue
			}
			for l, hits := range levels {
				ids := []string{}
				bad := 0
				for _, h := range hits {
					ids = append(ids, h.id)
					switch h.result {
					case "error", "failed", "xpassed", "xfailed":
						bad++
					case "skipped":
						if countSkips {
							bad++
						}
					}
				}
				var pct any = "N/A"
				if len(hits) > 0 {
					pct = round2(float64(len(hits)-bad) / float64(len(hits)))
				}
				cells[b][l] = map[string]any{"percentage": pct, "result_list": ids}
			}
		}
		table = append(table, map[string]any{"component": comp, "bnums": bnums, "importances": importances, "data": cells})
	}
	return map[string]any{"table_data": table}, nil
}
