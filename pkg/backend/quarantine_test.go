package backend_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// TestQuarantineThroughTheAPI: the quarantined marker and run count after
// POST/PUT result and a JUnit import, when the list changes, the CI text
// with an API token, bad input, and foreign ids (database checked after).
func TestQuarantineThroughTheAPI(t *testing.T) {
	eachDB(t, func(t *testing.T, sqlite bool) {
		e := backendtest.New(t, backendtest.Options{SQLite: sqlite})
		owner := e.CreateUser("qowner@example.com", "pw", false)
		other := e.CreateUser("qother@example.com", "pw", false)
		tok, otherTok := e.TokenFor(owner), e.TokenFor(other)
		do := e.DoSpec
		p := do("POST", "/api/project", map[string]any{"name": "qp", "title": "QP"}, tok, 201).Map()["id"].(string)
		q := do("POST", "/api/project", map[string]any{"name": "qq", "title": "QQ"}, otherTok, 201).Map()["id"].(string)
		base := "/api/project/" + p + "/quarantine"
		run := do("POST", "/api/run", map[string]any{"metadata": map[string]any{"project": p}}, tok, 201).Map()["id"].(string)
		result := func(testID, outcome string) string {
			return do("POST", "/api/result", map[string]any{"test_id": testID, "result": outcome,
				"metadata": map[string]any{"project": p, "run": run, "fspath": "tests/test_api.py"}}, tok, 201).Map()["id"].(string)
		}
		runCount := func() float64 {
			t.Helper()
			m := do("GET", "/api/run/"+run, nil, tok, 200).Map()
			if s, _ := m["summary"].(map[string]any); s != nil {
				if _, ok := s["quarantined"]; ok {
					t.Errorf("summary carries our key: %v", s)
				}
			}
			return m["quarantined"].(float64)
		}
		a := result("TestApi.test_a", "failed")
		if m := do("GET", "/api/result/"+a, nil, tok, 200).Map(); m["quarantined"] != false {
			t.Fatalf("before quarantine: %v", m["quarantined"])
		}
		entry := do("POST", base, map[string]any{"pattern": "TestApi.test_a", "reason": "flaky"}, tok, 201).Map()
		if entry["owner"] != "qowner@example.com" || entry["kind"] != "exact" || entry["active"] != true {
			t.Fatalf("entry %v", entry)
		}
		// Marked at once, on the single result, lists and the run.
		if m := do("GET", "/api/result/"+a, nil, tok, 200).Map(); m["quarantined"] != true {
			t.Fatalf("GET result: %v", m["quarantined"])
		}
		b := result("TestApi.test_a", "error")
		do("POST", base, map[string]any{"pattern": "TestApi.test_b*", "reason": "slow"}, tok, 201)
		c := result("TestApi.test_b[x]", "failed")
		result("TestApi.test_c", "failed")
		result("TestApi.test_b[y]", "passed")
		list := do("GET", "/api/result?filter=run_id="+run+"&pageSize=50", nil, tok, 200).Map()["results"].([]any)
		marked := 0
		for _, x := range list {
			if x.(map[string]any)["quarantined"] == true {
				marked++
			}
		}
		if marked != 3 || runCount() != 3 {
			t.Fatalf("marked %d, run count %v", marked, runCount())
		}
		runs := do("GET", "/api/run?filter=project_id="+p, nil, tok, 200).Map()["runs"].([]any)
		if runs[0].(map[string]any)["quarantined"] != 3.0 {
			t.Fatalf("run list: %v", runs[0])
		}
		// PUT result: a pass is no quarantined failure.
		do("PUT", "/api/result/"+c, map[string]any{"result": "passed"}, tok, 200)
		if n := runCount(); n != 2 {
			t.Fatalf("after PUT: %v", n)
		}
		_ = b
		// The list changes: counts follow (computed when read).
		do("PUT", base+"/"+entry["id"].(string), map[string]any{"pattern": "TestApi.test_zzz"}, tok, 200)
		if n := runCount(); n != 0 {
			t.Fatalf("after changing the pattern: %v", n)
		}
		do("PUT", base+"/"+entry["id"].(string), map[string]any{"pattern": "TestApi.test_a"}, tok, 200)
		// JUnit import into the project.
		xml := `<testsuite name="s" tests="2"><testcase classname="tests.api.TestImport" name="test_timeout"><failure message="boom">Traceback</failure></testcase><testcase classname="tests.api.TestImport" name="test_ok"/></testsuite>`
		do("POST", base, map[string]any{"pattern": "*test_timeout", "reason": "env"}, tok, 201)
		r := postMultipart(e, "/api/import", map[string]string{"project": p}, "importFile", "r.xml", []byte(xml), tok)
		if r.Code != 202 {
			t.Fatalf("import: %d %s", r.Code, r.Body)
		}
		imported := waitImportDone(t, e, r.Map()["id"].(string))
		irun := imported["metadata"].(map[string]any)["run_id"].([]any)[0].(string)
		failed := do("GET", "/api/result?filter=run_id="+irun+"&filter=result=failed", nil, tok, 200).Map()["results"].([]any)
		if len(failed) != 1 || failed[0].(map[string]any)["quarantined"] != true {
			t.Fatalf("imported failure %v (import %v)", failed, imported)
		}
		if m := do("GET", "/api/run/"+irun, nil, tok, 200).Map(); m["quarantined"] != 1.0 {
			t.Fatalf("imported run: %v", m["quarantined"])
		}
		// The CI text, with an API token.
		api := do("POST", "/api/user/token", map[string]any{"name": "ci", "expires": "2099-01-01T00:00:00Z"}, tok, 201).Map()["token"].(string)
		txt := do("GET", base+".txt", nil, api, 200)
		if ct := txt.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
			t.Errorf("content type %q", ct)
		}
		if !strings.Contains(txt.Body.String(), "\ntests/test_api.py::TestApi::test_a\n") || !strings.Contains(txt.Body.String(), "# glob: not expanded") {
			t.Errorf("text:\n%s", txt.Body)
		}
		// Bad input: 400 naming the field.
		for _, bad := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"pattern": "***", "reason": "r"}, "pattern"},
			{map[string]any{"pattern": "x", "reason": ""}, "reason"},
			{map[string]any{"pattern": "x", "reason": "r", "expires": "soon"}, "expires"},
			{map[string]any{"pattern": strings.Repeat("x", 256), "reason": "r"}, "pattern"},
			{map[string]any{"pattern": "TestApi.test_a", "reason": "again"}, "pattern"},
			{map[string]any{"pattern": 5, "reason": "r"}, "pattern"},
		} {
			r := do("POST", base, bad.body, tok, 400)
			if !strings.Contains(r.Body.String(), bad.field) {
				t.Errorf("%v: %s does not name %s", bad.body, r.Body, bad.field)
			}
		}
		do("POST", "/api/project/nope/quarantine", map[string]any{"pattern": "x", "reason": "r"}, tok, 400)
		do("PUT", base+"/nope", map[string]any{"reason": "r"}, tok, 400)
		// Foreign ids: their entry through my project, my entry through theirs.
		theirs := do("POST", "/api/project/"+q+"/quarantine", map[string]any{"pattern": "theirs", "reason": "r"}, otherTok, 201).Map()["id"].(string)
		do("PUT", base+"/"+theirs, map[string]any{"reason": "mine"}, tok, 404)
		do("DELETE", base+"/"+theirs, nil, tok, 404)
		do("POST", "/api/project/"+q+"/quarantine", map[string]any{"pattern": "planted", "reason": "r"}, tok, 403)
		do("PUT", "/api/project/"+q+"/quarantine/"+entry["id"].(string), map[string]any{"reason": "x"}, tok, 403)
		do("DELETE", "/api/project/"+q+"/quarantine/"+theirs, nil, tok, 403)
		do("GET", "/api/project/"+q+"/quarantine.txt", nil, tok, 401)
		var rows []struct {
			Pattern, Reason string
		}
		if err := e.App.DB.Gorm.Raw("SELECT pattern, reason FROM ibutsu_quarantine WHERE project_id = ? ORDER BY pattern", q).Scan(&rows).Error; err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || rows[0].Pattern != "theirs" || rows[0].Reason != "r" {
			t.Fatalf("their entries now %+v", rows)
		}
		do("DELETE", base+"/"+entry["id"].(string), nil, tok, 200)
		if n := runCount(); n != 0 {
			t.Fatalf("after delete: %v", n)
		}
	})
}

func waitImportDone(t *testing.T, e *backendtest.Env, id string) map[string]any {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		m := e.Do("GET", "/api/import/"+id, nil, e.AdminToken).Map()
		if st := m["status"]; st == "done" || st == "error" {
			if st != "done" {
				t.Fatalf("import %v", m)
			}
			return m
		}
		if time.Now().After(deadline) {
			t.Fatalf("import %s stuck: %v", id, m)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
