package backend_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/run"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/formatgen"
)

// s6Fixture is the attacker's view of the triage, webhook, quarantine,
// live and import features: project A of the victim (a normal user, so
// owner checks are exercised, not superadmin bypasses) holding a run with
// a failure cluster, a flaky test, a classified result, an artifact, a
// webhook, a quarantine entry and its own flaky and triage settings; and
// project B of the attacker (backendtest's normal user, B's owner) with a
// run whose failure has the same fingerprint as A's, a webhook and a
// quarantine entry. Every attack uses the attacker's own token.
type s6Fixture struct {
	*backendtest.Env
	attacker, victim string // login tokens
	ids              map[string]string
	repl             *strings.Replacer
	// wroteA is when the fixture's last write to A was done (see settle).
	wroteA time.Time
}

const s6Trace = "AssertionError: boom\n  at test_login (tests/test_login.py:12)"

func newS6Fixture(t *testing.T, sqlite bool) *s6Fixture {
	t.Helper()
	e := backendtest.New(t, backendtest.Options{SQLite: sqlite})
	f := &s6Fixture{Env: e, attacker: e.UserToken, ids: map[string]string{}}
	f.victim = e.TokenFor(e.CreateUser("victim@example.com", "victim-password", false))
	must := func(r *backendtest.Response, what string) map[string]any { return mustOK(t, r, what) }
	for _, x := range []struct{ p, tok string }{{"A", f.victim}, {"B", f.attacker}} {
		pid := must(e.Do("POST", "/api/project", map[string]any{"name": "proj-" + strings.ToLower(x.p)}, x.tok), x.p)["id"].(string)
		f.ids[x.p] = pid
		runID := must(e.Do("POST", "/api/run", map[string]any{"metadata": map[string]any{"project": pid}}, x.tok), x.p+" run")["id"].(string)
		f.ids[x.p+".run"] = runID
		failed := must(e.Do("POST", "/api/result", map[string]any{"test_id": "test_login", "result": "failed", "run_id": runID, "project_id": pid,
			"metadata": map[string]any{"short_tb": s6Trace, "exception_name": "AssertionError"}}, x.tok), x.p+" failed result")["id"].(string)
		f.ids[x.p+".result"] = failed
		must(e.Do("POST", "/api/result", map[string]any{"test_id": "test_login", "result": "passed", "run_id": runID, "project_id": pid}, x.tok), x.p+" passed result")
		must(e.Do("PUT", "/api/result/"+failed, map[string]any{"metadata": map[string]any{"classification": "product_bug"}}, x.tok), x.p+" classification")
		f.ids[x.p+".artifact"] = must(postMultipart(e, "/api/artifact", map[string]string{"resultId": failed, "filename": "log.txt"}, "file", "log.txt",
			[]byte("secret log of "+x.p), x.tok), x.p+" artifact")["id"].(string)
		f.ids[x.p+".webhook"] = must(e.Do("POST", "/api/project/"+pid+"/webhooks", webhookBody, x.tok), x.p+" webhook")["id"].(string)
		f.ids[x.p+".quarantine"] = must(e.Do("POST", "/api/project/"+pid+"/quarantine", map[string]any{"pattern": "test_login", "reason": "r"}, x.tok), x.p+" quarantine")["id"].(string)
		must(e.Do("PUT", "/api/project/"+pid+"/flaky-settings", map[string]any{"min_flips": 2, "last_runs": 5}, x.tok), x.p+" flaky settings")
		must(e.Do("PUT", "/api/project/"+pid+"/triage-settings", map[string]any{"auto_classify": true}, x.tok), x.p+" triage settings")
		var cl struct {
			Clusters []struct{ Fingerprint string } `json:"clusters"`
		}
		e.Do("GET", "/api/run/"+runID+"/clusters", nil, x.tok).JSON(&cl)
		if len(cl.Clusters) != 1 {
			t.Fatalf("%s clusters: %+v", x.p, cl)
		}
		f.ids[x.p+".fp"] = cl.Clusters[0].Fingerprint
		if x.p == "A" {
			f.wroteA = time.Now()
		}
	}
	f.settle(t)
	if f.ids["A.fp"] != f.ids["B.fp"] {
		t.Fatalf("the two failures should share a fingerprint: %s %s", f.ids["A.fp"], f.ids["B.fp"])
	}
	var flaky struct{ Flaky []any }
	e.Do("GET", "/api/flaky?project="+f.ids["A"], nil, f.victim).JSON(&flaky)
	if len(flaky.Flaky) != 1 {
		t.Fatalf("A should have one flaky test: %+v", flaky)
	}
	var pairs []string
	for k, v := range f.ids {
		pairs = append(pairs, "{"+k+"}", v)
	}
	f.repl = strings.NewReplacer(pairs...)
	return f
}

