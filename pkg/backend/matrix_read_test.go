package backend_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// readRefused are the answers a read of another project's object may get
// (401 is upstream's answer for a project the caller cannot see).
var readRefused = []int{401, 403, 404}

// TestMatrixReads checks which rows every list returns to each identity,
// not only its status: P's member and owner see exactly P's rows (and the
// global ones where those exist), the outsider sees no project's rows, a
// foreign filter never yields a foreign row, and the superadmin sees the
// project it names. It also reads each of Q's objects (and the import and
// run without project) by id as everyone but the superadmin.
func TestMatrixReads(t *testing.T) {
	eachDB(t, func(t *testing.T, sqlite bool) {
		f := newIsoFixture(t, sqlite)
		rows := f.rowsByProject()
		for _, who := range isoIdentities {
			t.Run(who, func(t *testing.T) {
				checkLists(t, f, rows, who)
				if who == "member" {
					checkAsyncList(t, f, rows)
				}
				if who != "superadmin" {
					checkForeignGets(t, f, who)
				}
			})
		}
	})
}

// projectRows are the ids of one project's rows, by list name.
type projectRows map[string][]string

// rowsByProject reads, by SQL, which rows belong to P, to Q and to no
// project ("global": dashboards and widget configs without project).
func (f *isoFixture) rowsByProject() map[string]projectRows {
	g := f.App.DB.Gorm
	out := map[string]projectRows{}
	pluck := func(m any, where string, args ...any) []string {
		var ids []uuid.UUID
		if err := g.Model(m).Where(where, args...).Pluck("id", &ids).Error; err != nil {
			f.T.Fatal(err)
		}
		s := make([]string, len(ids))
		for i, id := range ids {
			s[i] = id.String()
		}
		sort.Strings(s)
		return s
	}
	var imps []model.Import
	if err := g.Find(&imps).Error; err != nil {
		f.T.Fatal(err)
	}
	for _, p := range []string{"P", "Q"} {
		pid := f.ids[p]
		rows := projectRows{
			"runs":       pluck(&model.Run{}, "project_id = ?", pid),
			"results":    pluck(&model.Result{}, "project_id = ?", pid),
			"artifacts":  pluck(&model.Artifact{}, "result_id IN (SELECT id FROM results WHERE project_id = ?) OR run_id IN (SELECT id FROM runs WHERE project_id = ?)", pid, pid),
			"dashboards": pluck(&model.Dashboard{}, "project_id = ?", pid),
			"widgets":    pluck(&model.WidgetConfig{}, "project_id = ?", pid),
			"projects":   {pid},
		}
		for _, im := range imps {
			if im.Data["project_id"] == pid {
				rows["imports"] = append(rows["imports"], im.ID.String())
			}
		}
		sort.Strings(rows["imports"])
		for list, ids := range rows {
			if len(ids) == 0 {
				f.T.Fatalf("fixture: project %s has no %s", p, list)
			}
		}
		if len(rows["artifacts"]) < 2 || len(rows["runs"]) < 2 || len(rows["results"]) < 3 {
			f.T.Fatalf("fixture: project %s is too small: %v", p, rows)
		}
		out[p] = rows
	}
	out["global"] = projectRows{
		"dashboards": pluck(&model.Dashboard{}, "project_id IS NULL"),
		"widgets":    pluck(&model.WidgetConfig{}, "project_id IS NULL"),
	}
	return out
}

// listIDs GETs a list and returns its status and the ids of its rows.
func (f *isoFixture) listIDs(path, key, token string) (int, []string, string) {
	r := f.Do("GET", f.expand(path), nil, token)
	if r.Code != 200 {
		return r.Code, nil, r.Body.String()
	}
	var ids []string
	items, _ := r.Map()[key].([]any)
	for _, it := range items {
		if m, ok := it.(map[string]any); ok {
			ids = append(ids, fmt.Sprint(m["id"]))
		}
	}
	sort.Strings(ids)
	return 200, ids, ""
}

