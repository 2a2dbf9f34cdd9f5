package backend_test

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// dashFixture is the tenancy fixture of dashboards, widget configs, views
// and groups: project M (owned by member, the attacker) and project A
// (owned by owner, the victim), each with real dashboards, widgets, a
// project view and a run; global rows made by the superadmin; and an
// outsider who belongs to no project.
type dashFixture struct {
	*backendtest.Env
	t                              *testing.T
	member, owner, outsider        string // tokens
	memberUser                     *model.User
	projM, projA                   string
	dashM, dashA, dashG            string   // dashboards: M's, A's, global
	defM, defA                     string   // the projects' default dashboards
	seedM, seedA                   []string // the widgets seeded on defM and defA
	widgetM, widgetA, viewM, viewA string   // widget configs
	viewG, widgetG                 string   // global view and global widget (on dashG)
	group                          string
	runM, runA                     string
}

func newDashFixture(t *testing.T, sqlite bool) *dashFixture {
	e := backendtest.New(t, backendtest.Options{SQLite: sqlite})
	f := &dashFixture{Env: e, t: t}
	f.memberUser = e.CreateUser("member@example.com", "pw", false)
	f.member = e.TokenFor(f.memberUser)
	f.owner = e.TokenFor(e.CreateUser("owner@example.com", "pw", false))
	f.outsider = e.TokenFor(e.CreateUser("outsider@example.com", "pw", false))
	adm := e.AdminToken
	pm := f.must(e.Do("POST", "/api/project", map[string]any{"name": "m", "title": "M"}, f.member), "project M")
	pa := f.must(e.Do("POST", "/api/project", map[string]any{"name": "a", "title": "A"}, f.owner), "project A")
	f.projM, f.defM = pm["id"].(string), pm["default_dashboard_id"].(string)
	f.projA, f.defA = pa["id"].(string), pa["default_dashboard_id"].(string)
	f.seedM, f.seedA = f.seeded(f.defM), f.seeded(f.defA)
	f.dashM = f.id(e.Do("POST", "/api/dashboard", map[string]any{"title": "M board", "project_id": f.projM}, f.member), "dashboard M")
	f.dashA = f.id(e.Do("POST", "/api/dashboard", map[string]any{"title": "A board", "project_id": f.projA}, f.owner), "dashboard A")
	f.dashG = f.id(e.Do("POST", "/api/dashboard", map[string]any{"title": "Global board"}, adm), "global dashboard")
	widget := func(dash, project, title string) map[string]any {
		return map[string]any{"type": "widget", "widget": "result-summary", "title": title, "params": map[string]any{}, "weight": 0, "dashboard_id": dash, "project_id": project}
	}
	f.widgetM = f.id(e.Do("POST", "/api/widget-config", widget(f.dashM, f.projM, "wM"), f.member), "widget M")
	f.widgetA = f.id(e.Do("POST", "/api/widget-config", widget(f.dashA, f.projA, "wA"), f.owner), "widget A")
	f.widgetG = f.id(e.Do("POST", "/api/widget-config", map[string]any{"type": "widget", "widget": "result-summary", "title": "wG", "params": map[string]any{}, "dashboard_id": f.dashG}, adm), "global widget")
	view := func(project any, title string) map[string]any {
		return map[string]any{"type": "view", "widget": "jenkins-job-view", "title": title, "params": map[string]any{}, "project_id": project}
	}
	f.viewM = f.id(e.Do("POST", "/api/widget-config", view(f.projM, "vM"), f.member), "view M")
	f.viewA = f.id(e.Do("POST", "/api/widget-config", view(f.projA, "vA"), f.owner), "view A")
	f.viewG = f.id(e.Do("POST", "/api/widget-config", view(nil, "vG"), adm), "global view")
	f.group = f.id(e.Do("POST", "/api/group", map[string]any{"name": "g"}, adm), "group")
	f.runM = f.id(e.Do("POST", "/api/run", map[string]any{"metadata": map[string]any{"project": f.projM}, "summary": map[string]any{"tests": 3, "failures": 0}}, f.member), "run M")
	f.runA = f.id(e.Do("POST", "/api/run", map[string]any{"metadata": map[string]any{"project": f.projA}, "summary": map[string]any{"tests": 7, "failures": 5}}, f.owner), "run A")
	return f
}

// seeded lists the ids of the widgets a new project's default dashboard starts with.
func (f *dashFixture) seeded(dash string) []string {
	f.t.Helper()
	var ids []string
	if err := f.App.DB.Gorm.Model(&model.WidgetConfig{}).Where("dashboard_id = ?", dash).Pluck("id", &ids).Error; err != nil || len(ids) == 0 {
		f.t.Fatalf("seeded widgets of %s: %v %v", dash, ids, err)
	}
	return ids
}

