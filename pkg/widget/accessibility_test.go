package widget_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// artifact attaches a file to a run or (with result) to a result.
func (e *env) artifact(run, result *uuid.UUID, name, content string, uploaded time.Time) {
	e.t.Helper()
	a := &model.Artifact{ID: uuid.New(), RunID: run, ResultID: result, Filename: &name, Content: []byte(content), UploadDate: uploaded.UTC()}
	if err := e.App.DB.Conn(context.Background()).Create(a).Error; err != nil {
		e.t.Fatal(err)
	}
}

// TestAccessibilityBarChart seeds axe summaries on runs and results and
// checks the donut data (docs/api-compatibility.md#widget-notes): the newest
// artifact with a "passes" key wins.
func TestAccessibilityBarChart(t *testing.T) {
	bothDBs(t, func(t *testing.T, e *env) {
		now := time.Now().Add(-time.Hour)
		r1 := e.run(now, "ui", nil, sum6(1, 0, 0, 0))
		r2 := e.run(now, "ui", nil, sum6(1, 0, 0, 0))
		empty := e.run(now, "ui", nil, sum6(1, 0, 0, 0))
		// r1: an older summary, then a newer one; an unrelated file and a
		// document without "passes" are ignored.
		e.artifact(&r1.ID, nil, "axe_run_data.yaml", "passes: 10\nviolations: 90\n", now)
		e.artifact(&r1.ID, nil, "axe_run_data.yaml", "passes: 30\nviolations: 10\nurl: http://app/\n", now.Add(time.Minute))
		e.artifact(&r1.ID, nil, "axe_run_data.yaml", "violations: 5\n", now.Add(2*time.Minute))
		e.artifact(&r1.ID, nil, "other.yaml", "passes: 1\nviolations: 1\n", now.Add(3*time.Minute))
		base := "/api/widget/accessibility-bar-chart?run_list="
		jsonEq(t, e.call("GET", base+r1.ID.String(), nil, e.UserToken, 200),
			`[{"x":"passes","y":30,"ratio":75.0},{"x":"violations","y":10,"ratio":25.0},{"total":40}]`)

		// r2: the summary is attached to one of its results, in JSON, with
		// axe-core's raw lists.
		res := e.result(now, "ui", "passed", nil)
		if err := e.App.DB.Conn(context.Background()).Model(res).Update("run_id", r2.ID).Error; err != nil {
			t.Fatal(err)
		}
		e.artifact(nil, &res.ID, "axe_run_data.json", `{"passes":[{"id":"a"},{"id":"b"}],"violations":[{"id":"c"}]}`, now)
		jsonEq(t, e.call("GET", base+r2.ID.String(), nil, e.UserToken, 200),
			`[{"x":"passes","y":2,"ratio":66.67},{"x":"violations","y":1,"ratio":33.33},{"total":3}]`)

		// Several runs: the newest summary of any of them.
		jsonEq(t, e.call("GET", base+r1.ID.String()+"&run_list="+r2.ID.String(), nil, e.UserToken, 200),
			`[{"x":"passes","y":30,"ratio":75.0},{"x":"violations","y":10,"ratio":25.0},{"total":40}]`)

		// No data, unknown runs and non-UUIDs: null.
		jsonEq(t, e.call("GET", base+empty.ID.String(), nil, e.UserToken, 200), `null`)
		jsonEq(t, e.call("GET", base+uuid.NewString()+"&run_list=nope", nil, e.UserToken, 200), `null`)

		// A zero total divides by nothing (upstream: a 500).
		e.artifact(&empty.ID, nil, "axe_run_data.yaml", "passes: 0\nviolations: 0\n", now)
		jsonEq(t, e.call("GET", base+empty.ID.String(), nil, e.UserToken, 200),
			`[{"x":"passes","y":0,"ratio":0.0},{"x":"violations","y":0,"ratio":0.0},{"total":0}]`)

		// run_list is required; an outsider may not read the project's runs.
		e.call("GET", "/api/widget/accessibility-bar-chart", nil, e.UserToken, 400)
		e.call("GET", base+r1.ID.String(), nil, e.outsider, 403)

		// The analysis view echoes the list; the dashboard view is null.
		jsonEq(t, e.call("GET", "/api/widget/accessibility-analysis-view?run_list="+r1.ID.String()+"&run_list=x", nil, e.UserToken, 200),
			`["`+r1.ID.String()+`","x"]`)
		jsonEq(t, e.call("GET", "/api/widget/accessibility-dashboard-view", nil, e.UserToken, 200), `null`)
	})
}