func checkLists(t *testing.T, f *isoFixture, rows map[string]projectRows, who string) {
	tok := f.tokens[who]
	P, Q, G := rows["P"], rows["Q"], rows["global"]
	inP := who == "member" || who == "owner"
	// list checks one list: exact lists the ids it must return exactly
	// (nil: not checked), must/mustNot what it must and must not contain;
	// okStatuses are the statuses allowed (a 200 is always checked).
	list := func(path, key string, okStatuses []int, exact, must, mustNot []string) {
		t.Helper()
		code, ids, body := f.listIDs(path+sep(path)+"pageSize=100", key, tok)
		if !containsInt(okStatuses, code) {
			t.Errorf("GET %s as %s: status %d, want %v: %s", path, who, code, okStatuses, trim(body))
			return
		}
		if code != 200 {
			return
		}
		if exact != nil && strings.Join(ids, ",") != strings.Join(sorted(exact), ",") {
			t.Errorf("GET %s as %s: rows %s, want exactly %s", path, who, f.describe(ids), f.describe(sorted(exact)))
		}
		got := set(ids)
		for _, id := range must {
			if !got[id] {
				t.Errorf("GET %s as %s: missing %s", path, who, f.describe([]string{id}))
			}
		}
		for _, id := range mustNot {
			if got[id] {
				t.Errorf("GET %s as %s: returns foreign row %s", path, who, f.describe([]string{id}))
			}
		}
	}
	ok, okOrRefused := []int{200}, []int{200, 400, 403, 404}
	all := func(pr ...projectRows) func(string) []string {
		return func(k string) []string {
			var out []string
			for _, p := range pr {
				out = append(out, p[k]...)
			}
			return out
		}
	}
	both := all(P, Q)
	switch {
	case inP:
		list("/api/run", "runs", ok, P["runs"], nil, nil)
		list("/api/result", "results", ok, P["results"], nil, nil)
		list("/api/artifact", "artifacts", ok, P["artifacts"], nil, nil)
		list("/api/import", "imports", ok, P["imports"], nil, nil)
		list("/api/project", "projects", ok, P["projects"], nil, nil)
		list("/api/dashboard", "dashboards", ok, nil, P["dashboards"], Q["dashboards"])
		list("/api/dashboard?project_id={P}", "dashboards", ok, P["dashboards"], nil, nil)
		list("/api/widget-config", "widgets", ok, nil, append(P["widgets"], f.ids["G.view"]), Q["widgets"])
		// A project filter also lists the global configs (upstream's rule).
		list("/api/widget-config?filter=project_id={P}", "widgets", ok, append(P["widgets"], G["widgets"]...), nil, nil)
	case who == "outsider":
		list("/api/run", "runs", okOrRefused, nil, nil, both("runs"))
		list("/api/result", "results", okOrRefused, nil, nil, both("results"))
		list("/api/artifact", "artifacts", ok, nil, nil, both("artifacts"))
		list("/api/import", "imports", ok, nil, nil, append(both("imports"), f.ids["G.import"]))
		list("/api/project", "projects", ok, []string{}, nil, nil)
		list("/api/dashboard", "dashboards", ok, nil, nil, both("dashboards"))
		list("/api/widget-config", "widgets", ok, nil, []string{f.ids["G.view"]}, both("widgets"))
	case who == "superadmin":
		list("/api/run", "runs", []int{400}, nil, nil, nil)
		list("/api/run?filter=project_id={Q}", "runs", ok, Q["runs"], nil, nil)
		list("/api/run?filter=project_id={P}", "runs", ok, P["runs"], nil, nil)
		list("/api/result?filter=project_id={Q}", "results", ok, Q["results"], nil, nil)
		list("/api/artifact", "artifacts", ok, nil, both("artifacts"), nil)
		list("/api/artifact?resultId={Q.result}", "artifacts", ok, nil, []string{f.ids["Q.artifact"]}, P["artifacts"])
		list("/api/import", "imports", ok, nil, append(both("imports"), f.ids["G.import"]), nil)
		list("/api/project", "projects", ok, nil, both("projects"), nil)
		list("/api/dashboard", "dashboards", ok, nil, append(both("dashboards"), G["dashboards"]...), nil)
		list("/api/dashboard?project_id={Q}", "dashboards", ok, Q["dashboards"], nil, nil)
		list("/api/widget-config", "widgets", ok, nil, append(both("widgets"), G["widgets"]...), nil)
		list("/api/widget-config?filter=project_id={Q}", "widgets", ok, append(Q["widgets"], G["widgets"]...), nil, nil)
	}
	list("/api/group", "groups", ok, nil, []string{f.ids["G.group"]}, nil)
	if who == "superadmin" {
		return
	}
	// Naming the foreign project never yields its rows.
	list("/api/run?filter=project_id={Q}", "runs", okOrRefused, nil, nil, Q["runs"])
	list("/api/result?filter=project_id={Q}", "results", okOrRefused, nil, nil, Q["results"])
	list("/api/result?filter=run_id={Q.run}", "results", okOrRefused, nil, nil, Q["results"])
	list("/api/artifact?resultId={Q.result}", "artifacts", okOrRefused, nil, nil, Q["artifacts"])
	list("/api/artifact?runId={Q.run}", "artifacts", okOrRefused, nil, nil, Q["artifacts"])
	list("/api/import?filter=metadata.project_id={Q}", "imports", okOrRefused, nil, nil, Q["imports"])
	list("/api/project?filter=id={Q}", "projects", okOrRefused, nil, nil, Q["projects"])
	list("/api/dashboard?project_id={Q}", "dashboards", okOrRefused, nil, nil, Q["dashboards"])
	list("/api/dashboard?filter=project_id={Q}", "dashboards", okOrRefused, nil, nil, Q["dashboards"])
	list("/api/widget-config?filter=project_id={Q}", "widgets", okOrRefused, nil, nil, Q["widgets"])
	list("/api/widget-config?filter=dashboard_id={Q.dash}", "widgets", okOrRefused, nil, nil, Q["widgets"])
}

