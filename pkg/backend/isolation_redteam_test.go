package backend_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// rtAttack is one request of a user of P (member or owner of P only)
// against project Q, and the statuses it may get. Every attack must leave the
// database as it was (refused) or change only P's rows (accepted), keep
// the tenancy invariants, and never answer with one of Q's ids or
// contents.
type rtAttack struct {
	name, method, path string
	body               any
	form               map[string]string // multipart with a file when set
	want               []int
}

var (
	rtRefused = []int{400, 401, 403, 404}
	rtAny     = []int{200, 201, 202, 204, 400, 401, 403, 404}
)

// rtAttacks are the foreign ids, filters and body fields the other
// isolation tables (TestMatrixWrites, TestMatrixReads, TestSession6*) do
// not try: filter operators other than `=` on project_id, run_id and id;
// foreign ids beside own ones in one request; a project named by name
// rather than id; id fields in update bodies; the widgets that read runs
// by id or by filter; the series lookup of "previous run".
var rtAttacks = []rtAttack{
	// Lists: filter operators that could widen the project scope.
	{name: "results, project_id not P", method: "GET", path: "/api/result?filter=project_id!{P}", want: []int{200, 400, 403}},
	{name: "results, project_id in P;Q", method: "GET", path: "/api/result?filter=project_id*{P};{Q}", want: []int{200, 400, 403}},
	{name: "results, project_id regex", method: "GET", path: "/api/result?filter=project_id~.*", want: []int{200, 400, 403}},
	{name: "results, project_id missing", method: "GET", path: "/api/result?filter=project_id@n", want: []int{200, 400, 403}},
	{name: "results, run_id in own;foreign", method: "GET", path: "/api/result?filter=run_id*{P.run};{Q.run}", want: []int{200, 400, 403}},
	{name: "results, id of Q", method: "GET", path: "/api/result?filter=id={Q.result}", want: []int{200, 400, 403}},
	{name: "results, metadata.project of Q", method: "GET", path: "/api/result?filter=metadata.project={Q}", want: []int{200, 400, 403}},
	{name: "results async, project_id in P;Q", method: "GET", path: "/api/result?pageSize={big}&filter=project_id*{P};{Q}", want: []int{201, 400, 403}},
	{name: "results async, project_id not P", method: "GET", path: "/api/result?pageSize={big}&filter=project_id!{P}", want: []int{201, 400, 403}},
	{name: "runs async, project_id regex", method: "GET", path: "/api/run?pageSize={big}&filter=project_id~.", want: []int{201, 400, 403}},
	{name: "runs, project_id not P", method: "GET", path: "/api/run?filter=project_id!{P}", want: []int{200, 400, 403}},
	{name: "runs, project_id in P;Q", method: "GET", path: "/api/run?filter=project_id*{P};{Q}", want: []int{200, 400, 403}},
	{name: "runs, id of Q", method: "GET", path: "/api/run?filter=id={Q.run}", want: []int{200, 400, 403}},
	{name: "runs, metadata.env of Q", method: "GET", path: "/api/run?filter=env=env-Q", want: []int{200, 400, 403}},
	{name: "artifacts, own run and Q's result", method: "GET", path: "/api/artifact?runId={P.run}&resultId={Q.result}", want: []int{200, 400, 403, 404}},
	{name: "artifacts, Q's result spelt result_id", method: "GET", path: "/api/artifact?result_id={Q.result}", want: []int{200, 400, 403, 404}},
	{name: "imports, filter on Q's id", method: "GET", path: "/api/import?filter=id={Q.import}", want: []int{200, 400, 403}},
	{name: "projects, name of Q", method: "GET", path: "/api/project?filter=name=q", want: []int{200, 400, 403}},
	{name: "projects, name not P", method: "GET", path: "/api/project?filter=name!p", want: []int{200, 400, 403}},
	{name: "dashboards, project_id not P", method: "GET", path: "/api/dashboard?filter=project_id!{P}", want: []int{200, 400, 403}},
	{name: "widget configs, project_id not P", method: "GET", path: "/api/widget-config?filter=project_id!{P}", want: []int{200, 400, 403}},
	{name: "flaky, no project", method: "GET", path: "/api/flaky", want: []int{200, 400, 403}},
	{name: "flaky, own project and Q's filter", method: "GET", path: "/api/flaky?project={P}&filter=project_id={Q}", want: []int{200, 400, 403}},
	{name: "filter params of Q", method: "GET", path: "/api/project/filter-params/{Q}", want: rtRefused},
	{name: "previous of own run", method: "GET", path: "/api/run/{P.run}/previous", want: []int{204}},
	{name: "previous of Q's run", method: "GET", path: "/api/run/{Q.run}/previous", want: rtRefused},
	{name: "own result with annotations", method: "GET", path: "/api/result/{P.result}", want: []int{200}},
	{name: "own run clusters", method: "GET", path: "/api/run/{P.run}/clusters", want: []int{200}},

	// Widgets that read runs by id or by filter.
	{name: "accessibility chart of Q's run", method: "GET", path: "/api/widget/accessibility-bar-chart?run_list={Q.run}", want: rtRefused},
	{name: "accessibility chart of own and Q's run", method: "GET", path: "/api/widget/accessibility-bar-chart?run_list={P.run}&run_list={Q.run}", want: rtRefused},
	{name: "accessibility chart of Q's run after an unknown one", method: "GET", path: "/api/widget/accessibility-bar-chart?run_list={random}&run_list={Q.run}", want: rtRefused},
	{name: "run matrix, project_id not P", method: "GET", path: "/api/widget/run-matrix?additional_filters=project_id!{P}", want: []int{200, 400, 403}},
	{name: "run matrix, no project", method: "GET", path: "/api/widget/run-matrix", want: []int{200, 400}},
	{name: "run matrix, id of Q's run", method: "GET", path: "/api/widget/run-matrix?additional_filters=id={Q.run}", want: []int{200, 400, 403}},
	{name: "filter heatmap, Q's run", method: "GET", path: "/api/widget/filter-heatmap?additional_filters=id={Q.run}&builds=5&group_field=component", want: []int{200, 400, 403}},
	{name: "filter heatmap, Q by name", method: "GET", path: "/api/widget/filter-heatmap?additional_filters=metadata.project=q&builds=5&group_field=component", want: []int{200, 400, 403}},
	{name: "importance of Q", method: "GET", path: "/api/widget/importance-component?project={Q}", want: rtRefused},
	{name: "jenkins heatmap of Q", method: "GET", path: "/api/widget/jenkins-heatmap?project={Q}&job_name=x&builds=3&group_field=component", want: rtRefused},
	{name: "result aggregator, run_id of Q", method: "GET", path: "/api/widget/result-aggregator?group_field=run_id&additional_filters=run_id={Q.run}", want: []int{200, 400, 403}},
	{name: "result aggregator, no project, by id", method: "GET", path: "/api/widget/result-aggregator?group_field=id", want: []int{200, 400}},
	{name: "run aggregator, no project, by id", method: "GET", path: "/api/widget/run-aggregator?group_field=id&weeks=520", want: []int{200, 400}},
	{name: "compare runs, own run with itself", method: "GET", path: "/api/widget/compare-runs-view?base_run={P.run}&target_run={P.run}", want: []int{200, 400}},
	{name: "compare runs by filter of Q's run", method: "GET", path: "/api/widget/compare-runs-view?filters=run_id={Q.run}", want: []int{200, 400, 403, 404}},

	{name: "jenkins job view, filter project_id of Q", method: "GET", path: "/api/widget/jenkins-job-view?filter=project_id={Q}", want: []int{200, 400, 403}},
	{name: "jenkins job view, filter project_id not P", method: "GET", path: "/api/widget/jenkins-job-view?filter=project_id!{P}", want: []int{200, 400, 403}},
	{name: "jenkins job view, own project, filter project_id of Q", method: "GET", path: "/api/widget/jenkins-job-view?project={P}&filter=project_id={Q}", want: []int{200, 400, 403}},
	{name: "compare runs, filters of Q", method: "GET", path: "/api/widget/compare-runs-view?filters=project_id={Q}&filters=project_id={Q}", want: []int{200, 400, 403, 404}},

	// Bulk updates with filter operators.
	{name: "bulk runs, id of Q", method: "POST", path: "/api/runs/bulk-update?filter=id={Q.run}", body: map[string]any{"metadata": map[string]any{"pwned": 1}}, want: rtAny},
	{name: "bulk runs, project_id not P", method: "POST", path: "/api/runs/bulk-update?filter=project_id!{P}", body: map[string]any{"metadata": map[string]any{"pwned": 1}}, want: rtAny},
	{name: "bulk runs, project_id in P;Q", method: "POST", path: "/api/runs/bulk-update?filter=project_id*{P};{Q}", body: map[string]any{"metadata": map[string]any{"pwned": 1}}, want: rtAny},
	{name: "bulk runs, env of Q", method: "POST", path: "/api/runs/bulk-update?filter=env=env-Q", body: map[string]any{"metadata": map[string]any{"pwned": 1}}, want: rtAny},
	{name: "bulk results, project_id not P", method: "POST", path: "/api/results/bulk-update", body: map[string]any{"filter": []any{"project_id!{P}"}, "metadata": map[string]any{"classification": "pwned"}}, want: rtAny},
	{name: "bulk results, project_id in P;Q", method: "POST", path: "/api/results/bulk-update", body: map[string]any{"filter": []any{"project_id*{P};{Q}"}, "metadata": map[string]any{"classification": "pwned"}}, want: rtAny},
	{name: "bulk results, run_id in own;Q", method: "POST", path: "/api/results/bulk-update", body: map[string]any{"filter": []any{"run_id*{P.run};{Q.run}"}, "metadata": map[string]any{"classification": "pwned"}}, want: rtAny},
	{name: "bulk results, Q's cluster with own run", method: "POST", path: "/api/results/bulk-update",
		body: map[string]any{"cluster": map[string]any{"run_id": "{P.run}", "fingerprint": "x"}, "filter": []any{"run_id={Q.run}"}, "metadata": map[string]any{"classification": "pwned"}}, want: rtAny},
	{name: "bulk results, own ids and a Q filter", method: "POST", path: "/api/results/bulk-update",
		body: map[string]any{"ids": []any{"{P.result}"}, "filter": []any{"project_id={Q}"}, "metadata": map[string]any{"classification": "pwned"}}, want: rtAny},
	{name: "bulk results, metadata.project of Q", method: "POST", path: "/api/results/bulk-update",
		body: map[string]any{"ids": []any{"{P.result}"}, "metadata": map[string]any{"project": "{Q}"}}, want: rtAny},
	{name: "bulk results, metadata.run of Q", method: "POST", path: "/api/results/bulk-update",
		body: map[string]any{"ids": []any{"{P.result}"}, "metadata": map[string]any{"run": "{Q.run}"}}, want: rtAny},

	// Id fields in bodies.
	{name: "update own result: metadata.run of Q", method: "PUT", path: "/api/result/{P.result}", body: map[string]any{"metadata": map[string]any{"run": "{Q.run}"}}, want: rtAny},
	{name: "update own result: id of Q's result", method: "PUT", path: "/api/result/{P.result}", body: map[string]any{"id": "{Q.result}", "metadata": map[string]any{"classification": "x"}}, want: rtAny},
	{name: "update own result: metadata.project Q by name", method: "PUT", path: "/api/result/{P.result}", body: map[string]any{"metadata": map[string]any{"project": "q"}}, want: rtAny},
	{name: "update own run: id of Q's run", method: "PUT", path: "/api/run/{P.run}", body: map[string]any{"id": "{Q.run}", "metadata": map[string]any{"x": 1}}, want: rtAny},
	{name: "update own run: metadata.project Q by name", method: "PUT", path: "/api/run/{P.run}", body: map[string]any{"metadata": map[string]any{"project": "q"}}, want: rtAny},
	{name: "create result: Q by name", method: "POST", path: "/api/result", body: map[string]any{"test_id": "x", "result": "passed", "metadata": map[string]any{"project": "q"}}, want: rtRefused},
	{name: "create result: own run, metadata.project Q", method: "POST", path: "/api/result", body: map[string]any{"test_id": "x", "result": "passed", "run_id": "{P.run}", "metadata": map[string]any{"project": "{Q}"}}, want: rtAny},
	{name: "create result: own project_id, Q by name in metadata", method: "POST", path: "/api/result", body: map[string]any{"test_id": "x", "result": "passed", "project_id": "{P}", "metadata": map[string]any{"project": "q", "run": "{P.run}"}}, want: rtAny},
	{name: "create run: Q by name", method: "POST", path: "/api/run", body: map[string]any{"metadata": map[string]any{"project": "q"}}, want: rtRefused},
	{name: "create run: own project_id, Q in metadata", method: "POST", path: "/api/run", body: map[string]any{"project_id": "{P}", "metadata": map[string]any{"project": "{Q}"}}, want: rtAny},
	{name: "create project: id of Q", method: "POST", path: "/api/project", body: map[string]any{"id": "{Q}", "name": "x-{random}"}, want: rtRefused},
	{name: "create project: name of Q", method: "POST", path: "/api/project", body: map[string]any{"name": "q"}, want: rtRefused},
	{name: "update own profile: privileged keys", method: "PUT", path: "/api/user", body: map[string]any{"is_superadmin": true, "projects": []any{"{Q}"}, "group_id": "{G.group}", "id": "{ownerQ.id}"}, want: rtAny},
	{name: "create token: user of Q", method: "POST", path: "/api/user/token", body: map[string]any{"name": "x", "expires": "2099-01-01T00:00:00Z", "user_id": "{ownerQ.id}"}, want: rtAny},

	// Global rows named from P.
	{name: "update own project: global default dashboard", method: "PUT", path: "/api/project/{P}", body: map[string]any{"default_dashboard_id": "{G.dash}"}, want: rtAny},
	{name: "create widget config in P on the global dashboard", method: "POST", path: "/api/widget-config",
		body: map[string]any{"type": "widget", "widget": "result-summary", "title": "w", "params": map[string]any{}, "project": "{P}", "dashboard_id": "{G.dash}"}, want: rtAny},
	{name: "update own widget config: global dashboard", method: "PUT", path: "/api/widget-config/{P.widget}", body: map[string]any{"dashboard_id": "{G.dash}"}, want: rtAny},
	{name: "update global view: project P", method: "PUT", path: "/api/widget-config/{G.view}", body: map[string]any{"project": "{P}"}, want: rtAny},
	{name: "update global dashboard: project P", method: "PUT", path: "/api/dashboard/{G.dash}", body: map[string]any{"project_id": "{P}"}, want: rtAny},

	// Artifacts: a Q id beside an own one.
	{name: "artifact: own result, Q's run", method: "POST", path: "/api/artifact", form: map[string]string{"resultId": "{P.result}", "runId": "{Q.run}", "filename": "a.txt"}, want: rtAny},
	{name: "artifact: own run, Q's result", method: "POST", path: "/api/artifact", form: map[string]string{"runId": "{P.run}", "resultId": "{Q.result}", "filename": "a.txt"}, want: rtAny},
	{name: "artifact: Q's result spelt result_id", method: "POST", path: "/api/artifact", form: map[string]string{"result_id": "{Q.result}", "filename": "a.txt"}, want: rtRefused},
	{name: "artifact: own result, Q's result spelt result_id", method: "POST", path: "/api/artifact", form: map[string]string{"resultId": "{P.result}", "result_id": "{Q.result}", "filename": "a.txt"}, want: rtAny},
	{name: "artifact: additional metadata naming Q", method: "POST", path: "/api/artifact",
		form: map[string]string{"resultId": "{P.result}", "filename": "a.txt", "additionalMetadata": `{"project": "{Q}", "run_id": "{Q.run}", "result_id": "{Q.result}"}`}, want: rtAny},
	// Imports: the form names P, the body names Q.
	{name: "import into P with form metadata run of Q", method: "POST", path: "/api/import", form: map[string]string{"project": "{P}", "metadata": `{"run": "{Q.run}"}`}, want: rtAny},
	{name: "import into P with form metadata project_id of Q", method: "POST", path: "/api/import", form: map[string]string{"project": "{P}", "metadata": `{"project_id": "{Q}"}`}, want: rtAny},
}