func (f *dashFixture) must(r *backendtest.Response, what string) map[string]any {
	return mustOK(f.t, r, what)
}

func (f *dashFixture) id(r *backendtest.Response, what string) string {
	f.t.Helper()
	return f.must(r, what)["id"].(string)
}

func (f *dashFixture) token(who string) string {
	if tok, ok := map[string]string{"outsider": f.outsider, "member": f.member, "owner": f.owner}[who]; ok {
		return tok
	}
	return f.AdminToken
}

// widgetRow and dashRow read the database directly (what a request did or
// did not change).
func (f *dashFixture) widgetRow(id string) *model.WidgetConfig {
	return dbRow[model.WidgetConfig](f.t, f.App.DB, id)
}

func (f *dashFixture) dashRow(id string) *model.Dashboard {
	return dbRow[model.Dashboard](f.t, f.App.DB, id)
}

func (f *dashFixture) count(m any, where string, args ...any) int64 {
	f.t.Helper()
	var n int64
	if err := f.App.DB.Conn(context.Background()).Model(m).Where(where, args...).Count(&n).Error; err != nil {
		f.t.Fatal(err)
	}
	return n
}

// dashTitle reads a dashboard's nullable title ("" for NULL).
func dashTitle(d *model.Dashboard) string {
	if d.Title == nil {
		return ""
	}
	return *d.Title
}

func dashStr(p *uuid.UUID) string {
	if p == nil {
		return ""
	}
	return p.String()
}

// ids lists the ids of a list response's items under key, sorted.
func dashIDs(t *testing.T, r *backendtest.Response, key string) []string {
	t.Helper()
	if r.Code != 200 {
		t.Fatalf("list %s: %d %s", key, r.Code, r.Body)
	}
	items, _ := r.Map()[key].([]any)
	out := []string{}
	for _, it := range items {
		out = append(out, it.(map[string]any)["id"].(string))
	}
	sort.Strings(out)
	return out
}

func dashSorted(s ...string) []string {
	out := append([]string{}, s...)
	sort.Strings(out)
	return out
}

func forDashDBs(t *testing.T, fn func(t *testing.T, f *dashFixture)) {
	eachDB(t, func(t *testing.T, sqlite bool) { fn(t, newDashFixture(t, sqlite)) })
}

