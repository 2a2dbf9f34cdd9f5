package backend_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// TestBadInputIsA4xxWithJSONBody sends hostile and malformed requests to
// every core endpoint: each must be answered with a 4xx and a JSON body,
// never a 5xx.
func TestBadInputIsA4xxWithJSONBody(t *testing.T) {
	eachDB(t, func(t *testing.T, sqlite bool) {
		e := &compatEnv{Env: backendtest.New(t, backendtest.Options{SQLite: sqlite, Configure: func(c *config.Config) {
			c.Limits.JSONBodyMaxBytes = 64 * 1024
		}})}
		pr := e.Do("POST", "/api/project", map[string]any{"name": "p1"}, e.UserToken)
		e.p1 = pr.Map()["id"].(string)
		runID := e.Do("POST", "/api/run", map[string]any{"metadata": map[string]any{"project": "p1"}}, e.UserToken).Map()["id"].(string)
		resID := e.Do("POST", "/api/result", map[string]any{"test_id": "t", "metadata": map[string]any{"project": "p1"}}, e.UserToken).Map()["id"].(string)

		deep := strings.Repeat(`{"a":`, 20000) + "1" + strings.Repeat("}", 20000)
		huge := `{"test_id":"t","duration":1e999,"metadata":{"project":"p1"}}`
		big := `{"metadata":{"project":"p1","blob":"` + strings.Repeat("x", 70*1024) + `"}}`
		flt := func(f string) string {
			return "/api/result?" + url.Values{"filter": {"project_id=" + e.p1, f}}.Encode()
		}
		cases := []struct {
			method, path, body string
			ct                 string
		}{
			{"POST", "/api/result", `{"test_id":`, ""},
			{"POST", "/api/result", `[1,2]`, ""},
			{"POST", "/api/result", `"str"`, ""},
			{"POST", "/api/result", `{"test_id":"t"} trailing`, ""},
			{"POST", "/api/result", `{"test_id":5,"metadata":{"project":"p1"}}`, ""},
			{"POST", "/api/result", `{"duration":"fast","metadata":{"project":"p1"}}`, ""},
			{"POST", "/api/result", `{"metadata":"nope"}`, ""},
			{"POST", "/api/result", `{"params":[1],"metadata":{"project":"p1"}}`, ""},
			{"POST", "/api/result", `{"id":"not-a-uuid","metadata":{"project":"p1"}}`, ""},
			{"POST", "/api/result", `{"start_time":"","metadata":{"project":"p1"},"test_id":"ok-empty-start"}`, ""}, // 201 allowed: empty = now
			{"POST", "/api/result", `{"start_time":"yesterday","metadata":{"project":"p1"}}`, ""},
			{"POST", "/api/result", `{"metadata":{"project":"p1","run":"` + uuid.NewString() + `"}}`, ""},
			{"POST", "/api/result", `{"metadata":{"project":"p1","run":"zzz"}}`, ""},
			{"POST", "/api/result", `{"test_id":"a\u0000b","metadata":{"project":"p1"}}`, ""},
			{"POST", "/api/result", "{\"test_id\":\"\xff\xfe\",\"metadata\":{\"project\":\"p1\"}}", ""},
			{"POST", "/api/result", deep, ""},
			{"POST", "/api/result", huge, ""},
			{"POST", "/api/result", big, ""},
			{"POST", "/api/result", `{"test_id":"t"}`, "text/plain"},
			{"POST", "/api/result", `{"metadata":{"project":123}}`, ""},
			{"PUT", "/api/result/" + resID, `{"duration":"x"}`, ""},
			{"PUT", "/api/result/" + resID, `{"run_id":"` + uuid.NewString() + `"}`, ""},
			{"PUT", "/api/result/" + uuid.NewString(), `{}`, ""},
			{"PUT", "/api/result/xyz", `{}`, ""},
			{"POST", "/api/run", `{"metadata":{"project":"p1"},"summary":{"pass_percent":87.5}}`, ""},
			{"POST", "/api/run", `{"metadata":{"project":"p1"},"created":"31/12/2024"}`, ""},
			{"POST", "/api/run", `{"id":"` + runID + `","metadata":{"project":"p1"}}`, ""},
			{"POST", "/api/run", `{"metadata":{"project":"p1"},"duration":[1]}`, ""},
			{"PUT", "/api/run/" + runID, `{"summary":"x"}`, ""},
			{"PUT", "/api/run/" + runID, `{"metadata":{"project":"nope"}}`, ""},
			{"POST", "/api/project", `{"name":""}`, ""},
			{"POST", "/api/project", `{"name":"x","group_id":"` + uuid.NewString() + `"}`, ""},
			{"POST", "/api/project", `{"name":"x","id":"bad"}`, ""},
			{"PUT", "/api/project/" + e.p1, `{"default_dashboard_id":"` + uuid.NewString() + `"}`, ""},
			{"PUT", "/api/project/" + e.p1, `{"users":"a@b.c"}`, ""},
			{"GET", "/api/project?ownerId=nope", "", ""},
			{"GET", "/api/project?pageSize=-1", "", ""},
			{"GET", flt("metadata.env~(unclosed"), "", ""},
			{"GET", flt("result~[z-a]"), "", ""},
			{"GET", flt("start_time>not-a-date"), "", ""}, // matches nothing: 200
			{"GET", "/api/result?filter=project_id=" + e.p1 + "&page=99999999999999999999", "", ""},
			{"GET", "/api/result?filter=project_id=" + e.p1 + "&page=9223372036854775807&pageSize=500", "", ""},
			{"GET", "/api/artifact?resultId=nope", "", ""},
			{"GET", "/api/artifact/" + uuid.NewString(), "", ""},
			{"POST", "/api/artifact", `{}`, ""},
			{"POST", "/api/runs/bulk-update?pageSize=2", `{"metadata":{"x":1}}`, ""},
			{"POST", "/api/group", `{"name":5}`, ""},
			{"GET", "/api/task/nope", "", ""},
			{"GET", "/api/project?filter=name=a%00b", "", ""},
			{"GET", "/api/project?filter=name=%ff", "", ""},
			{"GET", "/api/dashboard?filter=title=a%00b", "", ""},
			{"GET", "/api/widget-config?filter=title=a%00b", "", ""},
			{"GET", "/api/run?filter=project_id=" + e.p1 + "&filter=env=%ff", "", ""},
		}
		for _, c := range cases {
			var body any
			if c.body != "" {
				body = c.body
			}
			hdr := []string{}
			if c.ct != "" {
				hdr = []string{"Content-Type", c.ct}
			}
			r := e.Do(c.method, c.path, body, e.UserToken, hdr...)
			short := c.body
			if len(short) > 60 {
				short = short[:60] + "..."
			}
			if r.Code >= 500 {
				t.Errorf("%s %s %q: %d %s", c.method, c.path, short, r.Code, r.Body)
				continue
			}
			if !json.Valid(r.Body.Bytes()) {
				t.Errorf("%s %s %q: body is not JSON: %q", c.method, c.path, short, r.Body)
			}
			if r.Code < 400 && !strings.Contains(c.body, "ok-empty-start") && !strings.Contains(c.path, "not-a-date") {
				t.Errorf("%s %s %q: accepted with %d %s", c.method, c.path, short, r.Code, r.Body)
			}
		}
	})
}