func (f *s6Fixture) expand(s string) string { return f.repl.Replace(s) }

// settle waits for the background summary task of A's run that the
// fixture's writes queued (it runs after the debounce window and records
// activity on the run), so the run's state in a snapshot taken afterwards
// changes only if an attack changes it. Summary windows are aligned to
// multiples of run.SummaryWindow, and A's writes may straddle two: the
// task to wait for is that of the window A's last write fell in, which
// records activity after that window closes. (Waiting for any activity
// after settle began took the earlier window's task for it, and the later
// one landed inside an attack.) A last write in an earlier window than
// wroteA leaves nothing to wait for: settle then returns at the deadline.
func (f *s6Fixture) settle(t *testing.T) {
	t.Helper()
	closes := f.wroteA.Truncate(run.SummaryWindow).Add(run.SummaryWindow)
	deadline := closes.Add(run.SummaryWindow)
	for time.Now().Before(deadline) {
		var st struct{ LastActivity time.Time }
		if err := f.App.DB.Gorm.Table("ibutsu_run_state").Select("last_activity").Where("run_id = ?", f.ids["A.run"]).Take(&st).Error; err != nil {
			t.Fatal(err)
		}
		if !st.LastActivity.Before(closes) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// rows renders the rows a query returns, one JSON object each, sorted.
func (f *s6Fixture) rows(t *testing.T, label, query string, args ...any) []string {
	t.Helper()
	var rows []map[string]any
	if err := f.App.DB.Gorm.Raw(query, args...).Scan(&rows).Error; err != nil {
		t.Fatalf("%s: %v", label, err)
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = label + " " + string(b)
	}
	sort.Strings(out)
	return out
}

// stateA renders every row of project A an attack could change,
// including the tables of the triage, webhook, quarantine and live
// features, after recomputing A's run summary (which otherwise runs a
// moment later in the background).
func (f *s6Fixture) stateA(t *testing.T) string {
	t.Helper()
	a, runID := f.ids["A"], f.ids["A.run"]
	if err := f.App.Services.Summaries.Recompute(context.Background(), uuid.MustParse(runID)); err != nil {
		t.Fatal(err)
	}
	var out []string
	add := func(label, query string, args ...any) { out = append(out, f.rows(t, label, query, args...)...) }
	results := `SELECT id FROM results WHERE project_id = ?`
	add("project", `SELECT * FROM projects WHERE id = ?`, a)
	add("member", `SELECT * FROM users_projects WHERE project_id = ?`, a)
	add("run", `SELECT * FROM runs WHERE project_id = ?`, a)
	add("result", `SELECT * FROM results WHERE project_id = ?`, a)
	content := "encode(content, 'escape')"
	if f.App.DB.Dialect == db.SQLite {
		content = "CAST(content AS TEXT)"
	}
	add("artifact", `SELECT id, result_id, run_id, filename, data, upload_date, `+content+` AS content
		FROM artifacts WHERE result_id IN (`+results+`) OR run_id = ?`, a, runID)
	add("webhook", `SELECT id, project_id, name, url, secret, events, format, enabled, created, updated FROM ibutsu_webhooks WHERE project_id = ?`, a)
	add("delivery", `SELECT * FROM ibutsu_webhook_deliveries WHERE webhook_id IN (SELECT id FROM ibutsu_webhooks WHERE project_id = ?)`, a)
	add("quarantine", `SELECT * FROM ibutsu_quarantine WHERE project_id = ?`, a)
	add("flaky-settings", `SELECT * FROM ibutsu_flaky_settings WHERE project_id = ?`, a)
	// updated_at is left out: recomputing A's summary above re-examines
	// A's tests, which touches it.
	add("flaky", `SELECT id, project_id, test_id, component, env, job, score, flip_rate, flips, retries, runs, first_flake, last_flake, detected_at
		FROM ibutsu_flaky_tests WHERE project_id = ?`, a)
	add("evidence", `SELECT * FROM ibutsu_flaky_evidence WHERE flaky_id IN (SELECT id FROM ibutsu_flaky_tests WHERE project_id = ?)`, a)
	add("triage", `SELECT * FROM ibutsu_project_triage WHERE project_id = ?`, a)
	add("run-state", `SELECT * FROM ibutsu_run_state WHERE run_id = ?`, runID)
	add("fingerprint", `SELECT * FROM ibutsu_result_fingerprints WHERE project_id = ? OR result_id IN (`+results+`)`, a, a)
	add("class", `SELECT * FROM ibutsu_fingerprint_classifications WHERE project_id = ? OR result_id IN (`+results+`)`, a, a)
	add("history", `SELECT * FROM ibutsu_classification_history WHERE result_id IN (`+results+`)`, a)
	add("runs-of-A-or-none", `SELECT COUNT(*) AS n FROM runs WHERE project_id = ? OR project_id IS NULL`, a)
	return strings.Join(out, "\n")
}

// s6Attack is one request of the attacker and the status it must get.
type s6Attack struct {
	name, method, path string
	body               any
	want               int
}

var s6Attacks = []s6Attack{
	// Webhooks of A reached through the attacker's own project B: the
	// same 404 as an unknown id (B's settings are the attacker's to
	// change, A's webhook is not in B).
	{"A's webhook read through B", "GET", "/api/project/{B}/webhooks/{A.webhook}", nil, 404},
	{"A's webhook repointed through B", "PUT", "/api/project/{B}/webhooks/{A.webhook}",
		map[string]any{"url": "https://evil.example/", "secret": "0123456789abcdef-evil", "enabled": true, "events": []any{"run.finished", "import.done"}}, 404},
	{"A's webhook deleted through B", "DELETE", "/api/project/{B}/webhooks/{A.webhook}", nil, 404},
	{"A's delivery log read through B", "GET", "/api/project/{B}/webhooks/{A.webhook}/deliveries", nil, 404},
	{"A's webhook test event through B", "POST", "/api/project/{B}/webhooks/{A.webhook}/test", nil, 404},
	// Webhooks of A on A's path.
	{"A's webhooks listed", "GET", "/api/project/{A}/webhooks", nil, 403},
	{"webhook added to A", "POST", "/api/project/{A}/webhooks", webhookBody, 403},
	{"A's webhook read", "GET", "/api/project/{A}/webhooks/{A.webhook}", nil, 403},
	{"A's webhook repointed", "PUT", "/api/project/{A}/webhooks/{A.webhook}", map[string]any{"url": "https://evil.example/"}, 403},
	{"A's webhook deleted", "DELETE", "/api/project/{A}/webhooks/{A.webhook}", nil, 403},
	{"A's delivery log read", "GET", "/api/project/{A}/webhooks/{A.webhook}/deliveries", nil, 403},
	{"A's webhook test event", "POST", "/api/project/{A}/webhooks/{A.webhook}/test", nil, 403},
	// B's webhook named under A's path: still A's rule (403), not B's.
	{"B's webhook under A's path", "PUT", "/api/project/{A}/webhooks/{B.webhook}", map[string]any{"name": "x"}, 403},

	// Quarantine.
	{"A's quarantine entry changed through B", "PUT", "/api/project/{B}/quarantine/{A.quarantine}", map[string]any{"pattern": "*", "reason": "evil"}, 404},
	{"A's quarantine entry deleted through B", "DELETE", "/api/project/{B}/quarantine/{A.quarantine}", nil, 404},
	{"A's quarantine entry changed", "PUT", "/api/project/{A}/quarantine/{A.quarantine}", map[string]any{"reason": "evil"}, 403},
	{"A's quarantine entry deleted", "DELETE", "/api/project/{A}/quarantine/{A.quarantine}", nil, 403},
	{"quarantine entry added to A", "POST", "/api/project/{A}/quarantine", map[string]any{"pattern": "test_*", "reason": "evil"}, 403},
	{"A's quarantine listed", "GET", "/api/project/{A}/quarantine", nil, 401},
	{"A's quarantine.txt read", "GET", "/api/project/{A}/quarantine.txt", nil, 401},

	// Flaky tests and triage.
	{"A's flaky settings read", "GET", "/api/project/{A}/flaky-settings", nil, 403},
	{"A's flaky settings changed", "PUT", "/api/project/{A}/flaky-settings", map[string]any{"min_flips": 1, "last_runs": 2, "window_days": 1}, 403},
	{"A's flaky tests listed", "GET", "/api/flaky?project={A}", nil, 403},
	{"A's flaky tests through the widget", "GET", "/api/widget/flaky-tests?project={A}", nil, 403},
	{"A's triage settings read", "GET", "/api/project/{A}/triage-settings", nil, 403},
	{"A's triage settings changed", "PUT", "/api/project/{A}/triage-settings", map[string]any{"auto_classify": false}, 403},
	{"A's classification history read", "GET", "/api/result/{A.result}/classification-history", nil, 403},
	{"A's run clusters read", "GET", "/api/run/{A.run}/clusters", nil, 403},
	{"A's run compared with B's", "GET", "/api/widget/compare-runs-view?base_run={B.run}&target_run={A.run}", nil, 403},
	{"B's run compared with A's", "GET", "/api/widget/compare-runs-view?base_run={A.run}&target_run={B.run}", nil, 403},

	// Bulk classification: by cluster, by filter, by ids.
	{"A's cluster classified", "POST", "/api/results/bulk-update",
		map[string]any{"cluster": map[string]any{"run_id": "{A.run}", "fingerprint": "{A.fp}"}, "metadata": map[string]any{"classification": "evil"}}, 403},
	// An unknown fingerprint of A's run gets the same answer as a known
	// one: the cluster route is no oracle of A's failures.
	{"unknown cluster of A's run", "POST", "/api/results/bulk-update",
		map[string]any{"cluster": map[string]any{"run_id": "{A.run}", "fingerprint": "0123456789abcdef"}, "metadata": map[string]any{"classification": "evil"}}, 403},
	{"bulk update by A's project filter", "POST", "/api/results/bulk-update",
		map[string]any{"filter": []any{"project_id={A}"}, "metadata": map[string]any{"classification": "evil"}}, 200},
	{"bulk update by A's run filter", "POST", "/api/results/bulk-update",
		map[string]any{"filter": []any{"run_id={A.run}"}, "metadata": map[string]any{"classification": "evil"}}, 200},
	{"bulk update by A's result id filter", "POST", "/api/results/bulk-update",
		map[string]any{"filter": []any{"id={A.result}", "result=failed"}, "metadata": map[string]any{"classification": "evil"}}, 200},
	{"bulk update of A's and B's results", "POST", "/api/results/bulk-update",
		map[string]any{"ids": []any{"{B.result}", "{A.result}"}, "metadata": map[string]any{"classification": "evil"}}, 403},
	// Classification of one result: PUT, and accepting a suggestion (also a PUT).
	{"A's result classified", "PUT", "/api/result/{A.result}", map[string]any{"metadata": map[string]any{"classification": "evil"}}, 403},

	// Runs and live streams.
	{"A's run finished", "POST", "/api/run/{A.run}/finish", nil, 403},
	{"ticket for A's run", "POST", "/api/run/{A.run}/events/ticket", nil, 403},
	{"ticket for A", "POST", "/api/project/{A}/events/ticket", nil, 403},
	{"A's run stream", "GET", "/api/run/{A.run}/events", nil, 403},
	{"A's project stream", "GET", "/api/project/{A}/events", nil, 403},

	// Artifacts.
	{"A's artifact read", "GET", "/api/artifact/{A.artifact}", nil, 403},
	{"A's artifact viewed", "GET", "/api/artifact/{A.artifact}/view", nil, 403},
	{"A's artifact downloaded", "GET", "/api/artifact/{A.artifact}/download", nil, 403},
	{"A's artifact deleted", "DELETE", "/api/artifact/{A.artifact}", nil, 403},
}

// TestSession6Isolation: the owner of project B, with every id of project
// A, can neither read nor change A through the webhook, quarantine,
// flaky, triage, bulk classification, run finish, live stream and
// artifact routes: each attack gets its 4xx with a JSON body, reveals
// none of A's ids or secrets, and leaves every row of A as it was.
func TestSession6Isolation(t *testing.T) {
	eachDB(t, func(t *testing.T, sqlite bool) {
		f := newS6Fixture(t, sqlite)
		before := f.stateA(t)
		for _, a := range s6Attacks {
			t.Run(a.name, func(t *testing.T) {
				r := f.Do(a.method, f.expand(a.path), expandJSON(a.body, f.expand), f.attacker)
				body := r.Body.String()
				if r.Code != a.want {
					t.Errorf("%s %s: %d %s, want %d", a.method, a.path, r.Code, trim(body), a.want)
				}
				if ct := r.Header().Get("Content-Type"); !strings.Contains(ct, "json") {
					t.Errorf("%s %s: Content-Type %q, want JSON", a.method, a.path, ct)
				}
				for _, k := range []string{"A.webhook", "A.quarantine", "A.artifact", "A.result"} {
					if a.want >= 400 && strings.Contains(body, f.ids[k]) {
						t.Errorf("%s %s: the answer names %s: %s", a.method, a.path, k, trim(body))
					}
				}
				if strings.Contains(body, "secret log of A") || strings.Contains(body, "0123456789abcdef") {
					t.Errorf("%s %s: the answer leaks A's content: %s", a.method, a.path, trim(body))
				}
				if a.want == 200 {
					var res struct {
						Updated *int `json:"updated"`
					}
					r.JSON(&res)
					if res.Updated == nil || *res.Updated != 0 {
						t.Errorf("%s: updated %v rows of A, want 0: %s", a.name, res.Updated, trim(body))
					}
				}
				if after := f.stateA(t); after != before {
					t.Fatalf("A changed:\nbefore %s\nafter  %s", before, after)
				}
			})
		}
		// The attacker's own rows stay writable: the refusals above are
		// about A, not a blanket refusal.
		for _, c := range []s6Attack{
			{"own cluster classified", "POST", "/api/results/bulk-update",
				map[string]any{"cluster": map[string]any{"run_id": "{B.run}", "fingerprint": "{B.fp}"}, "metadata": map[string]any{"classification": "mine"}}, 200},
			{"own run finished", "POST", "/api/run/{B.run}/finish", nil, 200},
			{"own webhook test event", "POST", "/api/project/{B}/webhooks/{B.webhook}/test", nil, 202},
			{"own quarantine entry changed", "PUT", "/api/project/{B}/quarantine/{B.quarantine}", map[string]any{"reason": "mine"}, 200},
		} {
			if r := f.Do(c.method, f.expand(c.path), expandJSON(c.body, f.expand), f.attacker); r.Code != c.want {
				t.Errorf("%s: %d %s, want %d", c.name, r.Code, trim(r.Body.String()), c.want)
			}
		}
		if after := f.stateA(t); after != before {
			t.Fatalf("the attacker's own writes changed A:\nbefore %s\nafter  %s", before, after)
		}
	})
}

// s6FormatFile is a small report of one of the neutral-path formats.
func s6FormatFile(t *testing.T, format string) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := formatgen.Write(&b, format, 3, formatgen.Options{}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// s6Ext is a file name ending detection accepts for the format.
func s6Ext(format string) string {
	switch format {
	case "tap":
		return ".tap"
	case "nunit3", "xunit2":
		return ".xml"
	case "trx":
		return ".trx"
	case "allure":
		return ".tar.gz"
	}
	return ".json"
}

// TestSession6ImportIsolation: for every report format of the neutral
// import path (go test -json, TAP, CTRF, NUnit, xUnit, TRX, Cucumber,
// Playwright, Allure), the owner of B can send nothing into A: a form
// naming A (by id or name) is refused on upload; form metadata naming A
// and a file name carrying A's run id end the import in error naming
// what was refused; A is unchanged after each.
func TestSession6ImportIsolation(t *testing.T) {
	f := newS6Fixture(t, false)
	before := f.stateA(t)
	for _, format := range formatgen.Formats() {
		t.Run(format, func(t *testing.T) {
			file := s6FormatFile(t, format)
			for _, ref := range []string{f.ids["A"], "proj-a"} {
				r := postMultipart(f.Env, "/api/import", map[string]string{"project": ref}, "importFile", "report"+s6Ext(format), file, f.attacker)
				if r.Code != 403 || !strings.Contains(r.Header().Get("Content-Type"), "json") {
					t.Errorf("form project %s: %d %s, want 403 with JSON", ref, r.Code, trim(r.Body.String()))
				}
			}
			for _, c := range []struct {
				name, filename string
				form           map[string]string
				names          string
			}{
				{"form metadata names A", "report" + s6Ext(format), map[string]string{"metadata": `{"project": "proj-a"}`}, "proj-a"},
				{"form metadata names A's id", "report" + s6Ext(format), map[string]string{"metadata": `{"project": "` + f.ids["A"] + `"}`}, f.ids["A"]},
				{"file named after A's run", f.ids["A.run"] + s6Ext(format), map[string]string{"project": f.ids["B"]}, f.ids["A.run"]},
			} {
				r := postMultipart(f.Env, "/api/import", c.form, "importFile", c.filename, file, f.attacker)
				if r.Code != 202 {
					t.Errorf("%s: upload %d %s", c.name, r.Code, trim(r.Body.String()))
					continue
				}
				st := s6WaitImport(t, f.Env, r.Map()["id"].(string))
				md, _ := st["metadata"].(map[string]any)
				if msg := fmt.Sprint(md["error"]); st["status"] != "error" || !strings.Contains(msg, c.names) {
					t.Errorf("%s: import %v, want an error naming %s", c.name, st, c.names)
				}
				if after := f.stateA(t); after != before {
					t.Fatalf("%s changed A:\nbefore %s\nafter  %s", c.name, before, after)
				}
			}
			// The same file into B is imported: the refusals are about A.
			r := postMultipart(f.Env, "/api/import", map[string]string{"project": f.ids["B"]}, "importFile", "report"+s6Ext(format), file, f.attacker)
			if r.Code != 202 {
				t.Fatalf("own import: %d %s", r.Code, r.Body)
			}
			if st := s6WaitImport(t, f.Env, r.Map()["id"].(string)); st["status"] != "done" {
				t.Errorf("own import: %v", st)
			}
		})
	}
	if after := f.stateA(t); after != before {
		t.Fatalf("A changed:\nbefore %s\nafter  %s", before, after)
	}
}

// s6WaitImport polls an import until it settles.
func s6WaitImport(t *testing.T, e *backendtest.Env, id string) map[string]any {
	t.Helper()
	return (&isoFixture{Env: e}).waitImport(id)
}

// TestSession6TicketReplay: stream tickets are bound to one user, one
// stream and a short lifetime, and carry no access of their own: a member
// of A who is removed from A cannot open A's streams with the tickets they
// got while a member (nor with their bearer token), and a ticket of one
// stream never opens another (A's run ticket on B's run, on A's project,
// with the id spelt in upper case or braces).
func TestSession6TicketReplay(t *testing.T) {
	f := newS6Fixture(t, false)
	srv := httptest.NewServer(f.App.Router)
	t.Cleanup(func() { f.App.Services.Events.CloseSubscribers(); srv.Close() })
	lf := &liveFixture{}
	a, aRun, bRun := f.ids["A"], f.ids["A.run"], f.ids["B.run"]
	mustOK(t, f.Do("PUT", "/api/project/"+a, map[string]any{"users": []string{"user@example.com"}}, f.victim), "attacker joins A")
	runTicket := lf.ticket(t, srv.URL, "run", aRun, f.attacker)
	projTicket := lf.ticket(t, srv.URL, "project", a, f.attacker)
	if code, _ := openStream(t, srv.URL+"/api/run/"+aRun+"/events?ticket="+runTicket); code != 200 {
		t.Fatalf("member's run ticket: %d", code)
	}
	for _, c := range []struct{ name, url string }{
		{"run ticket on another run", "/api/run/" + bRun + "/events?ticket=" + runTicket},
		{"run ticket on the project stream", "/api/project/" + a + "/events?ticket=" + runTicket},
		{"project ticket on the run stream", "/api/run/" + aRun + "/events?ticket=" + projTicket},
		{"run ticket, id in braces", "/api/run/%7B" + aRun + "%7D/events?ticket=" + runTicket},
		{"run ticket with a second ticket parameter", "/api/run/" + bRun + "/events?ticket=" + runTicket + "&ticket=" + runTicket},
	} {
		if code, _ := openStream(t, srv.URL+c.url); code != 401 {
			t.Errorf("%s: %d, want 401", c.name, code)
		}
	}
	// PUT /project/{id} only adds members (upstream's rule); a superadmin
	// removes one through the user's project list.
	mustOK(t, f.Do("PUT", "/api/admin/user/"+f.User.ID.String(), map[string]any{"email": f.User.Email, "projects": []any{map[string]any{"id": f.ids["B"]}}}, f.AdminToken), "attacker removed from A")
	for _, c := range []struct{ name, url string }{
		{"run ticket after leaving", "/api/run/" + aRun + "/events?ticket=" + runTicket},
		{"run ticket after leaving, id upper case", "/api/run/" + strings.ToUpper(aRun) + "/events?ticket=" + runTicket},
		{"project ticket after leaving", "/api/project/" + a + "/events?ticket=" + projTicket},
	} {
		if code, _ := openStream(t, srv.URL+c.url); code != 403 {
			t.Errorf("%s: %d, want 403", c.name, code)
		}
	}
	if code, _ := openStream(t, srv.URL+"/api/run/"+aRun+"/events", "Authorization", "Bearer "+f.attacker); code != 403 {
		t.Errorf("bearer after leaving: %d, want 403", code)
	}
	if r := f.Do("POST", "/api/run/"+aRun+"/events/ticket", nil, f.attacker); r.Code != 403 {
		t.Errorf("new ticket after leaving: %d %s", r.Code, r.Body)
	}
}