// TestIsolationWidgetConfigWrites: a widget config's project is its
// dashboard's project and the caller must be able to write it; nobody but a
// superadmin writes global rows. Each row is checked in the database.
func TestIsolationWidgetConfigWrites(t *testing.T) {
	forDashDBs(t, func(t *testing.T, f *dashFixture) {
		onDash := func(dash string, project any) map[string]any {
			b := map[string]any{"type": "widget", "widget": "result-summary", "title": "planted", "params": map[string]any{}, "dashboard_id": dash}
			if project != nil {
				b["project_id"] = project
			}
			return b
		}
		type tc struct {
			name, who string
			body      map[string]any
			want      int
		}
		for _, c := range []tc{
			{"member: foreign dashboard, own project", "member", onDash(f.dashA, f.projM), 400},
			{"member: foreign dashboard, no project", "member", onDash(f.dashA, nil), 403},
			{"member: foreign dashboard, its project", "member", onDash(f.dashA, f.projA), 403},
			{"member: foreign dashboard, project by name", "member", map[string]any{"type": "widget", "widget": "result-summary", "dashboard_id": f.dashA, "project": "m"}, 400},
			{"member: global dashboard", "member", onDash(f.dashG, nil), 403},
			{"member: global dashboard, own project", "member", onDash(f.dashG, f.projM), 400},
			{"outsider: foreign dashboard", "outsider", onDash(f.dashA, nil), 403},
			{"member: global view", "member", map[string]any{"type": "view", "widget": "jenkins-job-view", "title": "v"}, 403},
			{"member: unknown dashboard", "member", onDash(uuid.NewString(), f.projM), 400},
		} {
			before := f.count(&model.WidgetConfig{}, "1 = 1")
			r := f.Do("POST", "/api/widget-config", c.body, f.token(c.who))
			if r.Code != c.want || !dashJSONError(r) {
				t.Errorf("POST %s: %d %s, want %d (JSON error)", c.name, r.Code, r.Body, c.want)
			}
			if after := f.count(&model.WidgetConfig{}, "1 = 1"); after != before {
				t.Errorf("POST %s: %d widget configs, was %d", c.name, after, before)
			}
		}
		// Own dashboard: the widget takes the dashboard's project.
		r := f.Do("POST", "/api/widget-config", onDash(f.dashM, nil), f.member)
		if r.Code != 201 || r.Map()["project_id"] != f.projM {
			t.Errorf("own dashboard: %d %s", r.Code, r.Body)
		}
		for _, who := range []string{"owner", "superadmin"} {
			if r := f.Do("POST", "/api/widget-config", onDash(f.dashA, f.projA), f.token(who)); r.Code != 201 {
				t.Errorf("%s on A's dashboard: %d %s", who, r.Code, r.Body)
			}
		}
		if r := f.Do("POST", "/api/widget-config", map[string]any{"type": "view", "widget": "jenkins-job-view", "title": "v2"}, f.AdminToken); r.Code != 201 {
			t.Errorf("superadmin global view: %d %s", r.Code, r.Body)
		}

		// PUT: foreign rows, global rows, and moving an own widget away.
		type put struct {
			name, who, id string
			body          map[string]any
			want          int
		}
		for _, c := range []put{
			{"member moves own widget to A's dashboard", "member", f.widgetM, map[string]any{"dashboard_id": f.dashA}, 403},
			{"member moves own widget to A's dashboard keeping M", "member", f.widgetM, map[string]any{"dashboard_id": f.dashA, "project_id": f.projM}, 400},
			{"member moves own widget to the global dashboard", "member", f.widgetM, map[string]any{"dashboard_id": f.dashG}, 403},
			{"member moves own view into A", "member", f.viewM, map[string]any{"project_id": f.projA}, 403},
			{"member makes own view global", "member", f.viewM, map[string]any{"project_id": nil}, 403},
			{"member edits A's widget", "member", f.widgetA, map[string]any{"title": "pwned"}, 403},
			{"member edits A's widget into M", "member", f.widgetA, map[string]any{"project_id": f.projM, "dashboard_id": f.dashM}, 403},
			{"member edits A's view", "member", f.viewA, map[string]any{"title": "pwned"}, 403},
			{"member edits global view", "member", f.viewG, map[string]any{"title": "pwned"}, 403},
			{"member edits global widget", "member", f.widgetG, map[string]any{"title": "pwned"}, 403},
			{"outsider edits global view", "outsider", f.viewG, map[string]any{"title": "pwned by outsider"}, 403},
			{"owner edits global view", "owner", f.viewG, map[string]any{"title": "pwned"}, 403},
		} {
			before := *f.widgetRow(c.id)
			r := f.Do("PUT", "/api/widget-config/"+c.id, c.body, f.token(c.who))
			if r.Code != c.want || !dashJSONError(r) {
				t.Errorf("PUT %s: %d %s, want %d (JSON error)", c.name, r.Code, r.Body, c.want)
			}
			after := f.widgetRow(c.id)
			if after == nil || dashStr(after.ProjectID) != dashStr(before.ProjectID) || dashStr(after.DashboardID) != dashStr(before.DashboardID) || *after.Title != *before.Title || len(after.Params) != len(before.Params) {
				t.Errorf("PUT %s changed the row: %+v -> %+v", c.name, before, after)
			}
		}
		for _, c := range []put{
			{"member edits own widget (frontend edit modal)", "member", f.widgetM, map[string]any{"title": "wM2", "params": map[string]any{}, "weight": 0, "type": "widget", "widget": "result-summary", "project_id": f.projM}, 200},
			{"member moves own widget to own default dashboard", "member", f.widgetM, map[string]any{"dashboard_id": f.defM}, 200},
			{"superadmin edits global view", "superadmin", f.viewG, map[string]any{"title": "vG2"}, 200},
			{"owner edits own view", "owner", f.viewA, map[string]any{"title": "vA2"}, 200},
		} {
			if r := f.Do("PUT", "/api/widget-config/"+c.id, c.body, f.token(c.who)); r.Code != c.want {
				t.Errorf("PUT %s: %d %s", c.name, r.Code, r.Body)
			}
		}
		if w := f.widgetRow(f.widgetM); dashStr(w.DashboardID) != f.defM || dashStr(w.ProjectID) != f.projM || *w.Title != "wM2" {
			t.Errorf("own widget after edits: %+v", w)
		}

		// DELETE.
		for _, c := range []struct{ who, id string }{{"member", f.widgetA}, {"member", f.viewA}, {"member", f.viewG}, {"member", f.widgetG}, {"outsider", f.viewG}, {"owner", f.viewG}} {
			r := f.Do("DELETE", "/api/widget-config/"+c.id, nil, f.token(c.who))
			if r.Code != 403 || !dashJSONError(r) {
				t.Errorf("DELETE %s as %s: %d %s", c.id, c.who, r.Code, r.Body)
			}
			if f.widgetRow(c.id) == nil {
				t.Errorf("DELETE %s as %s removed the row", c.id, c.who)
			}
		}
		if r := f.Do("DELETE", "/api/widget-config/"+f.viewG, nil, f.AdminToken); r.Code != 200 || f.widgetRow(f.viewG) != nil {
			t.Errorf("superadmin deletes global view: %d %s", r.Code, r.Body)
		}
		if r := f.Do("DELETE", "/api/widget-config/"+f.viewM, nil, f.member); r.Code != 200 || f.widgetRow(f.viewM) != nil {
			t.Errorf("member deletes own view: %d %s", r.Code, r.Body)
		}
	})
}

