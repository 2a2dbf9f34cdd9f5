package backend_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// isoFixture is the tenant-isolation fixture: two projects with real rows in
// both, so a request that crosses the boundary has something to read or
// break. P is owned by "owner" with "member"; Q is owned by "ownerQ" (a
// different user). Both hold a run, a result, a result artifact, a run
// artifact, a finished JUnit import (with its own run and results), a
// dashboard with a widget config, and are each other's foreign project.
// Beside them: a global dashboard and view, a group, a run without project
// (a run whose project was deleted) with a result, and an import without
// project. "outsider" is a member of neither; "superadmin" is the
// bootstrap superadmin.
type isoFixture struct {
	*backendtest.Env
	users  map[string]*model.User // by identity
	tokens map[string]string      // login token by identity
	ids    map[string]string      // placeholder (without braces) -> value
	repl   *strings.Replacer
}

// The identities of the write and read sections; "owner" owns P.
var isoIdentities = []string{"outsider", "member", "owner", "superadmin"}

func newIsoFixture(t *testing.T, sqlite bool) *isoFixture {
	t.Helper()
	e := backendtest.New(t, backendtest.Options{SQLite: sqlite})
	f := &isoFixture{Env: e, users: map[string]*model.User{}, tokens: map[string]string{}, ids: map[string]string{}}
	for _, who := range []string{"owner", "member", "ownerQ", "outsider", "spare"} {
		f.users[who] = e.CreateUser(strings.ToLower(who)+"@example.com", "pw", false)
		f.tokens[who] = e.TokenFor(f.users[who])
	}
	f.users["superadmin"], f.tokens["superadmin"] = e.Admin, e.AdminToken
	for who, u := range f.users {
		f.ids[who+".id"] = u.ID.String()
		f.ids[who+".email"] = u.Email
	}
	f.ids["P"] = f.must(e.Do("POST", "/api/project", map[string]any{"name": "p", "title": "P"}, f.tokens["owner"]), "project P")["id"].(string)
	f.must(e.Do("PUT", "/api/project/"+f.ids["P"], map[string]any{"users": []string{"member@example.com"}}, f.tokens["owner"]), "membership")
	f.ids["Q"] = f.must(e.Do("POST", "/api/project", map[string]any{"name": "q", "title": "Q"}, f.tokens["ownerQ"]), "project Q")["id"].(string)
	f.ids["Pname"], f.ids["Qname"] = "p", "q"
	for _, x := range []struct{ p, owner string }{{"P", "owner"}, {"Q", "ownerQ"}} {
		tok, pid := f.tokens[x.owner], f.ids[x.p]
		run := f.must(e.Do("POST", "/api/run", map[string]any{"metadata": map[string]any{"project": pid, "env": "env-" + x.p, "component": "comp-" + x.p,
			"jenkins": map[string]any{"build_url": "https://ci/" + x.p}}, "source": "src-" + x.p}, tok), x.p+" run")["id"].(string)
		f.ids[x.p+".run"] = run
		f.ids[x.p+".result"] = f.must(e.Do("POST", "/api/result", map[string]any{"test_id": "t-" + x.p, "result": "failed", "duration": 2,
			"metadata": map[string]any{"project": pid, "run": run}}, tok), x.p+" result")["id"].(string)
		f.ids[x.p+".result2"] = f.must(e.Do("POST", "/api/result", map[string]any{"test_id": "t2-" + x.p, "result": "passed", "duration": 1,
			"metadata": map[string]any{"project": pid, "run": run}}, tok), x.p+" result2")["id"].(string)
		f.ids[x.p+".artifact"] = f.must(f.multipart("/api/artifact", map[string]string{"resultId": f.ids[x.p+".result"], "filename": "log.txt"}, "file", "log.txt", []byte("log of "+x.p), tok), x.p+" artifact")["id"].(string)
		f.ids[x.p+".runArtifact"] = f.must(f.multipart("/api/artifact", map[string]string{"runId": run, "filename": "console.txt"}, "file", "console.txt", []byte("console of "+x.p), tok), x.p+" run artifact")["id"].(string)
		imp := f.must(f.multipart("/api/import", map[string]string{"project": pid}, "importFile", "junit.xml", junitXML("suite-"+x.p, nil), tok), x.p+" import")["id"].(string)
		f.ids[x.p+".import"] = imp
		if st := f.waitImport(imp); st["status"] != "done" {
			t.Fatalf("fixture import into %s: %v", x.p, st)
		}
		f.ids[x.p+".dash"] = f.must(e.Do("POST", "/api/dashboard", map[string]any{"title": "dash-" + x.p, "project_id": pid}, tok), x.p+" dashboard")["id"].(string)
		f.ids[x.p+".widget"] = f.must(e.Do("POST", "/api/widget-config", map[string]any{"type": "widget", "widget": "result-summary", "title": "w-" + x.p,
			"params": map[string]any{}, "project": pid, "dashboard_id": f.ids[x.p+".dash"]}, tok), x.p+" widget config")["id"].(string)
		f.must(e.Do("PUT", "/api/project/"+pid, map[string]any{"default_dashboard_id": f.ids[x.p+".dash"]}, tok), x.p+" default dashboard")
		f.ids[x.p+".webhook"] = f.must(e.Do("POST", "/api/project/"+pid+"/webhooks", webhookBody, tok), x.p+" webhook")["id"].(string)
		f.ids[x.p+".quarantine"] = f.must(e.Do("POST", "/api/project/"+pid+"/quarantine", map[string]any{"pattern": "t-" + x.p, "reason": "r"}, tok), x.p+" quarantine entry")["id"].(string)
	}
	sa := e.AdminToken
	f.ids["G.dash"] = f.must(e.Do("POST", "/api/dashboard", map[string]any{"title": "global dash"}, sa), "global dashboard")["id"].(string)
	f.ids["G.view"] = f.must(e.Do("POST", "/api/widget-config", map[string]any{"type": "view", "widget": "jenkins-job-view", "title": "Jenkins", "params": map[string]any{}}, sa), "global view")["id"].(string)
	f.ids["G.group"] = f.must(e.Do("POST", "/api/group", map[string]any{"name": "g"}, sa), "group")["id"].(string)
	imp := f.must(f.multipart("/api/import", nil, "importFile", "junit.xml", junitXML("suite-G", nil), sa), "import without project")["id"].(string)
	f.ids["G.import"] = imp
	if st := f.waitImport(imp); st["status"] != "done" {
		t.Fatalf("fixture import without project: %v", st)
	}
	// A run (and result) whose project was deleted: written directly, as
	// no API call makes one.
	orphan, orphanRes := uuid.New(), uuid.New()
	now := time.Now().UTC().Truncate(time.Second)
	src := "src-orphan"
	if err := e.App.DB.Gorm.Create(&model.Run{ID: orphan, Created: now, StartTime: now, Data: model.JSON{"env": "orphan"}, Source: &src}).Error; err != nil {
		t.Fatal(err)
	}
	tid, res := "t-orphan", "passed"
	if err := e.App.DB.Gorm.Create(&model.Result{ID: orphanRes, RunID: &orphan, TestID: &tid, Result: &res, StartTime: now, Data: model.JSON{"run": orphan.String()}}).Error; err != nil {
		t.Fatal(err)
	}
	f.ids["O.run"], f.ids["O.result"] = orphan.String(), orphanRes.String()
	for who, tok := range map[string]string{"outsider": f.tokens["outsider"], "member": f.tokens["member"], "owner": f.tokens["owner"], "superadmin": sa, "ownerQ": f.tokens["ownerQ"]} {
		f.ids[who+".token"] = f.must(e.Do("POST", "/api/user/token", map[string]any{"name": "ci", "expires": "2099-01-01T00:00:00Z"}, tok), who+" token")["id"].(string)
	}
	var pairs []string
	for k, v := range f.ids {
		pairs = append(pairs, "{"+k+"}", v)
	}
	f.repl = strings.NewReplacer(pairs...)
	return f
}

