package backend_test

import (
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// TestTimesStayReadable: a time whose UTC year is beyond 9999 (or before
// 1) is refused in a body — an offset carries 9999-12-31T23:00:00-05:00
// into year 10000 — and ignored in a report (CTRF gives epoch milliseconds,
// which may name year 10000 or overflow int64: the run's start, as when
// absent). So every run and result of the project is served with a time
// the API itself reads: before, SQLite stored year 10000 and every list of
// the project was a 500, and PostgreSQL served "10000-01-01T04:00:00Z".
func TestTimesStayReadable(t *testing.T) {
	reports := []string{
		`{"reportFormat":"CTRF","specVersion":"0.0.0","results":{"tool":{"name":"jest"},"summary":{"start":253402300800000,"stop":253402300900000},"tests":[{"name":"year10000","status":"passed","duration":5,"start":253402300800000}]}}`,
		`{"reportFormat":"CTRF","specVersion":"0.0.0","results":{"tool":{"name":"jest"},"summary":{"start":1e300,"stop":-1e300},"tests":[{"name":"overflow","status":"failed","duration":1,"start":1e16,"stop":1e300,"message":"x"}]}}`,
		`<?xml version="1.0"?><testsuite name="s" tests="1" timestamp="9999-12-31T23:00:00-0500"><testcase classname="c" name="offset" time="1"/></testsuite>`,
	}
	eachDB(t, func(t *testing.T, sqlite bool) {
		e := backendtest.New(t, backendtest.Options{SQLite: sqlite})
		tok := e.TokenFor(e.CreateUser("times@example.com", "pw", false))
		pid := mustOK(t, e.Do("POST", "/api/project", map[string]any{"name": "times"}, tok), "project")["id"].(string)
		for _, st := range []string{"9999-12-31T23:00:00-05:00", "0001-01-01T00:00:00+05:00"} {
			for path, body := range map[string]map[string]any{
				"/api/result": {"test_id": "t", "result": "passed", "project_id": pid, "start_time": st},
				"/api/run":    {"project_id": pid, "start_time": st, "metadata": map[string]any{"env": "e"}},
			} {
				if r := e.Do("POST", path, body, tok); r.Code != 400 || !strings.Contains(r.Body.String(), "start_time") {
					t.Errorf("POST %s with start_time %s: %d %s, want a 400 naming start_time", path, st, r.Code, r.Body)
				}
			}
		}
		for i, body := range reports {
			name := "ctrf.json"
			if strings.HasPrefix(body, "<") {
				name = "junit.xml"
			}
			r := postMultipart(e, "/api/import", map[string]string{"project": pid}, "importFile", name, []byte(body), tok)
			if r.Code != 202 {
				t.Fatalf("import %d: %d %s", i, r.Code, r.Body)
			}
			if st := (&isoFixture{Env: e}).waitImport(r.Map()["id"].(string)); st["status"] != "done" {
				t.Fatalf("import %d: %v", i, st)
			}
		}
		for path, key := range map[string]string{"/api/run?filter=project_id=" + pid: "runs", "/api/result?filter=project_id=" + pid: "results"} {
			rows, _ := servedJSON(t, e, path, tok)[key].([]any)
			if len(rows) != len(reports) {
				t.Fatalf("%s: %d rows, want %d", path, len(rows), len(reports))
			}
			for _, row := range rows {
				st, _ := row.(map[string]any)["start_time"].(string)
				if _, err := model.ParseTime(st); err != nil {
					t.Errorf("%s: start_time %q is not a time the API reads: %v", path, st, err)
				}
			}
		}
	})
}