// TestIsolationPlantedWidget: a widget of M planted on A's dashboard before
// the fix (written straight into the database) is not shown to either side
// as part of the other's data, the dashboard's owner can delete it, and the
// dashboard cannot be moved by someone who cannot write M.
func TestIsolationPlantedWidget(t *testing.T) {
	forDashDBs(t, func(t *testing.T, f *dashFixture) {
		ctx := context.Background()
		pm, da := uuid.MustParse(f.projM), uuid.MustParse(f.dashA)
		title, kind, name := "planted", "widget", "result-summary"
		planted := model.WidgetConfig{ID: uuid.New(), ProjectID: &pm, DashboardID: &da, Title: &title, Type: &kind, Widget: &name, Params: model.JSON{}}
		if err := f.App.DB.Conn(ctx).Create(&planted).Error; err != nil {
			t.Fatal(err)
		}
		pid := planted.ID.String()
		// And one without project: global by its project, but on A's board.
		orphan := model.WidgetConfig{ID: uuid.New(), DashboardID: &da, Title: &title, Type: &kind, Widget: &name, Params: model.JSON{}}
		if err := f.App.DB.Conn(ctx).Create(&orphan).Error; err != nil {
			t.Fatal(err)
		}
		oid := orphan.ID.String()
		for _, who := range []string{"member", "outsider"} {
			if got := dashIDs(t, f.Do("GET", "/api/widget-config?pageSize=100", nil, f.token(who)), "widgets"); strings.Contains(strings.Join(got, ","), oid) {
				t.Errorf("%s lists the project-less widget on A's dashboard", who)
			}
			if r := f.Do("GET", "/api/widget-config/"+oid, nil, f.token(who)); r.Code != 403 {
				t.Errorf("GET project-less widget on A's dashboard as %s: %d", who, r.Code)
			}
			if r := f.Do("DELETE", "/api/widget-config/"+oid, nil, f.token(who)); r.Code != 403 || f.widgetRow(oid) == nil {
				t.Errorf("DELETE project-less widget on A's dashboard as %s: %d", who, r.Code)
			}
		}
		if r := f.Do("DELETE", "/api/widget-config/"+oid, nil, f.owner); r.Code != 200 || f.widgetRow(oid) != nil {
			t.Errorf("owner deletes the project-less widget on A's dashboard: %d %s", r.Code, r.Body)
		}
		if got := dashIDs(t, f.Do("GET", "/api/widget-config?filter=dashboard_id="+f.dashA, nil, f.owner), "widgets"); strings.Join(got, ",") != f.widgetA {
			t.Errorf("A's dashboard lists %v, want only %s", got, f.widgetA)
		}
		if got := dashIDs(t, f.Do("GET", "/api/widget-config?filter=dashboard_id="+f.dashA, nil, f.member), "widgets"); len(got) != 0 {
			t.Errorf("member lists %v on A's dashboard", got)
		}
		for _, who := range []string{"member", "owner"} {
			if r := f.Do("GET", "/api/widget-config/"+pid, nil, f.token(who)); r.Code != 403 {
				t.Errorf("GET planted as %s: %d", who, r.Code)
			}
			if r := f.Do("PUT", "/api/widget-config/"+pid, map[string]any{"title": "x"}, f.token(who)); r.Code != 403 {
				t.Errorf("PUT planted as %s: %d", who, r.Code)
			}
		}
		// The owner of A cannot move the dashboard to a project of theirs
		// while it carries M's widget (that would take M's row over).
		pb := f.must(f.Do("POST", "/api/project", map[string]any{"name": "b"}, f.owner), "project B")["id"].(string)
		if r := f.Do("PUT", "/api/dashboard/"+f.dashA, map[string]any{"project_id": pb}, f.owner); r.Code != 403 {
			t.Errorf("move with a foreign widget: %d %s", r.Code, r.Body)
		}
		if d := f.dashRow(f.dashA); dashStr(d.ProjectID) != f.projA {
			t.Errorf("dashboard moved: %+v", d)
		}
		if w := f.widgetRow(pid); dashStr(w.ProjectID) != f.projM {
			t.Errorf("planted widget changed: %+v", w)
		}
		if r := f.Do("DELETE", "/api/widget-config/"+pid, nil, f.owner); r.Code != 200 || f.widgetRow(pid) != nil {
			t.Errorf("owner deletes the planted widget: %d %s", r.Code, r.Body)
		}
	})
}

