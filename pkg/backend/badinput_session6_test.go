package backend_test

import (
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// TestSession6BadInput: the owner of B sends malformed requests to B's own
// webhook, quarantine, flaky, triage, bulk classification, run finish,
// live and import routes — wrong types, out-of-range and huge numbers,
// invalid patterns and filters, refused and malformed URLs, unicode —
// and gets the named 4xx with a JSON body every time, never a 5xx; B's
// settings are unchanged afterwards.
func TestSession6BadInput(t *testing.T) {
	eachDB(t, func(t *testing.T, sqlite bool) {
		f := newS6Fixture(t, sqlite)
		hook := func(url string) map[string]any {
			return map[string]any{"name": "x", "url": url, "secret": "0123456789abcdef", "events": []any{"run.finished"}}
		}
		cluster := func(c any) map[string]any {
			return map[string]any{"cluster": c, "metadata": map[string]any{"classification": "x"}}
		}
		huge := strings.Repeat("x", 17<<20) // past limits.json_body_max_bytes (16 MiB)
		cases := []s6Attack{
			// Webhooks: refused and malformed URLs.
			{"url ipv6 loopback", "POST", "/api/project/{B}/webhooks", hook("http://[::1]/"), 400},
			{"url ipv4-mapped loopback", "POST", "/api/project/{B}/webhooks", hook("http://[::ffff:127.0.0.1]/"), 400},
			{"url ipv4-mapped hex", "POST", "/api/project/{B}/webhooks", hook("http://[::ffff:7f00:1]/"), 400},
			{"url ipv4-compatible", "POST", "/api/project/{B}/webhooks", hook("http://[::127.0.0.1]/"), 400},
			{"url decimal", "POST", "/api/project/{B}/webhooks", hook("http://2130706433/"), 400},
			{"url octal", "POST", "/api/project/{B}/webhooks", hook("http://0177.0.0.1/"), 400},
			{"url hex", "POST", "/api/project/{B}/webhooks", hook("http://0x7f000001/"), 400},
			{"url short", "POST", "/api/project/{B}/webhooks", hook("http://127.1/"), 400},
			{"url localhost with a dot", "POST", "/api/project/{B}/webhooks", hook("http://localhost./x"), 400},
			{"url metadata service", "POST", "/api/project/{B}/webhooks", hook("http://169.254.169.254/latest/meta-data/"), 400},
			{"url link-local with zone", "POST", "/api/project/{B}/webhooks", hook("http://[fe80::1%25eth0]/"), 400},
			{"url unspecified", "POST", "/api/project/{B}/webhooks", hook("http://0.0.0.0:8080/"), 400},
			{"url scheme", "POST", "/api/project/{B}/webhooks", hook("file:///etc/passwd"), 400},
			{"url user info", "POST", "/api/project/{B}/webhooks", hook("https://user:pw@hooks.example/"), 400},
			{"url unparsable", "POST", "/api/project/{B}/webhooks", hook("http://[::1/"), 400},
			{"url too long", "POST", "/api/project/{B}/webhooks", hook("https://hooks.example/" + strings.Repeat("a", 3000)), 400},
			{"url a number", "POST", "/api/project/{B}/webhooks", map[string]any{"name": "x", "url": 1, "secret": "0123456789abcdef", "events": []any{"run.finished"}}, 400},
			{"events a string", "POST", "/api/project/{B}/webhooks", map[string]any{"name": "x", "url": "https://hooks.example/", "secret": "0123456789abcdef", "events": "run.finished"}, 400},
			{"events empty", "POST", "/api/project/{B}/webhooks", map[string]any{"name": "x", "url": "https://hooks.example/", "secret": "0123456789abcdef", "events": []any{}}, 400},
			{"events unknown", "POST", "/api/project/{B}/webhooks", map[string]any{"name": "x", "url": "https://hooks.example/", "secret": "0123456789abcdef", "events": []any{"run.💥"}}, 400},
			{"secret short", "POST", "/api/project/{B}/webhooks", map[string]any{"name": "x", "url": "https://hooks.example/", "secret": "short", "events": []any{"run.finished"}}, 400},
			{"name too long", "POST", "/api/project/{B}/webhooks", map[string]any{"name": strings.Repeat("ü", 300), "url": "https://hooks.example/", "secret": "0123456789abcdef", "events": []any{"run.finished"}}, 400},
			{"webhook body not an object", "PUT", "/api/project/{B}/webhooks/{B.webhook}", []any{1, 2}, 400},
			{"webhook body not JSON", "PUT", "/api/project/{B}/webhooks/{B.webhook}", "{", 400},
			{"webhook body huge", "PUT", "/api/project/{B}/webhooks/{B.webhook}", `{"name":"` + huge + `"}`, 413},
			{"webhook id not a uuid", "GET", "/api/project/{B}/webhooks/nope", nil, 400},
			{"webhook project not a uuid", "GET", "/api/project/nope/webhooks/{B.webhook}", nil, 400},
			{"webhook delete id not a uuid", "DELETE", "/api/project/{B}/webhooks/nope", nil, 400},
			{"webhook deliveries id not a uuid", "GET", "/api/project/{B}/webhooks/nope/deliveries", nil, 400},
			{"webhook test id not a uuid", "POST", "/api/project/{B}/webhooks/nope/test", nil, 400},
			{"webhook id not a uuid", "GET", "/api/project/{B}/webhooks/1%20OR%201=1", nil, 400},
			{"webhook unknown", "POST", "/api/project/{B}/webhooks/00000000-0000-4000-8000-000000000000/test", nil, 404},

			// Quarantine.
			{"pattern empty", "POST", "/api/project/{B}/quarantine", map[string]any{"pattern": "", "reason": "r"}, 400},
			{"pattern only stars", "POST", "/api/project/{B}/quarantine", map[string]any{"pattern": "**", "reason": "r"}, 400},
			{"pattern too many stars", "POST", "/api/project/{B}/quarantine", map[string]any{"pattern": "a*b*c*d*e*f*g", "reason": "r"}, 400},
			{"pattern newline", "POST", "/api/project/{B}/quarantine", map[string]any{"pattern": "a\nb", "reason": "r"}, 400},
			{"pattern too long", "POST", "/api/project/{B}/quarantine", map[string]any{"pattern": strings.Repeat("é", 256), "reason": "r"}, 400},
			{"pattern a number", "POST", "/api/project/{B}/quarantine", map[string]any{"pattern": 1, "reason": "r"}, 400},
			{"reason missing", "POST", "/api/project/{B}/quarantine", map[string]any{"pattern": "test_x"}, 400},
			{"expires not a date", "POST", "/api/project/{B}/quarantine", map[string]any{"pattern": "test_x", "reason": "r", "expires": "tomorrow"}, 400},
			{"expires past", "POST", "/api/project/{B}/quarantine", map[string]any{"pattern": "test_x", "reason": "r", "expires": "2001-01-01"}, 400},
			{"expires beyond any calendar", "POST", "/api/project/{B}/quarantine", map[string]any{"pattern": "test_x", "reason": "r", "expires": "+275760-09-13T00:00:00Z"}, 400},
			{"quarantine duplicate", "POST", "/api/project/{B}/quarantine", map[string]any{"pattern": "test_login", "reason": "r"}, 400},
			{"quarantine entry unknown", "PUT", "/api/project/{B}/quarantine/00000000-0000-4000-8000-000000000000", map[string]any{"reason": "r"}, 404},
			{"quarantine page not a number", "GET", "/api/project/{B}/quarantine?page=1e3", nil, 400},
			{"quarantine page too big", "GET", "/api/project/{B}/quarantine?page=99999999999999999999", nil, 400},
			{"quarantine page size zero", "GET", "/api/project/{B}/quarantine?pageSize=0", nil, 400},

			// Flaky settings and list.
			{"min_flips a string", "PUT", "/api/project/{B}/flaky-settings", map[string]any{"min_flips": "2"}, 400},
			{"min_flips a fraction", "PUT", "/api/project/{B}/flaky-settings", map[string]any{"min_flips": 2.5}, 400},
			{"min_flips huge", "PUT", "/api/project/{B}/flaky-settings", `{"min_flips": 1e300}`, 400},
			{"min_flips beyond int64", "PUT", "/api/project/{B}/flaky-settings", `{"min_flips": 99999999999999999999999}`, 400},
			{"min_flips negative", "PUT", "/api/project/{B}/flaky-settings", map[string]any{"min_flips": -1}, 400},
			{"last_runs huge", "PUT", "/api/project/{B}/flaky-settings", map[string]any{"last_runs": 1000000}, 400},
			{"window_days zero", "PUT", "/api/project/{B}/flaky-settings", map[string]any{"window_days": 0}, 400},
			{"flaky settings null", "PUT", "/api/project/{B}/flaky-settings", "null", 400},
			{"flaky project not a uuid", "GET", "/api/flaky?project=proj-b", nil, 400},
			{"flaky project missing", "GET", "/api/flaky", nil, 400},
			{"flaky window negative", "GET", "/api/flaky?project={B}&window=-1", nil, 400},
			{"flaky window huge", "GET", "/api/flaky?project={B}&window=99999999999999999999", nil, 400},
			{"flaky page zero", "GET", "/api/flaky?project={B}&page=0", nil, 400},
			{"flaky page size huge", "GET", "/api/flaky?project={B}&pageSize=100000000", nil, 400},

			// Triage settings.
			{"auto_classify a string", "PUT", "/api/project/{B}/triage-settings", map[string]any{"auto_classify": "yes"}, 400},
			{"auto_classify missing", "PUT", "/api/project/{B}/triage-settings", map[string]any{}, 400},
			{"auto_classify null", "PUT", "/api/project/{B}/triage-settings", map[string]any{"auto_classify": nil}, 400},

			// Unknown fields on our own routes are refused, naming the
			// field (upstream's routes keep accepting them: upstream's
			// schemas allow additional properties). The name after
			// "unknown field " must appear in the body.
			{"unknown field flip_threshold", "PUT", "/api/project/{B}/flaky-settings", map[string]any{"flip_threshold": 3}, 400},
			{"unknown field minFlips", "PUT", "/api/project/{B}/flaky-settings", map[string]any{"min_flips": 3, "minFlips": 3}, 400},
			{"unknown field autoClassify", "PUT", "/api/project/{B}/triage-settings", map[string]any{"auto_classify": true, "autoClassify": true}, 400},
			{"unknown field expiry", "POST", "/api/project/{B}/quarantine", map[string]any{"pattern": "test_new", "reason": "r", "expiry": "2999-01-01"}, 400},
			{"unknown field note", "PUT", "/api/project/{B}/quarantine/{B.quarantine}", map[string]any{"note": "n"}, 400},
			{"unknown field headers", "POST", "/api/project/{B}/webhooks", map[string]any{"name": "x", "url": "https://hooks.example/", "secret": "0123456789abcdef", "events": []any{"run.finished"}, "headers": map[string]any{}}, 400},
			{"unknown field active", "PUT", "/api/project/{B}/webhooks/{B.webhook}", map[string]any{"active": false}, 400},
			{"unknown field idz", "POST", "/api/results/bulk-update", map[string]any{"ids": []any{"{B.result}"}, "idz": []any{"{B.result}"}, "metadata": map[string]any{"x": 1}}, 400},
			{"unknown field run", "POST", "/api/results/bulk-update", cluster(map[string]any{"run_id": "{B.run}", "fingerprint": "{B.fp}", "run": "{B.run}"}), 400},

			// Bulk classification.
			{"cluster a string", "POST", "/api/results/bulk-update", cluster("x"), 400},
			{"cluster run not a uuid", "POST", "/api/results/bulk-update", cluster(map[string]any{"run_id": "nope", "fingerprint": "{B.fp}"}), 400},
			{"cluster fingerprint empty", "POST", "/api/results/bulk-update", cluster(map[string]any{"run_id": "{B.run}", "fingerprint": ""}), 400},
			{"cluster fingerprint huge", "POST", "/api/results/bulk-update", cluster(map[string]any{"run_id": "{B.run}", "fingerprint": strings.Repeat("f", 1000)}), 400},
			{"cluster unknown run", "POST", "/api/results/bulk-update", cluster(map[string]any{"run_id": "00000000-0000-4000-8000-000000000000", "fingerprint": "{B.fp}"}), 404},
			{"cluster with ids", "POST", "/api/results/bulk-update", map[string]any{"ids": []any{"{B.result}"}, "cluster": map[string]any{"run_id": "{B.run}", "fingerprint": "{B.fp}"}, "metadata": map[string]any{"x": 1}}, 400},
			{"cluster without metadata", "POST", "/api/results/bulk-update", map[string]any{"cluster": map[string]any{"run_id": "{B.run}", "fingerprint": "{B.fp}"}}, 400},
			{"cluster moving results", "POST", "/api/results/bulk-update", map[string]any{"cluster": map[string]any{"run_id": "{B.run}", "fingerprint": "{B.fp}"}, "metadata": map[string]any{"project": "{A}"}}, 400},
			{"filter a string", "POST", "/api/results/bulk-update", map[string]any{"filter": "result=failed", "metadata": map[string]any{"x": 1}}, 400},
			{"filter of numbers", "POST", "/api/results/bulk-update", map[string]any{"filter": []any{1}, "metadata": map[string]any{"x": 1}}, 400},
			{"filter empty", "POST", "/api/results/bulk-update", map[string]any{"filter": []any{}, "metadata": map[string]any{"x": 1}}, 400},
			{"filter unknown field", "POST", "/api/results/bulk-update", map[string]any{"filter": []any{"nope=1"}, "metadata": map[string]any{"x": 1}}, 400},
			{"filter invalid regex", "POST", "/api/results/bulk-update", map[string]any{"filter": []any{"project_id={B}", "test_id~(unclosed"}, "metadata": map[string]any{"x": 1}}, 400},
			{"filter invalid uuid", "POST", "/api/results/bulk-update", map[string]any{"filter": []any{"run_id=not-a-uuid"}, "metadata": map[string]any{"x": 1}}, 400},
			{"filter number out of range", "POST", "/api/results/bulk-update", map[string]any{"filter": []any{"project_id={B}", "duration>1e999"}, "metadata": map[string]any{"x": 1}}, 400},
			{"ids not uuids", "POST", "/api/results/bulk-update", map[string]any{"ids": []any{"x"}, "metadata": map[string]any{"x": 1}}, 400},
			{"bulk body huge", "POST", "/api/results/bulk-update", `{"ids":["` + huge + `"]}`, 413},

			// Runs and streams.
			{"finish run not a uuid", "POST", "/api/run/nope/finish", nil, 400},
			{"finish unknown run", "POST", "/api/run/00000000-0000-4000-8000-000000000000/finish", nil, 404},
			{"clusters run not a uuid", "GET", "/api/run/nope/clusters", nil, 400},
			{"ticket run not a uuid", "POST", "/api/run/nope/events/ticket", nil, 400},
			{"ticket project not a uuid", "POST", "/api/project/nope/events/ticket", nil, 400},
			{"ticket garbage", "GET", "/api/run/{B.run}/events?ticket=garbage", nil, 401},
			{"ticket huge", "GET", "/api/project/{B}/events?ticket=" + strings.Repeat("a.", 4000) + "b", nil, 401},
		}
		before := f.rows(t, "b-settings", `SELECT * FROM ibutsu_flaky_settings WHERE project_id = ?`, f.ids["B"])
		before = append(before, f.rows(t, "b-triage", `SELECT * FROM ibutsu_project_triage WHERE project_id = ?`, f.ids["B"])...)
		before = append(before, f.rows(t, "b-hooks", `SELECT COUNT(*) AS n FROM ibutsu_webhooks WHERE project_id = ?`, f.ids["B"])...)
		before = append(before, f.rows(t, "b-quarantine", `SELECT COUNT(*) AS n FROM ibutsu_quarantine WHERE project_id = ?`, f.ids["B"])...)
		before = append(before, f.rows(t, "b-classified", `SELECT COUNT(*) AS n FROM results WHERE project_id = ? AND CAST(data AS TEXT) LIKE '%"x"%'`, f.ids["B"])...)
		for _, c := range cases {
			body := expandJSON(c.body, f.expand)
			r := f.Do(c.method, f.expand(c.path), body, f.attacker)
			checkBadInput(t, c, r)
			if field, ok := strings.CutPrefix(c.name, "unknown field "); ok && !strings.Contains(r.Body.String(), "'"+field+"'") {
				t.Errorf("%s: body %s does not name the field", c.name, trim(r.Body.String()))
			}
		}
		// Imports: malformed forms and files.
		for _, c := range []struct {
			name, filename string
			fields         map[string]string
			file           []byte
			want           int
		}{
			{"metadata not JSON", "r\u00e9port.xml", map[string]string{"metadata": "{"}, junitXML("s", nil), 400},
			{"metadata a list", "r\u00e9port.xml", map[string]string{"metadata": "[1]"}, junitXML("s", nil), 400},
			{"project unknown", "r\u00e9port.xml", map[string]string{"project": "no-such-project"}, junitXML("s", nil), 400},
			{"project field huge", "r\u00e9port.xml", map[string]string{"project": strings.Repeat("p", 2<<20)}, junitXML("s", nil), 413},
			{"file of no known format", "blob.bin", map[string]string{"project": "{B}"}, []byte("\x00\x01binary"), 415},
			{"file empty", "empty.bin", map[string]string{"project": "{B}"}, []byte{}, 415},
		} {
			fields := map[string]string{}
			for k, v := range c.fields {
				fields[k] = f.expand(v)
			}
			r := postMultipart(f.Env, "/api/import", fields, "importFile", c.filename, c.file, f.attacker)
			checkBadInput(t, s6Attack{name: "import: " + c.name, method: "POST", path: "/api/import", want: c.want}, r)
		}
		after := f.rows(t, "b-settings", `SELECT * FROM ibutsu_flaky_settings WHERE project_id = ?`, f.ids["B"])
		after = append(after, f.rows(t, "b-triage", `SELECT * FROM ibutsu_project_triage WHERE project_id = ?`, f.ids["B"])...)
		after = append(after, f.rows(t, "b-hooks", `SELECT COUNT(*) AS n FROM ibutsu_webhooks WHERE project_id = ?`, f.ids["B"])...)
		after = append(after, f.rows(t, "b-quarantine", `SELECT COUNT(*) AS n FROM ibutsu_quarantine WHERE project_id = ?`, f.ids["B"])...)
		after = append(after, f.rows(t, "b-classified", `SELECT COUNT(*) AS n FROM results WHERE project_id = ? AND CAST(data AS TEXT) LIKE '%"x"%'`, f.ids["B"])...)
		if strings.Join(after, "\n") != strings.Join(before, "\n") {
			t.Errorf("refused requests changed B:\nbefore %v\nafter  %v", before, after)
		}
	})
}

// checkBadInput requires the case's status and a JSON body.
func checkBadInput(t *testing.T, c s6Attack, r *backendtest.Response) {
	t.Helper()
	if r.Code != c.want {
		t.Errorf("%s: %s %s: %d %s, want %d", c.name, c.method, trim(c.path), r.Code, trim(r.Body.String()), c.want)
	}
	if ct := r.Header().Get("Content-Type"); !strings.Contains(ct, "json") || r.Body.Len() == 0 {
		t.Errorf("%s: Content-Type %q, body %q: want a JSON body", c.name, ct, trim(r.Body.String()))
	}
}
