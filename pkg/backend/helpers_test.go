package backend_test

import (
	"bytes"
	"context"
	"maps"
	"mime/multipart"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// The helpers the fixtures of this package share: each fixture used to
// carry its own copy.

// mustOK fails the test unless r is a success, and returns its JSON object;
// what names the request in the failure.
func mustOK(t testing.TB, r *backendtest.Response, what string) map[string]any {
	t.Helper()
	if r.Code >= 300 {
		t.Fatalf("fixture %s: %d %s", what, r.Code, r.Body)
	}
	return r.Map()
}

// multipartForm builds a form of text fields (in key order, so a request
// is the same on every run) and one file part fileField named filename (none
// when file is nil); it returns the body and its Content-Type.
func multipartForm(fields map[string]string, fileField, filename string, file []byte) (*bytes.Buffer, string) {
	buf := &bytes.Buffer{}
	w := multipart.NewWriter(buf)
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		_ = w.WriteField(k, fields[k])
	}
	if file != nil {
		fw, _ := w.CreateFormFile(fileField, filename)
		_, _ = fw.Write(file)
	}
	_ = w.Close()
	return buf, w.FormDataContentType()
}

// postMultipart posts multipartForm's form as token ("" for none).
func postMultipart(e *backendtest.Env, path string, fields map[string]string, fileField, filename string, file []byte, token string) *backendtest.Response {
	body, ct := multipartForm(fields, fileField, filename, file)
	req := httptest.NewRequest("POST", path, body)
	req.Header.Set("Content-Type", ct)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return e.Serve(req)
}

// dbRow reads the row of type T with primary key id straight from the
// database (what a request did or did not change); nil when there is none.
func dbRow[T any](t testing.TB, d *db.DB, id string) *T {
	t.Helper()
	var row T
	res := d.Conn(context.Background()).Where("id = ?", uuid.MustParse(id)).Limit(1).Find(&row)
	if res.Error != nil {
		t.Fatal(res.Error)
	}
	if res.RowsAffected == 0 {
		return nil
	}
	return &row
}

// statusCase is one request of a table-driven test and what its answer
// must be: the status and a substring of the body ("" for any).
type statusCase struct {
	name, method, path string
	body               any
	token              string
	status             int
	contains           string
}

// checkStatusCases sends each case in order (a case may depend on an
// earlier one's effect) and reports every answer that differs.
func checkStatusCases(t *testing.T, e *backendtest.Env, cases []statusCase) {
	t.Helper()
	for _, tc := range cases {
		r := e.Do(tc.method, tc.path, tc.body, tc.token)
		if r.Code != tc.status || !strings.Contains(r.Body.String(), tc.contains) {
			t.Errorf("%s: %d %s", tc.name, r.Code, r.Body)
		}
	}
}

// expandJSON applies expand (a fixture's placeholder substitution) to every
// string of a JSON-like value, returning a copy.
func expandJSON(v any, expand func(string) string) any {
	switch x := v.(type) {
	case string:
		return expand(x)
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			out[k] = expandJSON(e, expand)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = expandJSON(e, expand)
		}
		return out
	}
	return v
}

// eachDB runs fn as a subtest on PostgreSQL, then on SQLite.
func eachDB(t *testing.T, fn func(t *testing.T, sqlite bool)) {
	for _, sqlite := range []bool{false, true} {
		t.Run(map[bool]string{false: "postgres", true: "sqlite"}[sqlite], func(t *testing.T) { fn(t, sqlite) })
	}
}