// TestIsolationDashboardWrites covers create, update, move and delete of
// dashboards for outsider, member and superadmin on own, foreign and
// global dashboards, checking the rows afterwards.
func TestIsolationDashboardWrites(t *testing.T) {
	forDashDBs(t, func(t *testing.T, f *dashFixture) {
		for _, c := range []struct {
			name, who string
			body      map[string]any
			want      int
		}{
			{"member into A", "member", map[string]any{"title": "x", "project_id": f.projA}, 403},
			{"outsider into A", "outsider", map[string]any{"title": "x", "project_id": f.projA}, 403},
			{"member global", "member", map[string]any{"title": "x"}, 403},
			{"outsider global", "outsider", map[string]any{"title": "x", "project_id": nil}, 403},
		} {
			before := f.count(&model.Dashboard{}, "1 = 1")
			if r := f.Do("POST", "/api/dashboard", c.body, f.token(c.who)); r.Code != c.want || !dashJSONError(r) {
				t.Errorf("POST %s: %d %s", c.name, r.Code, r.Body)
			}
			if after := f.count(&model.Dashboard{}, "1 = 1"); after != before {
				t.Errorf("POST %s: %d dashboards, was %d", c.name, after, before)
			}
		}
		// The frontend's new-dashboard modal, as a member of the project.
		if r := f.Do("POST", "/api/dashboard", map[string]any{"title": "mine", "description": "d", "project_id": f.projM}, f.member); r.Code != 201 {
			t.Errorf("member creates a dashboard in M: %d %s", r.Code, r.Body)
		}
		if r := f.Do("POST", "/api/dashboard", map[string]any{"title": "global 2"}, f.AdminToken); r.Code != 201 {
			t.Errorf("superadmin creates a global dashboard: %d %s", r.Code, r.Body)
		}

		for _, c := range []struct {
			name, who, id string
			body          map[string]any
		}{
			{"member renames A's", "member", f.dashA, map[string]any{"title": "pwned"}},
			{"member moves A's into M", "member", f.dashA, map[string]any{"project_id": f.projM}},
			{"member moves own into A", "member", f.dashM, map[string]any{"project_id": f.projA}},
			{"member makes own global", "member", f.dashM, map[string]any{"project_id": nil}},
			{"member renames global", "member", f.dashG, map[string]any{"title": "pwned"}},
			{"member claims global", "member", f.dashG, map[string]any{"project_id": f.projM}},
			{"outsider renames global", "outsider", f.dashG, map[string]any{"title": "pwned"}},
			{"owner renames global", "owner", f.dashG, map[string]any{"title": "pwned"}},
		} {
			before := *f.dashRow(c.id)
			if r := f.Do("PUT", "/api/dashboard/"+c.id, c.body, f.token(c.who)); r.Code != 403 || !dashJSONError(r) {
				t.Errorf("PUT %s: %d %s", c.name, r.Code, r.Body)
			}
			if after := f.dashRow(c.id); dashTitle(after) != dashTitle(&before) || dashStr(after.ProjectID) != dashStr(before.ProjectID) {
				t.Errorf("PUT %s changed the row: %+v", c.name, after)
			}
		}
		for _, c := range []struct{ who, id string }{{"member", f.dashA}, {"member", f.dashG}, {"outsider", f.dashG}, {"owner", f.dashG}, {"member", f.defA}} {
			if r := f.Do("DELETE", "/api/dashboard/"+c.id, nil, f.token(c.who)); r.Code != 403 || !dashJSONError(r) {
				t.Errorf("DELETE %s as %s: %d %s", c.id, c.who, r.Code, r.Body)
			}
			if f.dashRow(c.id) == nil {
				t.Errorf("DELETE %s as %s removed the dashboard", c.id, c.who)
			}
		}
		if n := f.count(&model.WidgetConfig{}, "dashboard_id = ?", uuid.MustParse(f.dashA)); n != 1 {
			t.Errorf("A's dashboard has %d widgets after the attempts", n)
		}
		if n := f.count(&model.Project{}, "id = ? AND default_dashboard_id = ?", uuid.MustParse(f.projA), uuid.MustParse(f.defA)); n != 1 {
			t.Errorf("A lost its default dashboard")
		}

		// A user who can write both projects moves a dashboard: its widgets
		// follow, and the old project no longer has it as default.
		if r := f.Do("PUT", "/api/project/"+f.projA, map[string]any{"users": []string{"member@example.com"}}, f.owner); r.Code != 200 {
			t.Fatalf("add member to A: %d %s", r.Code, r.Body)
		}
		if r := f.Do("PUT", "/api/dashboard/"+f.defM, map[string]any{"title": "Moved"}, f.member); r.Code != 200 {
			t.Fatalf("rename own: %d %s", r.Code, r.Body)
		}
		if r := f.Do("PUT", "/api/dashboard/"+f.dashM, map[string]any{"project_id": f.projA}, f.member); r.Code != 200 {
			t.Fatalf("move M's board to A: %d %s", r.Code, r.Body)
		}
		if w := f.widgetRow(f.widgetM); dashStr(w.ProjectID) != f.projA {
			t.Errorf("widget did not follow its dashboard: %+v", w)
		}
		if r := f.Do("PUT", "/api/project/"+f.projM, map[string]any{"default_dashboard_id": f.defM}, f.member); r.Code != 200 {
			t.Errorf("own default unchanged: %d %s", r.Code, r.Body)
		}
		if r := f.Do("PUT", "/api/dashboard/"+f.defM, map[string]any{"project_id": f.projA}, f.member); r.Code != 200 {
			t.Fatalf("move M's default to A: %d %s", r.Code, r.Body)
		}
		if n := f.count(&model.Project{}, "id = ? AND default_dashboard_id IS NULL", uuid.MustParse(f.projM)); n != 1 {
			t.Errorf("M still has a default dashboard of A")
		}

		// Deletes that are allowed.
		if r := f.Do("DELETE", "/api/dashboard/"+f.dashG, nil, f.AdminToken); r.Code != 200 || f.dashRow(f.dashG) != nil || f.widgetRow(f.widgetG) != nil {
			t.Errorf("superadmin deletes global dashboard: %d %s", r.Code, r.Body)
		}
		if r := f.Do("DELETE", "/api/dashboard/"+f.dashA, nil, f.owner); r.Code != 200 || f.dashRow(f.dashA) != nil || f.widgetRow(f.widgetA) != nil {
			t.Errorf("owner deletes own dashboard: %d %s", r.Code, r.Body)
		}
	})
}