// TestRedteamForeignIDs runs rtAttacks as P's member and as P's owner (each
// in P only) and checks each against the database and the answer.
func TestRedteamForeignIDs(t *testing.T) {
	eachDB(t, func(t *testing.T, sqlite bool) {
		f := newIsoFixture(t, sqlite)
		for _, who := range []string{"member", "owner"} {
			t.Run(who, func(t *testing.T) { runRedteam(t, f, who) })
		}
	})
}

// runRedteam runs rtAttacks as who, a member or the owner of P only.
func runRedteam(t *testing.T, f *isoFixture, who string) {
	caller, token := f.users[who].ID, f.tokens[who]
	// Q's ids and contents an answer must never carry.
	var secrets []string
	for _, k := range []string{"Q", "Q.run", "Q.result", "Q.result2", "Q.artifact", "Q.runArtifact", "Q.import", "Q.dash", "Q.widget", "Q.webhook", "Q.quarantine", "ownerQ.id"} {
		secrets = append(secrets, f.ids[k])
	}
	secrets = append(secrets, "log of Q", "console of Q", "suite-Q", "env-Q", "comp-Q", "https://ci/Q")
	base := f.snap()
	verbose := os.Getenv("IBUTSU_REDTEAM_PRINT") != ""
	for _, a := range rtAttacks {
		path := f.expand(strings.ReplaceAll(a.path, "{big}", fmt.Sprint(f.App.Config.Limits.MaxPageSize+1)))
		var r *backendtest.Response
		if a.form != nil {
			form := map[string]string{}
			for k, v := range a.form {
				form[k] = f.expand(v)
			}
			field, name, file := "file", "a.txt", []byte("attack")
			if strings.HasPrefix(path, "/api/import") {
				field, name, file = "importFile", "report.xml", junitXML("attack", nil)
			}
			r = f.multipart(path, form, field, name, file, token)
		} else {
			var body any
			if a.body != nil {
				body = f.expandAny(a.body)
			}
			r = f.Do(a.method, path, body, token)
		}
		body := r.Body.String()
		sent := path + fmt.Sprint(f.expandAny(a.body)) + fmt.Sprint(f.expandAny(toAny(a.form)))
		if r.Code == 201 && strings.Contains(body, "task_id") {
			body += " " + f.pollTask(t, fmt.Sprint(r.Map()["task_id"]), token)
		}
		if r.Code == 202 && strings.HasPrefix(path, "/api/import") {
			st := f.waitImport(r.Map()["id"].(string))
			b, _ := json.Marshal(st)
			body = string(b) + " " + body
		}
		if verbose {
			t.Logf("%s: %d %s", a.name, r.Code, trim(body))
		}
		if !containsInt(a.want, r.Code) {
			t.Errorf("%s (%s %s): status %d, want one of %v: %s", a.name, a.method, a.path, r.Code, a.want, trim(body))
		}
		// An id the request itself carried may be echoed back.
		for _, s := range secrets {
			if strings.Contains(body, s) && !strings.Contains(sent, s) {
				t.Errorf("%s (%s %s): the answer carries Q's %s: %s", a.name, a.method, a.path, f.describe([]string{s}), trim(body))
			}
		}
		after := f.snap()
		if r.Code >= 400 {
			if ch := changed(base, after); len(ch) > 0 {
				t.Errorf("%s: refused with %d but the database changed: %s", a.name, r.Code, f.describe(ch))
			}
		} else if tr := trespass(base, after, caller); len(tr) > 0 {
			t.Errorf("%s: rows outside P changed: %s", a.name, f.describe(tr))
		}
		if bad := invariants(after); len(bad) > 0 {
			t.Errorf("%s: the database breaks the tenancy invariants: %s", a.name, f.describe(bad))
		}
		var su struct{ IsSuperadmin bool }
		if err := f.App.DB.Gorm.Table("users").Select("is_superadmin").Where("id = ?", caller).Take(&su).Error; err != nil {
			t.Fatal(err)
		}
		if su.IsSuperadmin {
			t.Fatalf("%s: %s became a superadmin", a.name, who)
		}
		f.restore(base, after)
	}
}

