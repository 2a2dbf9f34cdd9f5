package widget_test

import (
	"context"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

func TestDashboardCRUDAndCascade(t *testing.T) {
	bothDBs(t, func(t *testing.T, e *env) {
		p := e.project.String()
		d := obj(t, e.call("POST", "/api/dashboard", map[string]any{"title": "Main", "project_id": p}, e.AdminToken, 201))
		id := d["id"].(string)
		// The normal user is no member: 403 on every route naming the project.
		e.call("GET", "/api/dashboard/"+id, nil, e.outsider, 403)
		e.call("GET", "/api/dashboard?project_id="+p, nil, e.outsider, 403)
		e.call("POST", "/api/dashboard", map[string]any{"title": "x", "project_id": p}, e.outsider, 403)
		e.call("POST", "/api/dashboard", map[string]any{"title": "x", "user_id": p}, e.AdminToken, 400)
		e.call("POST", "/api/dashboard", map[string]any{"title": "B other"}, e.AdminToken, 201)

		list := obj(t, e.call("GET", "/api/dashboard?project_id="+p, nil, e.AdminToken, 200))
		if n := len(list["dashboards"].([]any)); n != 1 {
			t.Fatalf("project list: %d", n)
		}
		all := obj(t, e.call("GET", "/api/dashboard?project_id=00000000-0000-4000-8000-000000000000", nil, e.AdminToken, 200))
		if n := len(all["dashboards"].([]any)); n != 2 {
			t.Fatalf("unknown project id restricts nothing: %d", n)
		}
		up := obj(t, e.call("PUT", "/api/dashboard/"+id, map[string]any{"description": "d"}, e.AdminToken, 200))
		if up["title"] != "Main" || up["description"] != "d" {
			t.Fatalf("merge update: %v", up)
		}

		ctx := context.Background()
		did := d["id"].(string)
		if err := e.App.DB.Conn(ctx).Model(&model.Project{}).Where("id = ?", e.project).Update("default_dashboard_id", did).Error; err != nil {
			t.Fatal(err)
		}
		wc := obj(t, e.call("POST", "/api/widget-config", map[string]any{"type": "widget", "widget": "result-summary", "dashboard_id": did, "params": map[string]any{}}, e.AdminToken, 201))
		e.call("DELETE", "/api/dashboard/"+id, nil, e.AdminToken, 200)
		e.call("GET", "/api/dashboard/"+id, nil, e.AdminToken, 404)
		e.call("GET", "/api/widget-config/"+wc["id"].(string), nil, e.AdminToken, 404)
		var pr model.Project
		if err := e.App.DB.Conn(ctx).Where("id = ?", e.project).Take(&pr).Error; err != nil || pr.DefaultDashboardID != nil {
			t.Fatalf("default dashboard not cleared: %v %v", err, pr.DefaultDashboardID)
		}
		e.call("DELETE", "/api/dashboard/"+id, nil, e.AdminToken, 404)
	})
}

func TestWidgetConfigRules(t *testing.T) {
	bothDBs(t, func(t *testing.T, e *env) {
		p := e.project.String()
		c := obj(t, e.call("POST", "/api/widget-config", map[string]any{
			"type": "widget", "widget": "jenkins-heatmap", "title": "Heat", "weight": 0, "project": "my-project",
			"params": map[string]any{"jenkins_job_name": "J", "builds": 5, "bogus": 1}}, e.AdminToken, 201))
		if c["weight"].(float64) != 10 || c["project_id"] != p {
			t.Fatalf("weight/project: %v", c)
		}
		if params := c["params"].(map[string]any); params["job_name"] != "J" || params["bogus"] != nil || params["jenkins_job_name"] != nil {
			t.Fatalf("params not cleaned: %v", params)
		}
		v := obj(t, e.call("POST", "/api/widget-config", map[string]any{"type": "view", "widget": "jenkins-job-view", "weight": 3}, e.AdminToken, 201))
		if v["navigable"] != true {
			t.Fatalf("view navigable default: %v", v)
		}
		n := obj(t, e.call("POST", "/api/widget-config", map[string]any{"type": "view", "widget": "jenkins-job-view", "navigable": "no", "project_id": p}, e.AdminToken, 201))
		if n["navigable"] != false {
			t.Fatalf("navigable coercion: %v", n)
		}
		e.call("POST", "/api/widget-config", map[string]any{"type": "widget", "widget": "nope"}, e.AdminToken, 400)
		e.call("POST", "/api/widget-config", map[string]any{"type": "widget", "widget": "result-summary", "project": p}, e.outsider, 403)

		// The sidebar query: the project's views plus the global one, by weight.
		l := obj(t, e.call("GET", "/api/widget-config?filter=type=view&filter=navigable=true&filter=project_id="+p, nil, e.AdminToken, 200))
		ws := l["widgets"].([]any)
		if len(ws) != 1 || ws[0].(map[string]any)["id"] != v["id"] {
			t.Fatalf("sidebar: %v", ws)
		}
		l = obj(t, e.call("GET", "/api/widget-config?filter=project_id="+p, nil, e.AdminToken, 200))
		if len(l["widgets"].([]any)) != 3 {
			t.Fatalf("project or global: %v", l)
		}
		up := obj(t, e.call("PUT", "/api/widget-config/"+c["id"].(string), map[string]any{"params": map[string]any{"job_name": "K", "chart_type": "x"}}, e.AdminToken, 200))
		if params := up["params"].(map[string]any); len(params) != 1 || params["job_name"] != "K" {
			t.Fatalf("update params: %v", params)
		}
		e.call("PUT", "/api/widget-config/"+c["id"].(string), map[string]any{"widget": "nope"}, e.AdminToken, 400)
		e.call("DELETE", "/api/widget-config/"+c["id"].(string), nil, e.outsider, 403)
		e.call("DELETE", "/api/widget-config/"+c["id"].(string), nil, e.AdminToken, 200)
		e.call("GET", "/api/widget-config/"+c["id"].(string), nil, e.AdminToken, 404)
	})
}

func TestWidgetTypesAndPipeline(t *testing.T) {
	bothDBs(t, func(t *testing.T, e *env) {
		all := obj(t, e.call("GET", "/api/widget/types", nil, e.UserToken, 200))
		if len(all["types"].([]any)) != 16 {
			t.Fatalf("types: %d", len(all["types"].([]any)))
		}
		views := obj(t, e.call("GET", "/api/widget/types?type=view", nil, e.UserToken, 200))
		jsonEq(t, mustJSON(views["pagination"]), `{"page":1,"pageSize":5,"totalItems":5,"totalPages":1}`)
		e.call("GET", "/api/widget/nope", nil, e.UserToken, 400)
		b := e.call("GET", "/api/widget/result-summary?chart_type=bar&filter=x", nil, e.UserToken, 400)
		jsonEq(t, b, `"Invalid parameters for widget 'result-summary': chart_type, filter_"`)
		e.call("GET", "/api/widget/run-aggregator?group_field=component", nil, e.UserToken, 400)
		b = e.call("GET", "/api/widget/accessibility-analysis-view?run_list=a,b&run_list=c&project=x", nil, e.UserToken, 200)
		jsonEq(t, b, `["a,b","c"]`)
		b = e.call("GET", "/api/widget/jenkins-analysis-view?job_name=J&builds=60&project=P", nil, e.UserToken, 200)
		jsonEq(t, b, `{"barchart_params":{"job_name":"J","builds":60,"project":"P"},"heatmap_params":{"job_name":"J","builds":40,"group_field":"component","count_skips":true,"project":"P"},"linechart_params":{"job_name":"J","builds":60,"project":"P"}}`)
	})
}

func TestNewProjectGetsDefaultDashboard(t *testing.T) {
	bothDBs(t, func(t *testing.T, e *env) {
		p := obj(t, e.call("POST", "/api/project", map[string]any{"name": "fresh"}, e.UserToken, 201))
		id, ok := p["default_dashboard_id"].(string)
		if !ok {
			t.Fatalf("no default dashboard: %v", p)
		}
		d := obj(t, e.call("GET", "/api/dashboard/"+id, nil, e.UserToken, 200))
		if d["title"] != "Default Dashboard" || d["project_id"] != p["id"] {
			t.Fatalf("dashboard: %v", d)
		}
	})
}
