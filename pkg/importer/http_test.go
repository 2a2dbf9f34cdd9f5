package importer_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/parsertest"
)

func TestImportEndpoints(t *testing.T) {
	dialects(t, backendtest.Options{Configure: func(c *config.Config) { c.Limits.ImportMaxBytes = 4096 }}, func(t *testing.T, e *backendtest.Env) {
		p := e.CreateProject("my-project", e.Admin)
		xml := parsertest.ReadFile(t, "fx02-multi.xml")
		tests := []struct {
			name     string
			token    string
			filename string
			content  []byte
			fields   map[string]string
			code     int
			body     string
		}{
			{"no token", "", "a.xml", xml, nil, 401, "No authorization token"},
			{"no file", e.UserToken, "", nil, map[string]string{"project": "my-project"}, 400, `"Bad request, no file uploaded"`},
			{"unknown project", e.UserToken, "a.xml", xml, map[string]string{"project": "nope"}, 400, `"Project nope doesn't exist"`},
			{"no access", e.UserToken, "a.xml", xml, map[string]string{"project": p.ID.String()}, 403, `"Forbidden"`},
			{"bad metadata", e.AdminToken, "a.xml", xml, map[string]string{"metadata": "{"}, 400, "not valid JSON"},
			{"metadata not an object", e.AdminToken, "a.xml", xml, map[string]string{"metadata": "[1]"}, 400, "must be a JSON object"},
			{"unknown suffix", e.AdminToken, "results.json", []byte("{}"), nil, 415, `"Unsupported Media Type"`},
			{"the format comes from the content, not the name", e.AdminToken, "a.XML", xml, nil, 202, `"status":"pending"`},
			{"415 names the formats", e.AdminToken, "a.xml.txt", []byte("hello"), nil, 415, `"formats":[{"name":"junit","title":"JUnit XML"}`},
			{"too large", e.AdminToken, "big.xml", []byte(strings.Repeat(" ", 5000)), nil, 413, "exceeds maximum allowed size"},
			{"accepted", e.UserToken, "a.xml", xml, map[string]string{"source": "s"}, 202, `"status":"pending"`},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				imports := count(t, e, "imports")
				r := upload(e, tt.token, tt.filename, tt.content, tt.fields)
				if r.Code != tt.code || !strings.Contains(r.Body.String(), tt.body) {
					t.Fatalf("%d %s, want %d %s", r.Code, r.Body, tt.code, tt.body)
				}
				if tt.code != 202 && count(t, e, "imports") != imports {
					t.Fatal("a refused upload left an import row")
				}
			})
		}
		r := e.Do("POST", "/api/import", `{}`, e.AdminToken)
		if r.Code != 415 {
			t.Errorf("JSON body: %d", r.Code)
		}

		// Lifecycle: 202 view, then 200 with run_id once done.
		r = upload(e, e.AdminToken, "a.xml", xml, map[string]string{"project": "my-project", "metadata": `{"build":"7"}`})
		v := r.Map()
		if r.Code != 202 || v["format"] != "" || v["filename"] != "a.xml" || !strings.HasSuffix(v["created"].(string), "Z") {
			t.Fatalf("202 body %v", v)
		}
		done := waitImport(t, e, v["id"].(string))
		md := done["metadata"].(map[string]any)
		if done["status"] != "done" || len(md["run_id"].([]any)) != 1 || md["project_id"] != p.ID.String() || md["metadata"].(map[string]any)["build"] != "7" {
			t.Fatalf("done body %v", done)
		}
		if r := e.Do("GET", "/api/import/"+v["id"].(string), nil, e.UserToken); r.Code != 403 {
			t.Errorf("foreign import: %d", r.Code)
		}
		if r := e.Do("GET", "/api/import/nope", nil, e.AdminToken); r.Code != 400 {
			t.Errorf("bad id: %d", r.Code)
		}
		if r := e.Do("GET", "/api/import/4b1d3c2e-5f6a-4b7c-9d8e-0f1a2b3c4d5e", nil, e.AdminToken); r.Code != 404 || strings.TrimSpace(r.Body.String()) != `"Not Found"` {
			t.Errorf("missing: %d %s", r.Code, r.Body)
		}
		r = e.Do("GET", "/api/import?filter=filename=a.xml&pageSize=1", nil, e.AdminToken)
		list := r.Map()
		pg := list["pagination"].(map[string]any)
		if r.Code != 200 || len(list["imports"].([]any)) != 1 || pg["totalItems"] != float64(2) {
			t.Errorf("list: %d %s", r.Code, r.Body)
		}
		// Scoped (upstream is not): a user sees only imports into their
		// projects and the project-less ones they uploaded ("accepted").
		if r := e.Do("GET", "/api/import?filter=filename=a.xml", nil, e.UserToken); len(r.Map()["imports"].([]any)) != 1 ||
			r.Map()["imports"].([]any)[0].(map[string]any)["id"] == v["id"] {
			t.Errorf("foreign imports listed: %s", r.Body)
		}

		// The bytes are cleared once the import is done.
		deadline := time.Now().Add(10 * time.Second)
		for {
			var n, chunks int64
			e.App.DB.Gorm.Table("import_files").Where("import_id = ? AND content IS NOT NULL", v["id"]).Count(&n)
			e.App.DB.Gorm.Table("ibutsu_import_chunks").Where("file_id IN (SELECT id FROM import_files WHERE import_id = ?)", v["id"]).Count(&chunks)
			if n == 0 && chunks == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("import bytes never cleared")
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}

// TestImportThroughRedisWorker runs an import the production way: the
// backend enqueues into Redis and a real asynq worker executes it.
func TestImportThroughRedisWorker(t *testing.T) {
	e := backendtest.New(t, backendtest.Options{Redis: true})
	e.StartWorker(2)
	imp := importFile(t, e, "w.xml", parsertest.ReadFile(t, "fx01-single-suite.xml"), nil)
	r := runOf(t, e, imp)
	if n := len(resultsOf(t, e, r.ID)); n != 6 {
		t.Fatalf("%d results", n)
	}
	bad := importFile(t, e, "bad.xml", parsertest.ReadFile(t, "malformed.xml"), nil)
	if bad["status"] != "error" {
		t.Fatalf("malformed through Redis: %v", bad)
	}
}
