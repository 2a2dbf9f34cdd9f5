package backend_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// TestBadInputPoisonedNumbers: a number no float64 holds is refused at write
// time with a 400 naming the field, in every JSON body that stores it, and
// nothing is stored (issue 17, finding 1).
func TestBadInputPoisonedNumbers(t *testing.T) {
	forBothDBs(t, func(t *testing.T, e *compatEnv) {
		runID := e.Do("POST", "/api/run", map[string]any{"metadata": map[string]any{"project": "p1"}}, e.UserToken).Map()["id"].(string)
		resID := e.Do("POST", "/api/result", map[string]any{"test_id": "t", "metadata": map[string]any{"project": "p1"}}, e.UserToken).Map()["id"].(string)
		cases := []struct{ method, path, body, field string }{
			{"POST", "/api/result", `{"test_id":"n","metadata":{"project":"p1","n":1e400}}`, "metadata.n"},
			{"POST", "/api/result", `{"test_id":"n","metadata":{"project":"p1","l":[1,-1e400]}}`, "metadata.l[1]"},
			{"POST", "/api/result", `{"test_id":"n","metadata":{"project":"p1"},"params":{"p":1e-400000}}`, "params.p"},
			{"POST", "/api/result", `{"test_id":"n","metadata":{"project":"p1"},"params":{"p":1e-320,"z":0e-300}}`, ""},
			{"POST", "/api/result", `{"test_id":"n","metadata":{"project":"p1"},"params":{"z":0e-999999}}`, "params.z"},
			{"POST", "/api/run", `{"metadata":{"project":"p1"},"summary":{"collected":1e400}}`, "summary.collected"},
			{"PUT", "/api/result/" + resID, `{"metadata":{"n":1e400}}`, "metadata.n"},
			{"PUT", "/api/run/" + runID, `{"metadata":{"n":1e400}}`, "metadata.n"},
			{"PUT", "/api/run/" + runID, `{"summary":{"collected":-1e400}}`, "summary.collected"},
			{"POST", "/api/results/bulk-update", `{"ids":["` + resID + `"],"metadata":{"n":1e400}}`, "metadata.n"},
			{"POST", "/api/runs/bulk-update?filter=project_id=" + e.p1, `{"metadata":{"n":1e400}}`, "metadata.n"},
		}
		for _, c := range cases {
			r := e.Do(c.method, c.path, c.body, e.UserToken)
			if c.field == "" { // a subnormal and a zero are representable
				if r.Code != 201 {
					t.Errorf("%s %s %s: %d %s, want 201", c.method, c.path, c.body, r.Code, r.Body)
				}
				continue
			}
			if r.Code != 400 || !strings.Contains(r.Body.String(), c.field) {
				t.Errorf("%s %s %s: %d %s, want a 400 naming %s", c.method, c.path, c.body, r.Code, r.Body, c.field)
			}
		}
		var n int64
		e.App.DB.Gorm.Raw(`SELECT count(*) FROM results WHERE test_id = 'n'`).Scan(&n)
		if n != 1 {
			t.Fatalf("%d results stored, want only the representable one", n)
		}
		// Every list, get and put still works.
		for _, p := range []string{"/api/result?filter=project_id=" + e.p1, "/api/run?filter=project_id=" + e.p1, "/api/result/" + resID, "/api/run/" + runID} {
			if r := e.Do("GET", p, nil, e.UserToken); r.Code != 200 {
				t.Fatalf("GET %s: %d %s", p, r.Code, r.Body)
			}
		}
	})
}

// TestResultStoredHugeNumberIsServed: a row another writer stored with a
// number beyond float64 (jsonb accepts 1e400) is still listed, read and
// updated; the number is served as its text (issue 17, finding 1).
func TestResultStoredHugeNumberIsServed(t *testing.T) {
	forBothDBs(t, func(t *testing.T, e *compatEnv) {
		pid := uuid.MustParse(e.p1)
		runID, resID := uuid.New(), uuid.New()
		now := time.Now().UTC()
		huge := `{"collected": 1e400, "tests": 1}`
		md := `{"project": "p1", "n": 1e400, "nested": {"m": [-1e400]}}`
		cast := ""
		if e.App.DB.Dialect == db.Postgres {
			cast = "::jsonb"
		}
		if err := e.App.DB.Gorm.Exec(`INSERT INTO runs (id, project_id, created, start_time, data, summary) VALUES (?, ?, ?, ?, ?`+cast+`, ?`+cast+`)`,
			runID, pid, now, now, md, huge).Error; err != nil {
			t.Fatal(err)
		}
		if err := e.App.DB.Gorm.Exec(`INSERT INTO results (id, project_id, run_id, test_id, result, start_time, data) VALUES (?, ?, ?, 'huge', 'passed', ?, ?`+cast+`)`,
			resID, pid, runID, now, md).Error; err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"/api/result?filter=project_id=" + e.p1, "/api/run?filter=project_id=" + e.p1,
			"/api/result/" + resID.String(), "/api/run/" + runID.String()} {
			r := e.Do("GET", p, nil, e.UserToken)
			if r.Code != 200 || !strings.Contains(r.Body.String(), `"n":"1`) {
				t.Fatalf("GET %s: %d %s", p, r.Code, r.Body)
			}
		}
		if r := e.Do("PUT", "/api/run/"+runID.String(), map[string]any{"metadata": map[string]any{"fixed": true}}, e.UserToken); r.Code != 200 {
			t.Fatalf("PUT run: %d %s", r.Code, r.Body)
		}
		if r := e.Do("PUT", "/api/result/"+resID.String(), map[string]any{"metadata": map[string]any{"fixed": true}}, e.UserToken); r.Code != 200 {
			t.Fatalf("PUT result: %d %s", r.Code, r.Body)
		}
		if err := e.App.Services.Summaries.Recompute(t.Context(), runID); err != nil {
			t.Fatalf("the run summary cannot be recomputed: %v", err)
		}
	})
}