// TestIsolationDashboardReads: lists return the caller's projects' rows and
// global rows only (all for a superadmin); single rows of a foreign project
// are 403, missing ones 404.
func TestIsolationDashboardReads(t *testing.T) {
	forDashDBs(t, func(t *testing.T, f *dashFixture) {
		list := func(path, who, key string) []string { return dashIDs(t, f.Do("GET", path, nil, f.token(who)), key) }
		eq := func(what string, got, want []string) {
			t.Helper()
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("%s: got %v, want %v", what, got, want)
			}
		}
		big := "&pageSize=100"
		eq("member dashboards", list("/api/dashboard?pageSize=100", "member", "dashboards"), dashSorted(f.dashM, f.defM, f.dashG))
		eq("owner dashboards", list("/api/dashboard?pageSize=100", "owner", "dashboards"), dashSorted(f.dashA, f.defA, f.dashG))
		eq("outsider dashboards", list("/api/dashboard?pageSize=100", "outsider", "dashboards"), dashSorted(f.dashG))
		eq("superadmin dashboards", list("/api/dashboard?pageSize=100", "superadmin", "dashboards"), dashSorted(f.dashM, f.defM, f.dashA, f.defA, f.dashG))
		eq("member dashboards filtered to A", list("/api/dashboard?filter=project_id="+f.projA+big, "member", "dashboards"), []string{})
		eq("member dashboards filtered to A by title", list("/api/dashboard?filter=title=A%20board"+big, "member", "dashboards"), []string{})
		eq("member dashboards filtered to M", list("/api/dashboard?filter=project_id="+f.projM+big, "member", "dashboards"), dashSorted(f.dashM, f.defM))
		eq("frontend: member dashboards of M", list("/api/dashboard?project_id="+f.projM+big, "member", "dashboards"), dashSorted(f.dashM, f.defM))
		eq("superadmin dashboards filtered to A", list("/api/dashboard?filter=project_id="+f.projA+big, "superadmin", "dashboards"), dashSorted(f.dashA, f.defA))
		if r := f.Do("GET", "/api/dashboard?project_id="+f.projA, nil, f.member); r.Code != 403 {
			t.Errorf("?project_id=<foreign>: %d", r.Code)
		}

		eq("member widget configs", list("/api/widget-config?pageSize=100", "member", "widgets"), dashSorted(append([]string{f.widgetM, f.viewM, f.viewG, f.widgetG}, f.seedM...)...))
		eq("owner widget configs", list("/api/widget-config?pageSize=100", "owner", "widgets"), dashSorted(append([]string{f.widgetA, f.viewA, f.viewG, f.widgetG}, f.seedA...)...))
		eq("outsider widget configs", list("/api/widget-config?pageSize=100", "outsider", "widgets"), dashSorted(f.viewG, f.widgetG))
		eq("superadmin widget configs", list("/api/widget-config?pageSize=100", "superadmin", "widgets"),
			dashSorted(append(append([]string{f.widgetM, f.viewM, f.widgetA, f.viewA, f.viewG, f.widgetG}, f.seedM...), f.seedA...)...))
		eq("member widget configs of A", list("/api/widget-config?filter=project_id="+f.projA+big, "member", "widgets"), dashSorted(f.viewG, f.widgetG))
		eq("member widgets on A's dashboard", list("/api/widget-config?filter=dashboard_id="+f.dashA+big, "member", "widgets"), []string{})
		eq("frontend sidebar of M", list("/api/widget-config?filter=type=view&filter=navigable=true&filter=project_id="+f.projM+big, "member", "widgets"), dashSorted(f.viewM, f.viewG))
		eq("frontend dashboard of M", list("/api/widget-config?filter=dashboard_id="+f.dashM+big, "member", "widgets"), dashSorted(f.widgetM))

		for _, c := range []struct {
			who, path string
			want      int
		}{
			{"member", "/api/dashboard/" + f.dashA, 403},
			{"outsider", "/api/dashboard/" + f.dashA, 403},
			{"member", "/api/dashboard/" + f.dashM, 200},
			{"member", "/api/dashboard/" + f.dashG, 200},
			{"outsider", "/api/dashboard/" + f.dashG, 200},
			{"superadmin", "/api/dashboard/" + f.dashA, 200},
			{"member", "/api/dashboard/" + uuid.NewString(), 404},
			{"member", "/api/widget-config/" + f.widgetA, 403},
			{"member", "/api/widget-config/" + f.viewA, 403},
			{"outsider", "/api/widget-config/" + f.viewA, 403},
			{"member", "/api/widget-config/" + f.widgetM, 200},
			{"member", "/api/widget-config/" + f.viewG, 200},
			{"outsider", "/api/widget-config/" + f.viewG, 200},
			{"superadmin", "/api/widget-config/" + f.viewA, 200},
			{"member", "/api/widget-config/" + uuid.NewString(), 404},
			{"member", "/api/group", 200},
			{"member", "/api/group/" + f.group, 200},
		} {
			if r := f.Do("GET", c.path, nil, f.token(c.who)); r.Code != c.want {
				t.Errorf("GET %s as %s: %d %s, want %d", c.path, c.who, r.Code, r.Body, c.want)
			}
		}
	})
}

