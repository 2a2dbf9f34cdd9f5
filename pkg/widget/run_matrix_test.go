package widget_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

func TestRunMatrix(t *testing.T) {
	bothDBs(t, func(t *testing.T, e *env) {
		T := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		prod, stage := "prod", "stage"
		envOf := func(s *string) func(*model.Run) { return func(r *model.Run) { r.Env = s } }
		r1 := e.run(T, "", nil, nil, envOf(&prod))
		r2 := e.run(T.Add(time.Hour), "", nil, nil, envOf(&prod))
		r3 := e.run(T.Add(2*time.Hour), "", nil, nil, envOf(&prod))
		e.run(T.Add(3*time.Hour), "", nil, nil, envOf(&stage))
		other := uuid.New()
		if err := e.App.DB.Conn(context.Background()).Create(&model.Project{ID: other, Name: model.Ptr("other")}).Error; err != nil {
			t.Fatal(err)
		}
		foreign := e.run(T.Add(150*time.Minute), "", nil, nil, envOf(&prod), func(r *model.Run) { r.ProjectID = &other })
		add := func(run *model.Run, component, outcome, importance string) {
			md := map[string]any{}
			if importance != "" {
				md["importance"] = importance
			}
			r := &model.Result{ID: uuid.New(), ProjectID: run.ProjectID, RunID: &run.ID, Result: &outcome, StartTime: run.StartTime,
				Component: &component, Data: md}
			if err := e.App.DB.Conn(context.Background()).Create(r).Error; err != nil {
				t.Fatal(err)
			}
		}
		add(r3, "api", "passed", "high")
		add(r3, "api", "failed", "high")
		add(r3, "api", "passed", "high")
		add(r3, "ui", "passed", "low")
		add(r2, "api", "failed", "high")
		add(r2, "ui", "passed", "")
		add(r2, "ui", "skipped", "")
		add(r2, "db", "passed", "")
		add(r1, "api", "passed", "")
		add(foreign, "api", "passed", "")

		want := fmt.Sprintf(`{"columns":[{"field":"component","value":"api"},{"field":"component","value":"db"},{"field":"component","value":"ui"},
			{"field":"importance","value":"high"},{"field":"importance","value":"low"}],
		 "rows":[
		  {"run_id":%q,"start_time":%q,"project_id":%q,"cells":[{"percent":66.67,"passed":2,"total":3},null,{"percent":100,"passed":1,"total":1},{"percent":66.67,"passed":2,"total":3},{"percent":100,"passed":1,"total":1}]},
		  {"run_id":%q,"start_time":%q,"project_id":%q,"cells":[{"percent":0,"passed":0,"total":1},{"percent":100,"passed":1,"total":1},{"percent":50,"passed":1,"total":2},{"percent":0,"passed":0,"total":1},null]}]}`,
			r3.ID, model.FormatTime(r3.StartTime), e.project, r2.ID, model.FormatTime(r2.StartTime), e.project)
		base := "/api/widget/run-matrix?additional_filters=env=prod&limit=2"
		// The member does not see the foreign project's run.
		jsonEq(t, e.call("GET", base+"&columns=component&columns=importance", nil, e.UserToken, 200), want)
		jsonEq(t, e.call("GET", base+"&columns=component,importance&project="+e.project.String(), nil, e.UserToken, 200), want)

		// The superadmin does; the limit applies before.
		got := obj(t, e.call("GET", base+"&columns=component", nil, e.AdminToken, 200))
		rows := got["rows"].([]any)
		if len(rows) != 2 || rows[0].(map[string]any)["run_id"] != foreign.ID.String() || rows[1].(map[string]any)["run_id"] != r3.ID.String() {
			t.Fatalf("admin rows: %v", rows)
		}
		jsonEq(t, mustJSON(got["columns"]), `[{"field":"component","value":"api"},{"field":"component","value":"ui"}]`)

		// No columns: just the runs. Unknown fields give no columns.
		got = obj(t, e.call("GET", "/api/widget/run-matrix?limit=1&columns=metadata.nope&project="+e.project.String(), nil, e.UserToken, 200))
		jsonEq(t, mustJSON(got), fmt.Sprintf(`{"columns":[],"rows":[{"run_id":%q,"start_time":%q,"project_id":%q,"cells":[]}]}`, e.mustRunAt(T.Add(3*time.Hour)), model.FormatTime(T.Add(3*time.Hour)), e.project))
		jsonEq(t, e.call("GET", "/api/widget/run-matrix?additional_filters=env=none", nil, e.UserToken, 200), `{"columns":[],"rows":[]}`)

		e.call("GET", base+"&columns=component&project="+e.project.String(), nil, e.outsider, 403)
		jsonEq(t, e.call("GET", base+"&columns=component", nil, e.outsider, 200), `{"columns":[],"rows":[]}`)
		e.call("GET", "/api/widget/run-matrix?columns=component&limit=0", nil, e.UserToken, 400)
		e.call("GET", "/api/widget/run-matrix?cols=x", nil, e.UserToken, 400)
	})
}

// mustRunAt is the id of the run starting at start.
func (e *env) mustRunAt(start time.Time) string {
	e.t.Helper()
	var r model.Run
	if err := e.App.DB.Conn(context.Background()).Where("start_time = ?", start.UTC()).Take(&r).Error; err != nil {
		e.t.Fatal(err)
	}
	return r.ID.String()
}
