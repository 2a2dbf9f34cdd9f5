package widget_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// TestWidgetsOnEmptyProject checks every data widget answers its empty
// shape for a project without runs or results.
func TestWidgetsOnEmptyProject(t *testing.T) {
	bothDBs(t, func(t *testing.T, e *env) {
		// Data elsewhere must not leak into the empty project's answers.
		e.run(time.Now().Add(-time.Hour), "A", jenkins("J", "1"), sum6(10, 1, 0, 0))
		e.result(time.Now().Add(-time.Hour), "A", "passed", jenkins("J", "1"))
		empty := uuid.New()
		ctx := context.Background()
		if err := e.App.DB.Conn(ctx).Create(&model.Project{ID: empty, Name: model.Ptr("empty")}).Error; err != nil {
			t.Fatal(err)
		}
		if err := e.App.DB.Conn(ctx).Create(&model.UserProject{UserID: e.User.ID, ProjectID: empty}).Error; err != nil {
			t.Fatal(err)
		}
		p := "project=" + empty.String()
		six := `{"passed":{},"skipped":{},"error":{},"failed":{},"xfailed":{},"xpassed":{}}`
		for _, tc := range []struct{ path, want string }{
			{"result-summary?" + p, `{"error":0,"skipped":0,"failed":0,"passed":0,"total":0,"xfailed":0,"xpassed":0}`},
			{"result-aggregator?group_field=component&" + p, `[]`},
			{"result-aggregator?group_field=component&for_filter=true&" + p, `[]`},
			{"run-aggregator?weeks=4&group_field=component&" + p, six},
			{"jenkins-heatmap?job_name=J&builds=3&group_field=component&" + p, `{"heatmap":{}}`},
			{"filter-heatmap?additional_filters=component=A&builds=3&group_field=component&" + p, `{"heatmap":{}}`},
			{"jenkins-job-view?" + p, `{"jobs":[],"pagination":{"page":1,"pageSize":25,"totalItems":0,"totalPages":0}}`},
			{"jenkins-bar-chart?job_name=J&builds=5&" + p, `{"passed":{},"skipped":{},"error":{},"failed":{},"xpassed":{},"xfailed":{}}`},
			{"jenkins-line-chart?job_name=J&builds=5&" + p, `{"duration":{}}`},
			{"importance-component?job_name=J&components=A&" + p, `{"table_data":[]}`},
			{"run-matrix?columns=component&" + p, `{"columns":[],"rows":[]}`},
		} {
			jsonEq(t, e.call("GET", "/api/widget/"+tc.path, nil, e.UserToken, 200), tc.want)
		}
		got := obj(t, e.call("GET", "/api/widget/compare-runs-view?additional_filters=component=A&additional_filters=component=A&"+p, nil, e.UserToken, 200))
		if got["base_run"] != nil || len(got["results"].([]any)) != 0 {
			t.Fatalf("compare-runs-view on an empty project: %v", got)
		}
	})
}

// TestWidgetUnknownProject: a well-formed UUID naming no project is a 404
// for everyone; a value that is no UUID is ignored as upstream ignores it
// (except by importance-component, which needs a project: 400).
func TestWidgetUnknownProject(t *testing.T) {
	bothDBs(t, func(t *testing.T, e *env) {
		e.run(time.Now().Add(-time.Hour), "A", nil, sum6(10, 1, 0, 0))
		unknown := "&project=" + uuid.NewString()
		for _, path := range []string{
			"result-summary?source=x", "run-aggregator?weeks=4&group_field=component",
			"jenkins-heatmap?job_name=J&builds=3&group_field=component", "jenkins-job-view?page=1",
			"importance-component?job_name=J&components=A",
		} {
			for _, tok := range []string{e.UserToken, e.AdminToken, e.outsider} {
				e.call("GET", "/api/widget/"+path+unknown, nil, tok, 404)
			}
		}
		got := obj(t, e.call("GET", "/api/widget/result-summary?project=not-a-uuid", nil, e.UserToken, 200))
		if got["total"].(float64) != 10 {
			t.Fatalf("a non-UUID project must be ignored: %v", got)
		}
		e.call("GET", "/api/widget/importance-component?job_name=J&components=A&project=not-a-uuid", nil, e.UserToken, 400)
	})
}

// TestJenkinsHeatmapNonNumericBuilds: build numbers that are not all
// digits (or too long for an integer) are left out instead of failing the
// widget (upstream: a PostgreSQL cast error, 500).
func TestJenkinsHeatmapNonNumericBuilds(t *testing.T) {
	bothDBs(t, func(t *testing.T, e *env) {
		t0 := time.Now().Add(-time.Hour)
		var good []*model.Run
		for i, b := range []string{"abc", "3", "12a", "", " 5", "99999999999999999999", "-1", "4", "1.5"} {
			r := e.run(t0.Add(time.Duration(i)*time.Minute), "A", jenkins("J", b), sum6(10, 0, 0, 0))
			if b == "3" || b == "4" {
				good = append(good, r)
			}
		}
		e.run(t0, "A", map[string]any{"jenkins": map[string]any{"job_name": "J", "build_number": 6}}, sum6(10, 5, 0, 0)) // a JSON number
		path := "/api/widget/jenkins-heatmap?job_name=J&builds=10&group_field=component&project=" + e.project.String()
		b := e.call("GET", path, nil, e.UserToken, 200)
		got := obj(t, b)["heatmap"].(map[string]any)["A"].([]any)
		var builds []string
		for _, entry := range got[1:] {
			builds = append(builds, entry.([]any)[3].(string))
		}
		if fmt.Sprint(builds) != "[3 4 6]" {
			t.Fatalf("builds %v in %s", builds, b)
		}
		if got[1].([]any)[1] != good[0].ID.String() || got[2].([]any)[1] != good[1].ID.String() {
			t.Fatalf("runs of builds 3 and 4: %s", b)
		}
	})
}