// TestIsolationWidgetDataThroughViews: a view's parameters of a foreign
// project do not open that project's data on /api/widget/{id}; without a
// project the data is the caller's projects' only (A's run has 7 tests, M's 3).
func TestIsolationWidgetDataThroughViews(t *testing.T) {
	forDashDBs(t, func(t *testing.T, f *dashFixture) {
		for _, path := range []string{
			"/api/widget/result-summary?project=" + f.projA,
			"/api/widget/result-summary?additional_filters=project_id=" + f.projA,
		} {
			if r := f.Do("GET", path, nil, f.member); r.Code != 403 {
				t.Errorf("GET %s as member: %d %s", path, r.Code, r.Body)
			}
		}
		total := func(who string) float64 {
			r := f.Do("GET", "/api/widget/result-summary", nil, f.token(who))
			if r.Code != 200 {
				t.Fatalf("summary as %s: %d %s", who, r.Code, r.Body)
			}
			return r.Map()["total"].(float64)
		}
		if n := total("member"); n != 3 {
			t.Errorf("member's summary counts %v tests, want M's 3", n)
		}
		if n := total("outsider"); n != 0 {
			t.Errorf("outsider's summary counts %v tests", n)
		}
		if n := total("superadmin"); n != 10 {
			t.Errorf("superadmin's summary counts %v tests", n)
		}
	})
}