// TestBadInputFieldLimitsAndNUL: indexed text over its documented limit and
// NUL characters in any field of any content type are a 400 naming the
// field, never a 500 (issue 17, finding 5).
func TestBadInputFieldLimitsAndNUL(t *testing.T) {
	forBothDBs(t, func(t *testing.T, e *compatEnv) {
		rid := e.Do("POST", "/api/result", map[string]any{"test_id": "t", "metadata": map[string]any{"project": "p1"}}, e.UserToken).Map()["id"].(string)
		mib := strings.Repeat("x", 1<<20)
		kb10 := strings.Repeat("é", 5000)
		cases := []struct {
			method, path string
			body         any
			field        string
		}{
			{"POST", "/api/result", map[string]any{"test_id": mib, "metadata": map[string]any{"project": "p1"}}, "test_id"},
			{"POST", "/api/result", map[string]any{"test_id": "t", "metadata": map[string]any{"project": "p1", "env": kb10}}, "metadata.env"},
			{"POST", "/api/result", map[string]any{"test_id": "t", "metadata": map[string]any{"project": "p1", "component": map[string]any{"x": kb10}}}, "metadata.component"},
			{"POST", "/api/result", map[string]any{"test_id": "t", "source": kb10, "metadata": map[string]any{"project": "p1"}}, "source"},
			{"POST", "/api/result", map[string]any{"test_id": "t", "metadata": map[string]any{"project": "p1", "jenkins": map[string]any{"job_name": kb10}}}, "metadata.jenkins.job_name"},
			{"PUT", "/api/result/" + rid, map[string]any{"test_id": mib}, "test_id"},
			{"POST", "/api/run", map[string]any{"metadata": map[string]any{"project": "p1", "component": kb10}}, "metadata.component"},
			{"POST", "/api/project", map[string]any{"name": kb10}, "name"},
			{"POST", "/api/project", map[string]any{"name": "ok", "title": kb10}, "title"},
			{"POST", "/api/dashboard", map[string]any{"title": kb10, "project_id": e.p1}, "title"},
			{"POST", "/api/result", map[string]any{"test_id": "a\x00b", "metadata": map[string]any{"project": "p1"}}, "test_id"},
			{"POST", "/api/result", map[string]any{"test_id": "t", "metadata": map[string]any{"project": "p1", "k": []any{"\x00"}}}, "metadata.k[0]"},
			{"GET", "/api/result?filter=test_id%3Da%00b", nil, "filter"},
			{"GET", "/api/run?page%00=1", nil, `page\\u0000`},
		}
		for _, c := range cases {
			r := e.Do(c.method, c.path, c.body, e.UserToken)
			if r.Code != 400 || !strings.Contains(r.Body.String(), c.field) {
				t.Errorf("%s %s [%s]: %d %.300s, want a 400 naming %s", c.method, c.path, c.field, r.Code, r.Body, c.field)
			}
		}
		// Exactly at the limit is fine.
		if r := e.Do("POST", "/api/result", map[string]any{"test_id": strings.Repeat("t", 2048), "metadata": map[string]any{"project": "p1", "env": strings.Repeat("e", 512)}}, e.UserToken); r.Code != 201 {
			t.Errorf("a test_id of 2048 bytes: %d %.300s", r.Code, r.Body)
		}

		// Multipart: artifacts and imports.
		post := func(path string, fields map[string]string, fileField, filename string) *backendtest.Response {
			return postMultipart(e.Env, path, fields, fileField, filename, []byte("<testsuite/>"), e.UserToken)
		}
		forms := []struct {
			path     string
			fields   map[string]string
			fileName string
			field    string
		}{
			{"/api/artifact", map[string]string{"resultId": rid, "filename": "a.txt", "additionalMetadata": `{"k":"a\u0000b"}`}, "a.txt", "additionalMetadata.k"},
			{"/api/artifact", map[string]string{"resultId": rid, "filename": "a.txt", "additionalMetadata": `{"n":1e400}`}, "a.txt", "additionalMetadata.n"},
			{"/api/artifact", map[string]string{"resultId": rid, "filename": "a\x00.txt"}, "a.txt", "filename"},
			{"/api/artifact", map[string]string{"resultId": rid, "filename": strings.Repeat("f", 2000)}, "a.txt", "filename"},
			{"/api/import", map[string]string{"project": "p1", "metadata": `{"k":"\u0000"}`}, "r.xml", "metadata.k"},
			{"/api/import", map[string]string{"project": "p1", "metadata": `{"env":"` + kb10 + `"}`}, "r.xml", "metadata.env"},
			{"/api/import", map[string]string{"project": "p1", "source": "s\x00"}, "r.xml", "source"},
			{"/api/import", map[string]string{"project": "p1", "source": kb10}, "r.xml", "source"},
			{"/api/import", map[string]string{"project": "p1"}, strings.Repeat("f", 2000) + ".xml", "filename"},
		}
		for _, f := range forms {
			fileField := "file"
			if f.path == "/api/import" {
				fileField = "importFile"
			}
			r := post(f.path, f.fields, fileField, f.fileName)
			if r.Code != 400 || !strings.Contains(r.Body.String(), f.field) {
				t.Errorf("%s [%s]: %d %.300s, want a 400 naming %s", f.path, f.field, r.Code, r.Body, f.field)
			}
		}
		var n int64
		e.App.DB.Gorm.Raw(`SELECT count(*) FROM imports`).Scan(&n)
		if n != 0 {
			t.Errorf("%d imports stored from refused uploads", n)
		}
	})
}