// checkForeignGets reads Q's objects (and the run and import without
// project) by id: refused for everyone but the superadmin.
func checkForeignGets(t *testing.T, f *isoFixture, who string) {
	for _, path := range []string{
		"/api/run/{Q.run}", "/api/run/{O.run}", "/api/run/{Q.run}/clusters", "/api/run/{O.run}/clusters", "/api/result/{Q.result}", "/api/result/{O.result}",
		"/api/artifact/{Q.artifact}", "/api/artifact/{Q.artifact}/view", "/api/artifact/{Q.artifact}/download",
		"/api/artifact/{Q.runArtifact}", "/api/import/{Q.import}", "/api/import/{G.import}",
		"/api/project/{Q}", "/api/project/filter-params/{Q}", "/api/dashboard/{Q.dash}", "/api/widget-config/{Q.widget}",
		"/api/widget/result-summary?project={Q}", "/api/user/token/{ownerQ.token}",
	} {
		r := f.Do("GET", f.expand(path), nil, f.tokens[who])
		if !containsInt(readRefused, r.Code) {
			t.Errorf("GET %s as %s: status %d, want one of %v: %s", path, who, r.Code, readRefused, trim(r.Body.String()))
		}
	}
}

// checkAsyncList pages past the synchronous limit as P's member: the
// query task lists exactly P's results, and another user polling the
// task learns nothing.
func checkAsyncList(t *testing.T, f *isoFixture, rows map[string]projectRows) {
	path := fmt.Sprintf("/api/result?pageSize=%d", f.App.Config.Limits.MaxPageSize+1)
	r := f.Do("GET", path, nil, f.tokens["member"])
	if r.Code != 201 {
		t.Fatalf("GET %s: %d %s", path, r.Code, r.Body)
	}
	task := "/api/task/" + fmt.Sprint(r.Map()["task_id"])
	deadline := time.Now().Add(20 * time.Second)
	var body map[string]any
	for {
		r = f.Do("GET", task, nil, f.tokens["member"])
		if r.Code == 200 {
			body = r.Map()
			break
		}
		if r.Code != 206 || time.Now().After(deadline) {
			t.Fatalf("GET %s: %d %s", task, r.Code, r.Body)
		}
		time.Sleep(50 * time.Millisecond)
	}
	var ids []string
	for _, it := range body["results"].([]any) {
		ids = append(ids, fmt.Sprint(it.(map[string]any)["id"]))
	}
	sort.Strings(ids)
	if strings.Join(ids, ",") != strings.Join(sorted(rows["P"]["results"]), ",") {
		t.Errorf("async result list as member: %s, want exactly %s", f.describe(ids), f.describe(sorted(rows["P"]["results"])))
	}
	if r := f.Do("GET", task, nil, f.tokens["outsider"]); r.Code == 200 || strings.Contains(r.Body.String(), "results") {
		t.Errorf("outsider reads the member's query task: %d %s", r.Code, trim(r.Body.String()))
	}
}

func sep(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}

func sorted(s []string) []string {
	out := append([]string{}, s...)
	sort.Strings(out)
	return out
}

func set(s []string) map[string]bool {
	m := make(map[string]bool, len(s))
	for _, v := range s {
		m[v] = true
	}
	return m
}