// TestIsolationProjectDefaultDashboard: a project's default dashboard must
// be one of its own.
func TestIsolationProjectDefaultDashboard(t *testing.T) {
	forDashDBs(t, func(t *testing.T, f *dashFixture) {
		for _, c := range []struct {
			name, who, project string
			dash               any
			want               int
		}{
			{"member: A's dashboard on M", "member", f.projM, f.dashA, 400},
			{"member: global dashboard on M", "member", f.projM, f.dashG, 400},
			{"member: unknown dashboard on M", "member", f.projM, uuid.NewString(), 404},
			{"superadmin: A's dashboard on M", "superadmin", f.projM, f.dashA, 400},
			{"member: M's dashboard on A", "member", f.projA, f.dashM, 403},
		} {
			r := f.Do("PUT", "/api/project/"+c.project, map[string]any{"default_dashboard_id": c.dash}, f.token(c.who))
			if r.Code != c.want || !dashJSONError(r) {
				t.Errorf("%s: %d %s, want %d (JSON error)", c.name, r.Code, r.Body, c.want)
			}
		}
		for _, p := range []struct{ id, def string }{{f.projM, f.defM}, {f.projA, f.defA}} {
			if n := f.count(&model.Project{}, "id = ? AND default_dashboard_id = ?", uuid.MustParse(p.id), uuid.MustParse(p.def)); n != 1 {
				t.Errorf("project %s: default dashboard changed", p.id)
			}
		}
		if r := f.Do("PUT", "/api/admin/project/"+f.projM, map[string]any{"default_dashboard_id": f.dashA}, f.AdminToken); r.Code != 400 {
			t.Errorf("admin route: %d %s", r.Code, r.Body)
		}
		if r := f.Do("POST", "/api/project", map[string]any{"name": "n", "default_dashboard_id": f.dashA}, f.member); r.Code != 400 {
			t.Errorf("new project with A's dashboard: %d %s", r.Code, r.Body)
		}
		if n := f.count(&model.Project{}, "name = ?", "n"); n != 0 {
			t.Errorf("project created with a foreign default dashboard")
		}
		r := f.Do("PUT", "/api/project/"+f.projM, map[string]any{"default_dashboard_id": f.dashM}, f.member)
		if r.Code != 200 || r.Map()["default_dashboard_id"] != f.dashM {
			t.Errorf("own dashboard: %d %s", r.Code, r.Body)
		}
		if r := f.Do("PUT", "/api/project/"+f.projM, map[string]any{"default_dashboard_id": nil}, f.member); r.Code != 200 {
			t.Errorf("clear default: %d %s", r.Code, r.Body)
		}
	})
}

// TestIsolationGroups: every user reads groups, only superadmins write them.
func TestIsolationGroups(t *testing.T) {
	forDashDBs(t, func(t *testing.T, f *dashFixture) {
		for _, who := range []string{"outsider", "member", "owner"} {
			before := f.count(&model.Group{}, "1 = 1")
			r := f.Do("POST", "/api/group", map[string]any{"name": "mine-" + who}, f.token(who))
			if r.Code != 403 || !dashJSONError(r) {
				t.Errorf("POST as %s: %d %s", who, r.Code, r.Body)
			}
			if after := f.count(&model.Group{}, "1 = 1"); after != before {
				t.Errorf("POST as %s created a group", who)
			}
			r = f.Do("PUT", "/api/group/"+f.group, map[string]any{"name": "pwned", "metadata": map[string]any{"x": 1}}, f.token(who))
			if r.Code != 403 || !dashJSONError(r) {
				t.Errorf("PUT as %s: %d %s", who, r.Code, r.Body)
			}
			var g model.Group
			if err := f.App.DB.Conn(context.Background()).Where("id = ?", uuid.MustParse(f.group)).Take(&g).Error; err != nil || g.Name == nil || *g.Name != "g" || len(g.Data) != 0 {
				t.Errorf("PUT as %s changed the group: %v %+v", who, err, g)
			}
		}
		if r := f.Do("PUT", "/api/group/"+f.group, map[string]any{"name": "g2"}, f.AdminToken); r.Code != 200 || r.Map()["name"] != "g2" {
			t.Errorf("superadmin PUT: %d %s", r.Code, r.Body)
		}
		if r := f.Do("POST", "/api/group", map[string]any{"name": "g3"}, f.AdminToken); r.Code != 201 {
			t.Errorf("superadmin POST: %d %s", r.Code, r.Body)
		}
	})
}

// dashJSONError reports whether r carries an error in the project's JSON
// shapes (upstream's JSON string or a problem document).
func dashJSONError(r *backendtest.Response) bool {
	ct := r.Header().Get("Content-Type")
	var v any
	return (strings.HasPrefix(ct, "application/json") || ct == "application/problem+json") && json.Unmarshal(r.Body.Bytes(), &v) == nil
}