// TestProjectFiltersAreAccessChecked: a project_id filter inside
// additional_filters is held to the same access rule as the project
// parameter, on jenkins-job-view and the other widgets taking filters.
func TestProjectFiltersAreAccessChecked(t *testing.T) {
	bothDBs(t, func(t *testing.T, e *env) {
		e.run(time.Now().Add(-time.Hour), "A", jenkins("J", "1"), sum6(10, 1, 0, 0))
		pid := e.project.String()
		q := url.QueryEscape
		for _, path := range []string{
			"jenkins-job-view?filter=" + q("project_id="+pid),
			"jenkins-job-view?additional_filters=" + q("job_name=J") + "&additional_filters=" + q("project_id="+pid),
			"jenkins-job-view?filter=" + q("job_name=J,project_id*"+uuid.NewString()+";"+pid),
			"jenkins-job-view?filter=" + q("project_id!"+uuid.NewString()),
			"jenkins-job-view?filter=" + q("project_id~.*"),
			"jenkins-heatmap?job_name=J&builds=3&group_field=component&additional_filters=" + q("project_id="+pid),
			"run-aggregator?weeks=4&group_field=component&additional_filters=" + q("project_id="+pid),
			"result-summary?additional_filters=" + q("env@n,project_id="+pid),
			"filter-heatmap?builds=3&group_field=component&additional_filters=" + q("project_id="+pid),
			"result-aggregator?group_field=component&additional_filters=" + q("project_id="+pid),
			"jenkins-job-view?project=" + pid,
		} {
			e.call("GET", "/api/widget/"+path, nil, e.outsider, 403)
		}
		// The member and a superadmin read the data through the same filter.
		for _, tok := range []string{e.UserToken, e.AdminToken} {
			got := obj(t, e.call("GET", "/api/widget/jenkins-job-view?filter="+q("project_id="+pid), nil, tok, 200))
			if len(got["jobs"].([]any)) != 1 {
				t.Fatalf("member/admin: %v", got)
			}
		}
		// A project_id value that is no UUID is refused as a bad filter, before any data is read.
		e.call("GET", "/api/widget/jenkins-job-view?filter="+q("project_id=nope"), nil, e.outsider, 400)
	})
}

// TestWidgetsWithoutProjectAreScoped: with no project named, a user who is
// not a superadmin reads only their projects' rows (upstream reads every
// project's); otherwise dropping the project filter would undo the checks
// above. Runs of no project are for superadmins only.
func TestWidgetsWithoutProjectAreScoped(t *testing.T) {
	bothDBs(t, func(t *testing.T, e *env) {
		t0 := time.Now().Add(-time.Hour)
		e.run(t0, "A", jenkins("J", "1"), sum6(10, 1, 0, 0))
		e.run(t0, "A", jenkins("J", "2"), sum6(20, 0, 0, 0), func(r *model.Run) { r.ProjectID = nil })
		e.result(t0, "A", "passed", nil)
		for _, tc := range []struct {
			token string
			jobs  int
			total float64
		}{
			{e.outsider, 0, 0},
			{e.UserToken, 1, 10},
			{e.AdminToken, 2, 30},
		} {
			got := obj(t, e.call("GET", "/api/widget/jenkins-job-view?filter=job_name=J", nil, tc.token, 200))
			if n := len(got["jobs"].([]any)); n != tc.jobs {
				t.Errorf("jenkins-job-view: %d jobs, want %d", n, tc.jobs)
			}
			sum := obj(t, e.call("GET", "/api/widget/result-summary", nil, tc.token, 200))
			if sum["total"].(float64) != tc.total {
				t.Errorf("result-summary: total %v, want %v", sum["total"], tc.total)
			}
		}
		jsonEq(t, e.call("GET", "/api/widget/result-aggregator?group_field=component", nil, e.outsider, 200), `[]`)
		jsonEq(t, e.call("GET", "/api/widget/result-aggregator?group_field=component", nil, e.UserToken, 200), `[{"_id":"A","count":1}]`)
		jsonEq(t, e.call("GET", "/api/widget/jenkins-heatmap?job_name=J&builds=3&group_field=component", nil, e.outsider, 200), `{"heatmap":{}}`)
	})
}

// A regex the database cannot compile is the client's mistake: 400 with a
// JSON body on both databases (PostgreSQL reports it only when the query
// runs; SQLite's is caught while building it), on the count-table path
// and the GROUP BY path alike.
func TestWidgetInvalidRegexIs400(t *testing.T) {
	bothDBs(t, func(t *testing.T, e *env) {
		for _, q := range []string{
			"group_field=result&additional_filters=result~(",            // count table on PostgreSQL
			"group_field=metadata.assignee&additional_filters=result~(", // GROUP BY over results
		} {
			body := e.call("GET", "/api/widget/result-aggregator?"+q+"&project="+e.project.String(), nil, e.UserToken, 400)
			var msg string
			if err := json.Unmarshal(body, &msg); err != nil || !strings.Contains(msg, "Parameter error for widget 'result-aggregator'") {
				t.Errorf("%s: body %s", q, body)
			}
		}
	})
}