// must fails the test unless r is a success, and returns its JSON object.
func (f *isoFixture) must(r *backendtest.Response, what string) map[string]any {
	return mustOK(f.T, r, what)
}

// expand substitutes {placeholders}; {random} is a fresh UUID each time.
func (f *isoFixture) expand(s string) string {
	s = f.repl.Replace(s)
	for strings.Contains(s, "{random}") {
		s = strings.Replace(s, "{random}", uuid.NewString(), 1)
	}
	return s
}

// expandAny substitutes placeholders in every string of a JSON-like value.
func (f *isoFixture) expandAny(v any) any { return expandJSON(v, f.expand) }

// multipart posts a form with one file part.
func (f *isoFixture) multipart(path string, fields map[string]string, fileField, filename string, file []byte, token string) *backendtest.Response {
	return postMultipart(f.Env, path, fields, fileField, filename, file, token)
}

// waitImport polls an import (as superadmin) until it is done or error.
func (f *isoFixture) waitImport(id string) map[string]any {
	f.T.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		r := f.Do("GET", "/api/import/"+id, nil, f.AdminToken)
		if r.Code != 200 {
			f.T.Fatalf("get import %s: %d %s", id, r.Code, r.Body)
		}
		m := r.Map()
		if st := m["status"]; st == "done" || st == "error" {
			return m
		}
		if time.Now().After(deadline) {
			f.T.Fatalf("import %s stuck: %v", id, m)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// junitXML is a small JUnit report; props become <properties> of the suite
// (written with `key=`, the only attribute the importer reads, as upstream).
func junitXML(suite string, props map[string]string, caseProps ...string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<testsuite name=%q tests="2" timestamp="2024-06-01T12:00:00">`, suite)
	if len(props) > 0 {
		b.WriteString("<properties>")
		keys := make([]string, 0, len(props))
		for k := range props {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, `<property key=%q value=%q/>`, k, props[k])
		}
		b.WriteString("</properties>")
	}
	b.WriteString(`<testcase classname="a.b" name="ok" time="1"`)
	if len(caseProps) == 2 {
		fmt.Fprintf(&b, `><properties><property key=%q value=%q/></properties></testcase>`, caseProps[0], caseProps[1])
	} else {
		b.WriteString(`/>`)
	}
	b.WriteString(`<testcase classname="a.b" name="bad" time="2"><failure message="boom">trace</failure></testcase></testsuite>`)
	return []byte(b.String())
}