// toAny makes a form a JSON-like value (nil when there is none).
func toAny(m map[string]string) any {
	if m == nil {
		return nil
	}
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// pollTask waits for a query task and returns its answer.
func (f *isoFixture) pollTask(t *testing.T, id, token string) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		r := f.Do("GET", "/api/task/"+id, nil, token)
		if r.Code == 200 {
			return r.Body.String()
		}
		if r.Code != 206 || time.Now().After(deadline) {
			t.Fatalf("task %s: %d %s", id, r.Code, r.Body)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestRedteamProjectStreamHearsOnlyItsProject: P's member listens on P's
// project stream and on P's run stream while Q's owner starts a run in
// Q, adds a result, finishes it and imports into Q; then the member
// finishes P's run. Everything heard up to that event, and what a resume
// from the first event replays, is P's alone.
func TestRedteamProjectStreamHearsOnlyItsProject(t *testing.T) {
	f := newIsoFixture(t, false)
	srv := httptest.NewServer(f.App.Router)
	t.Cleanup(func() { f.App.Services.Events.CloseSubscribers(); srv.Close() })
	member, ownerQ := f.tokens["member"], f.tokens["ownerQ"]
	bearer := []string{"Authorization", "Bearer " + member}
	projURL, runURL := srv.URL+"/api/project/"+f.ids["P"]+"/events", srv.URL+"/api/run/"+f.ids["P.run"]+"/events"
	code, proj := openStream(t, projURL, bearer...)
	if code != 200 {
		t.Fatalf("P's project stream: %d", code)
	}
	code, run := openStream(t, runURL, bearer...)
	if code != 200 {
		t.Fatalf("P's run stream: %d", code)
	}
	// An event of P first, so a resume has an id to start from.
	first := post(t, srv.URL, "/api/run", member, map[string]any{"metadata": map[string]any{"project": f.ids["P"]}})
	start := await(t, proj, "run.started")
	if start.data["id"] != first["id"] {
		t.Fatalf("first event %+v, want run.started of %v", start, first["id"])
	}
	// Q's activity.
	qRun := post(t, srv.URL, "/api/run", ownerQ, map[string]any{"metadata": map[string]any{"project": f.ids["Q"]}})["id"].(string)
	post(t, srv.URL, "/api/result", ownerQ, map[string]any{"test_id": "q-live", "result": "failed", "metadata": map[string]any{"project": f.ids["Q"], "run": qRun}})
	post(t, srv.URL, "/api/result", ownerQ, map[string]any{"test_id": "q-live-2", "result": "passed", "metadata": map[string]any{"project": f.ids["Q"], "run": f.ids["Q.run"]}})
	post(t, srv.URL, "/api/run/"+qRun+"/finish", ownerQ, nil)
	imp := f.multipart("/api/import", map[string]string{"project": f.ids["Q"]}, "importFile", "junit.xml", junitXML("suite-Q-live", nil), ownerQ)
	if imp.Code != 202 {
		t.Fatalf("Q's import: %d %s", imp.Code, imp.Body)
	}
	f.waitImport(imp.Map()["id"].(string))
	// P's marker: the streams are read up to it.
	post(t, srv.URL, "/api/run/"+f.ids["P.run"]+"/finish", member, nil)
	foreign := []string{f.ids["Q"], f.ids["Q.run"], qRun, "q-live", "suite-Q-live", imp.Map()["id"].(string)}
	check := func(name string, evs []sse) {
		t.Helper()
		for _, ev := range evs {
			b, _ := json.Marshal(ev.data)
			for _, s := range foreign {
				if strings.Contains(string(b), s) {
					t.Errorf("%s carries Q's %s: %s %s", name, s, ev.typ, b)
				}
			}
		}
	}
	until := func(c <-chan sse, typ, id string) []sse {
		t.Helper()
		var out []sse
		for ev := range c {
			out = append(out, ev)
			if ev.typ == typ && ev.data["id"] == id {
				return out
			}
		}
		t.Fatalf("stream ended before %s of %s", typ, id)
		return nil
	}
	check("P's project stream", until(proj, "run.finished", f.ids["P.run"]))
	check("P's run stream", until(run, "run.finished", f.ids["P.run"]))
	for name, u := range map[string]string{"project": projURL, "run": runURL} {
		_, again := openStream(t, u, append(bearer, "Last-Event-ID", strconv.FormatUint(start.id, 10))...)
		check("resumed "+name+" stream", until(again, "run.finished", f.ids["P.run"]))
	}
}

// TestRedteamImportNamesNoForeignID: an import that names another
// project by name only is refused, and its error repeats the name the file
// gave, never the project's id: P's member learns no more about Q than
// GET /api/project/q tells (upstream: 401, without the id).
func TestRedteamImportNamesNoForeignID(t *testing.T) {
	f := newIsoFixture(t, false)
	for _, c := range []struct {
		name, filename string
		form           map[string]string
		file           func(*testing.T, *isoFixture) []byte
	}{
		{"JUnit properties project", "report.xml", nil, junitFile(map[string]string{"project": "{Qname}"})},
		{"JUnit form metadata.project", "report.xml", map[string]string{"metadata": `{"project": "{Qname}"}`}, junitFile(nil)},
		{"archive run.json metadata.project", "run.tar.gz", nil, archiveFile("{random}", map[string]any{"id": "new", "metadata": map[string]any{"project": "{Qname}"}}, "{random}")},
		{"archive run.json project_id", "run.tar.gz", nil, archiveFile("{random}", map[string]any{"id": "new", "project_id": "{Qname}"}, "{random}")},
		{"archive form metadata.project", "run.tar.gz", map[string]string{"metadata": `{"project": "{Qname}"}`},
			archiveFile("{random}", map[string]any{"id": "new", "metadata": map[string]any{"env": "x"}}, "{random}")},
	} {
		t.Run(c.name, func(t *testing.T) {
			form := map[string]string{}
			for k, v := range c.form {
				form[k] = f.expand(v)
			}
			r := f.multipart("/api/import", form, "importFile", c.filename, c.file(t, f), f.tokens["member"])
			if r.Code != 202 {
				t.Fatalf("upload: %d %s", r.Code, r.Body)
			}
			st := f.waitImport(r.Map()["id"].(string))
			md, _ := st["metadata"].(map[string]any)
			msg := fmt.Sprint(md["error"])
			if st["status"] != "error" {
				t.Fatalf("import %v, want an error", st)
			}
			if strings.Contains(msg, f.ids["Q"]) {
				t.Errorf("the error names Q's id, given only its name: %q", msg)
			}
		})
	}
}
