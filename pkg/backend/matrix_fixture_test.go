package backend_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/backend/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/model"
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
	f.T.Helper()
	if r.Code >= 300 {
		f.T.Fatalf("fixture %s: %d %s", what, r.Code, r.Body)
	}
	return r.Map()
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
func (f *isoFixture) expandAny(v any) any {
	switch x := v.(type) {
	case string:
		return f.expand(x)
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			out[k] = f.expandAny(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = f.expandAny(e)
		}
		return out
	}
	return v
}

// multipart posts a form with one file part.
func (f *isoFixture) multipart(path string, fields map[string]string, fileField, filename string, file []byte, token string) *backendtest.Response {
	buf := &bytes.Buffer{}
	w := multipart.NewWriter(buf)
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		w.WriteField(k, fields[k])
	}
	fw, _ := w.CreateFormFile(fileField, filename)
	fw.Write(file)
	w.Close()
	req := httptest.NewRequest("POST", path, buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return f.Serve(req)
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

// tarGz builds an archive from name/content pairs.
func tarGz(t testing.TB, files ...[2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, f := range files {
		if err := tw.WriteHeader(&tar.Header{Name: f[0], Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(f[1]))}); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(f[1]))
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

// ---- database snapshots ----

// snapshot is every row of the tenant-relevant tables, read by SQL, as
// canonical JSON by key ("runs/<id>"), with the owners each row belongs to
// ("proj:<id>", "global", "orphan", "user:<id>"). A result belongs to its
// project and to its run's owner; an artifact to its result's or run's
// owners; a widget config to its project and its dashboard's owner.
type snapshot struct {
	rows   map[string]string
	owners map[string][]string
	// members maps a user id to the projects they own or are a member of.
	members map[string]map[string]bool
}

// snap recomputes every run's summary first (the recomputation is
// idempotent and otherwise runs seconds later in the background), so the
// effect of a write on a run's summary, duration, env or source is seen
// at once and a late background task cannot change a later snapshot.
func (f *isoFixture) snap() *snapshot {
	f.T.Helper()
	ctx := context.Background()
	g := f.App.DB.Gorm
	var runIDs []uuid.UUID
	if err := g.Model(&model.Run{}).Pluck("id", &runIDs).Error; err != nil {
		f.T.Fatal(err)
	}
	for _, id := range runIDs {
		if err := f.App.Services.Summaries.Recompute(ctx, id); err != nil {
			f.T.Fatalf("recompute %s: %v", id, err)
		}
	}
	s := &snapshot{rows: map[string]string{}, owners: map[string][]string{}, members: map[string]map[string]bool{}}
	add := func(key string, row any, owners ...string) {
		b, err := json.Marshal(row)
		if err != nil {
			f.T.Fatal(err)
		}
		s.rows[key], s.owners[key] = string(b), owners
	}
	proj := func(p *uuid.UUID, none string) string {
		if p == nil {
			return none
		}
		return "proj:" + p.String()
	}
	load := func(dst any) {
		if err := g.Find(dst).Error; err != nil {
			f.T.Fatal(err)
		}
	}
	member := func(u uuid.UUID, p string) {
		if s.members[u.String()] == nil {
			s.members[u.String()] = map[string]bool{}
		}
		s.members[u.String()]["proj:"+p] = true
	}
	var projects []model.Project
	load(&projects)
	for _, p := range projects {
		add("projects/"+p.ID.String(), p, "proj:"+p.ID.String())
		if p.OwnerID != nil {
			member(*p.OwnerID, p.ID.String())
		}
	}
	var ups []model.UserProject
	load(&ups)
	for _, up := range ups {
		add("users_projects/"+up.UserID.String()+"/"+up.ProjectID.String(), up, "proj:"+up.ProjectID.String())
		member(up.UserID, up.ProjectID.String())
	}
	var runs []model.Run
	load(&runs)
	runOwner := map[uuid.UUID]string{}
	for _, r := range runs {
		runOwner[r.ID] = proj(r.ProjectID, "orphan")
		add("runs/"+r.ID.String(), r, runOwner[r.ID])
	}
	var results []model.Result
	load(&results)
	resOwners := map[uuid.UUID][]string{}
	for _, r := range results {
		o := []string{proj(r.ProjectID, "orphan")}
		if r.RunID != nil {
			if ro, ok := runOwner[*r.RunID]; ok {
				o = append(o, ro)
			}
		}
		resOwners[r.ID] = o
		add("results/"+r.ID.String(), r, o...)
	}
	var arts []model.Artifact
	load(&arts)
	for _, a := range arts {
		var o []string
		if a.ResultID != nil {
			o = append(o, resOwners[*a.ResultID]...)
		}
		if a.RunID != nil {
			o = append(o, runOwner[*a.RunID])
		}
		if len(o) == 0 {
			o = []string{"orphan"}
		}
		add("artifacts/"+a.ID.String(), a, o...)
	}
	var dashes []model.Dashboard
	load(&dashes)
	dashOwner := map[uuid.UUID]string{}
	for _, d := range dashes {
		dashOwner[d.ID] = proj(d.ProjectID, "global")
		add("dashboards/"+d.ID.String(), d, dashOwner[d.ID])
	}
	var wcs []model.WidgetConfig
	load(&wcs)
	for _, w := range wcs {
		o := []string{proj(w.ProjectID, "global")}
		if w.DashboardID != nil {
			if do, ok := dashOwner[*w.DashboardID]; ok {
				o = append(o, do)
			}
		}
		add("widget_configs/"+w.ID.String(), w, o...)
	}
	var groups []model.Group
	load(&groups)
	for _, gr := range groups {
		add("groups/"+gr.ID.String(), gr, "global")
	}
	var imps []model.Import
	load(&imps)
	for _, im := range imps {
		o := "orphan"
		if p, ok := im.Data["project_id"].(string); ok && p != "" {
			o = "proj:" + p
		}
		add("imports/"+im.ID.String(), im, o)
	}
	var users []model.User
	load(&users)
	for _, u := range users {
		add("users/"+u.ID.String(), u, "user:"+u.ID.String())
	}
	var toks []model.Token
	load(&toks)
	for _, tk := range toks {
		o := "orphan"
		if tk.UserID != nil {
			o = "user:" + tk.UserID.String()
		}
		add("tokens/"+tk.ID.String(), tk, o)
	}
	return s
}

// restoreTables are the snapshot's tables in an order that satisfies
// their foreign keys when rows are put back (deletes run in reverse).
var restoreTables = []struct {
	name string
	row  func() any
}{
	{"users", func() any { return &model.User{} }},
	{"groups", func() any { return &model.Group{} }},
	{"projects", func() any { return &model.Project{} }},
	{"users_projects", func() any { return &model.UserProject{} }},
	{"runs", func() any { return &model.Run{} }},
	{"results", func() any { return &model.Result{} }},
	{"artifacts", func() any { return &model.Artifact{} }},
	{"dashboards", func() any { return &model.Dashboard{} }},
	{"widget_configs", func() any { return &model.WidgetConfig{} }},
	{"imports", func() any { return &model.Import{} }},
	{"tokens", func() any { return &model.Token{} }},
}

// restore puts the database back to the snapshot want (from the current
// state now): rows added since are deleted, changed or deleted rows are
// written back. Each case of a section then starts from the same state,
// so one wrongly accepted write cannot cascade into the next cases.
// Circular references (a project's default dashboard) are resolved by
// retrying the operations that failed until none is left.
func (f *isoFixture) restore(want, now *snapshot) {
	f.T.Helper()
	keys := changed(want, now)
	if len(keys) == 0 {
		return
	}
	var ops []func() error
	g := f.App.DB.Gorm
	// A project and its default dashboard point at each other: unhook
	// every changed project first (its wanted state is written back below).
	for _, k := range keys {
		if id, ok := strings.CutPrefix(k, "projects/"); ok {
			if _, exists := now.rows[k]; exists {
				if err := g.Model(&model.Project{}).Where("id = ?", id).Update("default_dashboard_id", nil).Error; err != nil {
					f.T.Fatal(err)
				}
			}
		}
	}
	for i := len(restoreTables) - 1; i >= 0; i-- {
		tb := restoreTables[i]
		for _, k := range keys {
			if _, ok := want.rows[k]; ok || !strings.HasPrefix(k, tb.name+"/") {
				continue
			}
			row := tb.row()
			if err := json.Unmarshal([]byte(now.rows[k]), row); err != nil {
				f.T.Fatal(err)
			}
			ops = append(ops, func() error { return g.Delete(row).Error })
		}
	}
	for _, tb := range restoreTables {
		for _, k := range keys {
			v, ok := want.rows[k]
			if !ok || !strings.HasPrefix(k, tb.name+"/") {
				continue
			}
			row := tb.row()
			if err := json.Unmarshal([]byte(v), row); err != nil {
				f.T.Fatal(err)
			}
			if _, existed := now.rows[k]; existed {
				ops = append(ops, func() error { return g.Save(row).Error })
			} else {
				ops = append(ops, func() error { return g.Create(row).Error })
			}
		}
	}
	for len(ops) > 0 {
		var failed []func() error
		var last error
		for _, op := range ops {
			if err := op(); err != nil {
				failed, last = append(failed, op), err
			}
		}
		if len(failed) == len(ops) {
			f.T.Fatalf("cannot restore the fixture: %v", last)
		}
		ops = failed
	}
	f.App.Services.Projects.InvalidateCaches()
	if still := changed(want, f.snap()); len(still) > 0 {
		f.T.Fatalf("fixture not restored: %s", f.describe(still))
	}
}

// invariants lists the rows that break the tenancy rule whatever the
// caller: a result's project is its run's project, a widget config's
// project is its dashboard's, and a project's default dashboard is one of
// its own.
func invariants(s *snapshot) []string {
	runs, dashes := map[string]*uuid.UUID{}, map[string]*uuid.UUID{}
	for k, v := range s.rows {
		switch {
		case strings.HasPrefix(k, "runs/"):
			var r model.Run
			_ = json.Unmarshal([]byte(v), &r)
			runs[r.ID.String()] = r.ProjectID
		case strings.HasPrefix(k, "dashboards/"):
			var d model.Dashboard
			_ = json.Unmarshal([]byte(v), &d)
			dashes[d.ID.String()] = d.ProjectID
		}
	}
	same := func(a, b *uuid.UUID) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }
	var bad []string
	for k, v := range s.rows {
		switch {
		case strings.HasPrefix(k, "results/"):
			var r model.Result
			_ = json.Unmarshal([]byte(v), &r)
			if p, ok := runs[fmt.Sprint(r.RunID)]; r.RunID != nil && ok && !same(p, r.ProjectID) {
				bad = append(bad, k+" (not its run's project)")
			}
		case strings.HasPrefix(k, "widget_configs/"):
			var w model.WidgetConfig
			_ = json.Unmarshal([]byte(v), &w)
			if p, ok := dashes[fmt.Sprint(w.DashboardID)]; w.DashboardID != nil && ok && !same(p, w.ProjectID) {
				bad = append(bad, k+" (not its dashboard's project)")
			}
		case strings.HasPrefix(k, "projects/"):
			var p model.Project
			_ = json.Unmarshal([]byte(v), &p)
			if d, ok := dashes[fmt.Sprint(p.DefaultDashboardID)]; p.DefaultDashboardID != nil && ok && !same(d, &p.ID) {
				bad = append(bad, k+" (default dashboard of another project)")
			}
		}
	}
	sort.Strings(bad)
	return bad
}

// changed lists the keys whose rows differ between two snapshots (added,
// removed or changed), sorted.
func changed(before, after *snapshot) []string {
	var out []string
	for k, v := range before.rows {
		if after.rows[k] != v {
			out = append(out, k)
		}
	}
	for k := range after.rows {
		if _, ok := before.rows[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// trespass lists the changed rows that belong to anything the caller may
// not write: a project the caller neither owns nor is a member of (before
// the request; a project the request created for the caller counts as
// theirs), a global or project-less row, or another user's account.
func trespass(before, after *snapshot, caller uuid.UUID) []string {
	mine := map[string]bool{"user:" + caller.String(): true}
	for p := range before.members[caller.String()] {
		mine[p] = true
	}
	for p := range after.members[caller.String()] {
		if _, existed := before.rows["projects/"+strings.TrimPrefix(p, "proj:")]; !existed {
			mine[p] = true
		}
	}
	var out []string
	for _, k := range changed(before, after) {
		for _, o := range append(append([]string{}, before.owners[k]...), after.owners[k]...) {
			if !mine[o] {
				out = append(out, k+" ("+o+")")
				break
			}
		}
	}
	return out
}

// describe names the owners of a trespass list in fixture terms.
func (f *isoFixture) describe(keys []string) string {
	names := map[string]string{}
	for k, v := range f.ids {
		if len(v) == 36 { // ids only: names and e-mails are too short to replace safely
			names[v] = k
		}
	}
	var out []string
	for _, k := range keys {
		for v, n := range names {
			k = strings.ReplaceAll(k, v, n)
		}
		out = append(out, k)
	}
	return strings.Join(out, ", ")
}
