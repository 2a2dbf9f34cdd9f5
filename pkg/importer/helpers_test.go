package importer_test

import (
	"bytes"
	"mime/multipart"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// dialects runs fn against PostgreSQL and SQLite.
func dialects(t *testing.T, opts backendtest.Options, fn func(t *testing.T, e *backendtest.Env)) {
	for _, sqlite := range []bool{false, true} {
		name := map[bool]string{false: "postgres", true: "sqlite"}[sqlite]
		t.Run(name, func(t *testing.T) {
			o := opts
			o.SQLite = sqlite
			fn(t, backendtest.New(t, o))
		})
	}
}

// upload posts an import form; fields are sent before the file unless
// fileFirst (the frontend sends the file first).
func upload(e *backendtest.Env, token, filename string, content []byte, fields map[string]string) *backendtest.Response {
	e.T.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if filename != "" {
		fw, err := mw.CreateFormFile("importFile", filename)
		if err != nil {
			e.T.Fatal(err)
		}
		_, _ = fw.Write(content)
	}
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	_ = mw.Close()
	req := httptest.NewRequest("POST", "/api/import", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return e.Serve(req)
}

// importFile uploads as the admin, waits for the import to finish and
// returns its final JSON.
func importFile(t testing.TB, e *backendtest.Env, filename string, content []byte, fields map[string]string) map[string]any {
	t.Helper()
	r := upload(e, e.AdminToken, filename, content, fields)
	if r.Code != 202 {
		t.Fatalf("upload %s: %d %s", filename, r.Code, r.Body)
	}
	return waitImport(t, e, r.Map()["id"].(string))
}

// waitImport polls an import until it is done or in error. The deadline
// only catches an import that never ends: a refused report that does its
// bounded worst first (TestSuitePropertiesCannotMultiplyAcrossResults
// copies up to the properties bound, ~2 s alone) took over 30 s under the
// race detector with CI's other packages on two cores.
func waitImport(t testing.TB, e *backendtest.Env, id string) map[string]any {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		r := e.Do("GET", "/api/import/"+id, nil, e.AdminToken)
		if r.Code != 200 {
			t.Fatalf("get import: %d %s", r.Code, r.Body)
		}
		m := r.Map()
		if st := m["status"]; st == "done" || st == "error" {
			return m
		}
		if time.Now().After(deadline) {
			t.Fatalf("import %s stuck: %v", id, m)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// runOf returns the run an import wrote.
func runOf(t testing.TB, e *backendtest.Env, imp map[string]any) model.Run {
	t.Helper()
	md, _ := imp["metadata"].(map[string]any)
	ids, _ := md["run_id"].([]any)
	if imp["status"] != "done" || len(ids) != 1 {
		t.Fatalf("import not done with one run: %v", imp)
	}
	var r model.Run
	if err := e.App.DB.Gorm.Where("id = ?", ids[0]).Take(&r).Error; err != nil {
		t.Fatal(err)
	}
	return r
}

func resultsOf(t testing.TB, e *backendtest.Env, runID uuid.UUID) []model.Result {
	t.Helper()
	return testdb.Rows[model.Result](t, e.App.DB, "test_id", "run_id = ?", runID)
}

func count(t testing.TB, e *backendtest.Env, table string) int64 {
	t.Helper()
	var n int64
	if err := e.App.DB.Gorm.Table(table).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func str(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}
