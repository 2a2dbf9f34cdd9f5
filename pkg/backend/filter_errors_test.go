package backend_test

import (
	"net/url"
	"strings"
	"testing"
)

// TestListFilterErrors: GET /result and GET /run answer a filter that
// cannot be run with a 400 problem naming the field and what it takes
// (issue 20 point 7), on both databases, and still answer valid filters on
// open fields (metadata paths) as before.
func TestListFilterErrors(t *testing.T) {
	forBothDBs(t, func(t *testing.T, e *compatEnv) {
		if r := e.Do("POST", "/api/result", map[string]any{"test_id": "test_a", "result": "failed", "duration": 2.5,
			"metadata": map[string]any{"project": e.p1, "env": "qa"}}, e.UserToken); r.Code != 201 {
			t.Fatalf("create result: %d %s", r.Code, r.Body)
		}
		list := func(path string, filters ...string) (int, string) {
			t.Helper()
			q := url.Values{"filter": append([]string{"project_id=" + e.p1}, filters...)}
			r := e.Do("GET", path+"?"+q.Encode(), nil, e.UserToken)
			if r.Code == 400 && !isProblem(r) {
				t.Errorf("%s %q: 400 without a problem body: %s", path, filters, r.Body)
			}
			return r.Code, r.Body.String()
		}
		for _, c := range []struct {
			path, filter string
			want         []string
		}{
			{"/api/result", "duration>abc", []string{"duration takes a number", `\"abc\"`}},
			{"/api/result", "start_time>yesterday", []string{"start_time takes a date", "ISO 8601"}},
			{"/api/result", "run_id=12", []string{"run_id takes a UUID"}},
			{"/api/result", "metdata.env=qa", []string{`unknown field \"metdata.env\"`, "metadata.<path>"}},
			{"/api/result", "summary.failures>1", []string{`unknown field \"summary.failures\"`}},
			{"/api/result", "test_id~(unclosed", []string{"egular expression"}},
			{"/api/run", "summary.failures>many", []string{"summary.failures takes a number"}},
			{"/api/run", "start_time*2024-01-01;last week", []string{"start_time takes a date", `\"last week\"`}},
			{"/api/run", "bogus=1", []string{`unknown field \"bogus\"`}},
		} {
			code, body := list(c.path, c.filter)
			if code != 400 {
				t.Errorf("%s %q: %d %s, want 400", c.path, c.filter, code, body)
				continue
			}
			for _, w := range c.want {
				if !strings.Contains(body, w) {
					t.Errorf("%s %q: body %s lacks %q", c.path, c.filter, body, w)
				}
			}
		}
		// Valid filters, including open metadata paths and unparseable strings
		// (ignored, as upstream ignores them), still answer 200.
		for _, f := range [][]string{
			{"duration>1", "start_time>2020-01-01", "metadata.env=qa", "metadata.any.path~x", "test_id%test_"},
			{"garbage"},
		} {
			if code, body := list("/api/result", f...); code != 200 {
				t.Errorf("%q: %d %s", f, code, body)
			}
		}
	})
}
