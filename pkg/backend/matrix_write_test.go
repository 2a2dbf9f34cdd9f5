package backend_test

import (
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// kind says whose rows a write case touches, which fixes the statuses each
// identity may get and what may change in the database.
type kind int

const (
	// own: every id is P's (outsider refused; P's member, owner and superadmin succeed).
	own kind = iota
	// foreign: the target or every id is Q's (only the superadmin succeeds).
	foreign
	// mismatch: the target is P's but an id in the request is another
	// project's (or none's): refused for everyone, superadmin included.
	mismatch
	// global: a row of no project (group, global dashboard or view) or
	// the admin API: superadmins only.
	global
	// self: the caller's own account (everyone succeeds).
	self
	// ownerOnly: P itself (its owner and superadmins).
	ownerOnly
	// others: another user's account (everyone refused).
	others
	// public: an unauthenticated account route given a wrong password, a
	// taken or unknown e-mail or a bogus code: no 5xx (the status matrix
	// fixes the exact code), and nothing may change.
	public
)

var (
	success = []int{200, 201, 202}
	refused = []int{400, 403, 404}
)

// expected gives the statuses an identity may get for a kind.
func (k kind) expected(who string) []int {
	switch k {
	case own:
		if who == "outsider" {
			return refused
		}
		return success
	case foreign, global:
		if who == "superadmin" {
			return success
		}
		return refused
	case mismatch, others:
		return refused
	case self:
		return success
	case public:
		return []int{200, 400, 401, 403, 404}
	case ownerOnly:
		if who == "owner" || who == "superadmin" {
			return success
		}
		return refused
	}
	return nil
}

// wcase is one row of the write section: a request (JSON body, or a
// multipart form with a file when file is set) with placeholders.
type wcase struct {
	name         string
	kind         kind
	method, path string
	body         any
	form         map[string]string
	fileField    string
	file         []byte
	// want overrides kind.expected for some identities.
	want map[string][]int
}

func (c wcase) statuses(who string) []int {
	if w, ok := c.want[who]; ok {
		return w
	}
	return c.kind.expected(who)
}

var anyOutcome = []int{200, 201, 400, 403, 404}

// writeCases is the write section of the access matrix: every route that
// writes, with own, foreign and mismatched ids in each id field it reads.
// Deletes come last for readability; the fixture is restored after every
// case, so no case depends on another. TestMatrixWrites fails for a write route
// without a row here.
var writeCases = []wcase{
	// Results.
	{name: "create result in own run", kind: own, method: "POST", path: "/api/result",
		body: map[string]any{"test_id": "new", "result": "passed", "metadata": map[string]any{"project": "{P}", "run": "{P.run}"}}},
	{name: "create result in foreign project and run", kind: foreign, method: "POST", path: "/api/result",
		body: map[string]any{"test_id": "new", "result": "passed", "metadata": map[string]any{"project": "{Q}", "run": "{Q.run}"}}},
	{name: "create result: metadata.run foreign", kind: mismatch, method: "POST", path: "/api/result",
		body: map[string]any{"test_id": "new", "result": "passed", "duration": 50, "metadata": map[string]any{"project": "{P}", "run": "{Q.run}", "env": "hijack", "jenkins": map[string]any{"build_url": "https://evil"}}}},
	{name: "create result: run_id foreign", kind: mismatch, method: "POST", path: "/api/result",
		body: map[string]any{"test_id": "new", "result": "failed", "project_id": "{P}", "run_id": "{Q.run}"}},
	// A superadmin may tidy up a run without project (refused, or the run
	// joins P); the invariants below still hold either way.
	{name: "create result: metadata.run without project", kind: mismatch, method: "POST", path: "/api/result",
		body: map[string]any{"test_id": "new", "result": "failed", "metadata": map[string]any{"project": "{P}", "run": "{O.run}"}},
		want: map[string][]int{"superadmin": anyOutcome}},
	{name: "create result: id of a foreign result", kind: mismatch, method: "POST", path: "/api/result",
		body: map[string]any{"id": "{Q.result}", "test_id": "new", "result": "passed", "metadata": map[string]any{"project": "{P}", "run": "{P.run}"}}},
	{name: "update own result", kind: own, method: "PUT", path: "/api/result/{P.result}",
		body: map[string]any{"metadata": map[string]any{"classification": "test_failure"}}},
	{name: "update foreign result", kind: foreign, method: "PUT", path: "/api/result/{Q.result}",
		body: map[string]any{"metadata": map[string]any{"classification": "test_failure"}}},
	{name: "update own result: metadata.project foreign", kind: mismatch, method: "PUT", path: "/api/result/{P.result}",
		body: map[string]any{"metadata": map[string]any{"project": "{Q}"}}},
	{name: "update own result: project_id foreign", kind: mismatch, method: "PUT", path: "/api/result/{P.result}",
		body: map[string]any{"project_id": "{Q}"}},
	{name: "update own result: run_id foreign", kind: mismatch, method: "PUT", path: "/api/result/{P.result}",
		body: map[string]any{"run_id": "{Q.run}"}},
	{name: "bulk-update own results", kind: own, method: "POST", path: "/api/results/bulk-update",
		body: map[string]any{"ids": []any{"{P.result}", "{P.result2}"}, "metadata": map[string]any{"classification": "x"}}},
	{name: "bulk-update foreign results", kind: foreign, method: "POST", path: "/api/results/bulk-update",
		body: map[string]any{"ids": []any{"{Q.result}"}, "metadata": map[string]any{"classification": "x"}}},
	{name: "bulk-update own and foreign results", kind: foreign, method: "POST", path: "/api/results/bulk-update",
		body: map[string]any{"ids": []any{"{P.result}", "{Q.result}"}, "metadata": map[string]any{"classification": "y"}}},

	// Runs.
	{name: "create run in own project", kind: own, method: "POST", path: "/api/run",
		body: map[string]any{"metadata": map[string]any{"project": "{P}"}}},
	{name: "create run in foreign project", kind: foreign, method: "POST", path: "/api/run",
		body: map[string]any{"metadata": map[string]any{"project": "{Q}"}}},
	{name: "create run: project_id foreign", kind: foreign, method: "POST", path: "/api/run",
		body: map[string]any{"project_id": "{Q}", "metadata": map[string]any{"env": "x"}}},
	{name: "create run: id of a foreign run", kind: mismatch, method: "POST", path: "/api/run",
		body: map[string]any{"id": "{Q.run}", "metadata": map[string]any{"project": "{P}"}}},
	{name: "update own run", kind: own, method: "PUT", path: "/api/run/{P.run}",
		body: map[string]any{"metadata": map[string]any{"x": 1}}},
	{name: "update foreign run", kind: foreign, method: "PUT", path: "/api/run/{Q.run}",
		body: map[string]any{"metadata": map[string]any{"x": 1}, "env": "hijack"}},
	{name: "update run without project", kind: foreign, method: "PUT", path: "/api/run/{O.run}",
		body: map[string]any{"metadata": map[string]any{"x": 1}}},
	// Moving a whole run is the superadmin's call (refused or done);
	// nobody else may move one into a project they cannot write.
	// Live: finishing writes the run's state; a ticket writes nothing but
	// must be refused exactly where the stream is.
	{name: "finish own run", kind: own, method: "POST", path: "/api/run/{P.run}/finish"},
	{name: "finish foreign run", kind: foreign, method: "POST", path: "/api/run/{Q.run}/finish"},
	{name: "finish run without project", kind: foreign, method: "POST", path: "/api/run/{O.run}/finish"},
	{name: "stream ticket of own run", kind: own, method: "POST", path: "/api/run/{P.run}/events/ticket"},
	{name: "stream ticket of foreign run", kind: foreign, method: "POST", path: "/api/run/{Q.run}/events/ticket"},
	{name: "stream ticket of own project", kind: own, method: "POST", path: "/api/project/{P}/events/ticket"},
	{name: "stream ticket of foreign project", kind: foreign, method: "POST", path: "/api/project/{Q}/events/ticket"},
	{name: "update own run: metadata.project foreign", kind: mismatch, method: "PUT", path: "/api/run/{P.run}",
		body: map[string]any{"metadata": map[string]any{"project": "{Q}"}}, want: map[string][]int{"superadmin": anyOutcome}},
	{name: "update own run: project_id foreign", kind: mismatch, method: "PUT", path: "/api/run/{P.run}",
		body: map[string]any{"project_id": "{Q}"}, want: map[string][]int{"superadmin": anyOutcome}},
	{name: "bulk-update own runs", kind: own, method: "POST", path: "/api/runs/bulk-update?filter=project_id={P}",
		body: map[string]any{"metadata": map[string]any{"y": 1}}},
	{name: "bulk-update foreign runs", kind: foreign, method: "POST", path: "/api/runs/bulk-update?filter=project_id={Q}",
		body: map[string]any{"metadata": map[string]any{"y": 1}}},
	// Setting metadata.project of Q on P's runs: a superadmin may be
	// refused (a mismatch) or succeed; nobody else may.
	{name: "bulk-update own runs: metadata.project foreign", kind: mismatch, method: "POST", path: "/api/runs/bulk-update?filter=project_id={P}",
		body: map[string]any{"metadata": map[string]any{"project": "{Q}"}}, want: map[string][]int{"superadmin": anyOutcome}},

	// Artifacts.
	{name: "upload artifact to own result", kind: own, method: "POST", path: "/api/artifact",
		form: map[string]string{"resultId": "{P.result}", "filename": "a.txt"}, fileField: "file", file: []byte("a")},
	{name: "upload artifact to own run", kind: own, method: "POST", path: "/api/artifact",
		form: map[string]string{"runId": "{P.run}", "filename": "a.txt"}, fileField: "file", file: []byte("a")},
	{name: "upload artifact to foreign result", kind: foreign, method: "POST", path: "/api/artifact",
		form: map[string]string{"resultId": "{Q.result}", "filename": "a.txt"}, fileField: "file", file: []byte("a")},
	{name: "upload artifact to foreign run", kind: foreign, method: "POST", path: "/api/artifact",
		form: map[string]string{"run_id": "{Q.run}", "filename": "a.txt"}, fileField: "file", file: []byte("a")},

	// Imports (the file formats have their own test, TestMatrixImports).
	{name: "import into own project", kind: own, method: "POST", path: "/api/import",
		form: map[string]string{"project": "{P}"}, fileField: "importFile", file: junitXML("own", nil)},
	{name: "import into foreign project", kind: foreign, method: "POST", path: "/api/import",
		form: map[string]string{"project": "{Qname}"}, fileField: "importFile", file: junitXML("foreign", nil)},

	// Projects.
	{name: "create project", kind: self, method: "POST", path: "/api/project", body: map[string]any{"name": "new-{random}"}},
	{name: "create project: default_dashboard_id foreign", kind: mismatch, method: "POST", path: "/api/project",
		body: map[string]any{"name": "new-{random}", "default_dashboard_id": "{Q.dash}"}},
	{name: "create project: id of the foreign project", kind: mismatch, method: "POST", path: "/api/project", body: map[string]any{"id": "{Q}", "name": "new-{random}"}},
	{name: "update own project", kind: ownerOnly, method: "PUT", path: "/api/project/{P}", body: map[string]any{"title": "P2"}},
	{name: "flaky settings of own project", kind: ownerOnly, method: "PUT", path: "/api/project/{P}/flaky-settings", body: map[string]any{"min_flips": 2}},
	{name: "flaky settings of foreign project", kind: foreign, method: "PUT", path: "/api/project/{Q}/flaky-settings", body: map[string]any{"min_flips": 2}},
	{name: "update foreign project", kind: foreign, method: "PUT", path: "/api/project/{Q}", body: map[string]any{"title": "Q2"}},
	{name: "update own project: default_dashboard_id foreign", kind: mismatch, method: "PUT", path: "/api/project/{P}",
		body: map[string]any{"default_dashboard_id": "{Q.dash}"}},
	{name: "triage settings of own project", kind: ownerOnly, method: "PUT", path: "/api/project/{P}/triage-settings", body: map[string]any{"auto_classify": true}},
	{name: "triage settings of foreign project", kind: foreign, method: "PUT", path: "/api/project/{Q}/triage-settings", body: map[string]any{"auto_classify": true}},

	// Webhooks: project settings (the owner and superadmins).
	{name: "add webhook to own project", kind: ownerOnly, method: "POST", path: "/api/project/{P}/webhooks", body: webhookBody},
	{name: "add webhook to foreign project", kind: foreign, method: "POST", path: "/api/project/{Q}/webhooks", body: webhookBody},
	{name: "update own webhook", kind: ownerOnly, method: "PUT", path: "/api/project/{P}/webhooks/{P.webhook}", body: map[string]any{"name": "renamed", "url": "https://hooks.example/y"}},
	{name: "update foreign webhook", kind: foreign, method: "PUT", path: "/api/project/{Q}/webhooks/{Q.webhook}", body: map[string]any{"name": "renamed"}},
	{name: "update foreign webhook through own project", kind: mismatch, method: "PUT", path: "/api/project/{P}/webhooks/{Q.webhook}", body: map[string]any{"name": "renamed"}},
	{name: "test own webhook", kind: ownerOnly, method: "POST", path: "/api/project/{P}/webhooks/{P.webhook}/test"},
	{name: "test foreign webhook through own project", kind: mismatch, method: "POST", path: "/api/project/{P}/webhooks/{Q.webhook}/test"},
	// Quarantine: a project setting, written by its owner (docs/triage.md#quarantine).
	{name: "quarantine in own project", kind: ownerOnly, method: "POST", path: "/api/project/{P}/quarantine", body: map[string]any{"pattern": "new-{random}", "reason": "r"}},
	{name: "quarantine in foreign project", kind: foreign, method: "POST", path: "/api/project/{Q}/quarantine", body: map[string]any{"pattern": "new-{random}", "reason": "r"}},
	{name: "update own quarantine entry", kind: ownerOnly, method: "PUT", path: "/api/project/{P}/quarantine/{P.quarantine}", body: map[string]any{"reason": "r2"}},
	{name: "update foreign quarantine entry", kind: foreign, method: "PUT", path: "/api/project/{Q}/quarantine/{Q.quarantine}", body: map[string]any{"reason": "r2"}},
	{name: "update foreign quarantine entry through own project", kind: mismatch, method: "PUT", path: "/api/project/{P}/quarantine/{Q.quarantine}", body: map[string]any{"reason": "r2"}},
	{name: "delete own quarantine entry", kind: ownerOnly, method: "DELETE", path: "/api/project/{P}/quarantine/{P.quarantine}"},
	{name: "delete foreign quarantine entry", kind: foreign, method: "DELETE", path: "/api/project/{Q}/quarantine/{Q.quarantine}"},
	{name: "delete foreign quarantine entry through own project", kind: mismatch, method: "DELETE", path: "/api/project/{P}/quarantine/{Q.quarantine}"},

	// Dashboards.
	{name: "create dashboard in own project", kind: own, method: "POST", path: "/api/dashboard", body: map[string]any{"title": "d", "project_id": "{P}"}},
	{name: "create dashboard in foreign project", kind: foreign, method: "POST", path: "/api/dashboard", body: map[string]any{"title": "d", "project_id": "{Q}"}},
	{name: "create dashboard without project", kind: global, method: "POST", path: "/api/dashboard", body: map[string]any{"title": "d"}},
	{name: "create dashboard: id of a foreign dashboard", kind: mismatch, method: "POST", path: "/api/dashboard", body: map[string]any{"id": "{Q.dash}", "title": "d", "project_id": "{P}"}},
	{name: "update own dashboard", kind: own, method: "PUT", path: "/api/dashboard/{P.dash}", body: map[string]any{"title": "d2"}},
	{name: "update foreign dashboard", kind: foreign, method: "PUT", path: "/api/dashboard/{Q.dash}", body: map[string]any{"title": "d2"}},
	{name: "update global dashboard", kind: global, method: "PUT", path: "/api/dashboard/{G.dash}", body: map[string]any{"title": "d2"}},
	{name: "move own dashboard to foreign project", kind: mismatch, method: "PUT", path: "/api/dashboard/{P.dash}",
		body: map[string]any{"project_id": "{Q}"}, want: map[string][]int{"superadmin": anyOutcome}},

	// Widget configs and views.
	{name: "create widget config on own dashboard", kind: own, method: "POST", path: "/api/widget-config",
		body: map[string]any{"type": "widget", "widget": "result-summary", "title": "w", "params": map[string]any{}, "project": "{P}", "dashboard_id": "{P.dash}"}},
	{name: "create widget config on foreign dashboard", kind: foreign, method: "POST", path: "/api/widget-config",
		body: map[string]any{"type": "widget", "widget": "result-summary", "title": "w", "params": map[string]any{}, "project": "{Q}", "dashboard_id": "{Q.dash}"}},
	{name: "create widget config: dashboard_id foreign", kind: mismatch, method: "POST", path: "/api/widget-config",
		body: map[string]any{"type": "widget", "widget": "result-summary", "title": "w", "params": map[string]any{}, "project": "{P}", "dashboard_id": "{Q.dash}"}},
	{name: "create widget config: project_id own, dashboard_id foreign", kind: mismatch, method: "POST", path: "/api/widget-config",
		body: map[string]any{"type": "widget", "widget": "result-summary", "title": "w", "params": map[string]any{}, "project_id": "{P}", "dashboard_id": "{Q.dash}"}},
	{name: "create widget config without project on foreign dashboard", kind: mismatch, method: "POST", path: "/api/widget-config",
		body: map[string]any{"type": "widget", "widget": "result-summary", "title": "w", "params": map[string]any{}, "dashboard_id": "{Q.dash}"},
		want: map[string][]int{"superadmin": anyOutcome}},
	{name: "create widget config: id of a foreign config", kind: mismatch, method: "POST", path: "/api/widget-config",
		body: map[string]any{"id": "{Q.widget}", "type": "widget", "widget": "result-summary", "title": "w", "params": map[string]any{}, "project": "{P}", "dashboard_id": "{P.dash}"}},
	{name: "create global view", kind: global, method: "POST", path: "/api/widget-config",
		body: map[string]any{"type": "view", "widget": "jenkins-job-view", "title": "v", "params": map[string]any{}}},
	{name: "update own widget config", kind: own, method: "PUT", path: "/api/widget-config/{P.widget}", body: map[string]any{"title": "w2"}},
	{name: "update foreign widget config", kind: foreign, method: "PUT", path: "/api/widget-config/{Q.widget}", body: map[string]any{"title": "w2"}},
	{name: "update global view", kind: global, method: "PUT", path: "/api/widget-config/{G.view}", body: map[string]any{"title": "v2"}},
	// Naming only a dashboard may move the config with it (superadmin).
	{name: "update own widget config: dashboard_id foreign", kind: mismatch, method: "PUT", path: "/api/widget-config/{P.widget}",
		body: map[string]any{"dashboard_id": "{Q.dash}"}, want: map[string][]int{"superadmin": anyOutcome}},
	{name: "update own widget config: project foreign", kind: mismatch, method: "PUT", path: "/api/widget-config/{P.widget}",
		body: map[string]any{"project": "{Q}"}},

	// Groups: global, superadmins write.
	{name: "create group", kind: global, method: "POST", path: "/api/group", body: map[string]any{"name": "g2"}},
	{name: "create group: id of an existing group", kind: mismatch, method: "POST", path: "/api/group", body: map[string]any{"id": "{G.group}", "name": "g4"}},
	{name: "update group", kind: global, method: "PUT", path: "/api/group/{G.group}", body: map[string]any{"name": "g3"}},

	// Accounts.
	{name: "update own account", kind: self, method: "PUT", path: "/api/user", body: map[string]any{"name": "Renamed"}},
	{name: "create own token", kind: self, method: "POST", path: "/api/user/token", body: map[string]any{"name": "t2", "expires": "2099-01-01T00:00:00Z"}},
	{name: "admin: create user", kind: global, method: "POST", path: "/api/admin/user", body: map[string]any{"email": "new-{random}@example.com"}},
	{name: "admin: update user", kind: global, method: "PUT", path: "/api/admin/user/{ownerQ.id}", body: map[string]any{"email": "{ownerQ.email}", "name": "Q Owner"}},
	{name: "admin: create project", kind: global, method: "POST", path: "/api/admin/project", body: map[string]any{"name": "admin-{random}"}},
	{name: "admin: update project", kind: global, method: "PUT", path: "/api/admin/project/{Q}", body: map[string]any{"title": "Q3"}},
	{name: "login with a wrong password", kind: public, method: "POST", path: "/api/login", body: map[string]any{"email": "{ownerQ.email}", "password": "x"}},
	{name: "register an existing e-mail", kind: public, method: "POST", path: "/api/login/register", body: map[string]any{"email": "{ownerQ.email}", "password": "x"}},
	{name: "recover an unknown e-mail", kind: public, method: "POST", path: "/api/login/recover", body: map[string]any{"email": "nobody@example.com"}},
	{name: "reset with a bogus code", kind: public, method: "POST", path: "/api/login/reset-password", body: map[string]any{"activation_code": "Zm9vYmFy", "password": "x"}},

	// Deletes, last.
	{name: "delete foreign artifact", kind: foreign, method: "DELETE", path: "/api/artifact/{Q.artifact}"},
	{name: "delete own artifact", kind: own, method: "DELETE", path: "/api/artifact/{P.artifact}"},
	{name: "delete foreign widget config", kind: foreign, method: "DELETE", path: "/api/widget-config/{Q.widget}"},
	{name: "delete own widget config", kind: own, method: "DELETE", path: "/api/widget-config/{P.widget}"},
	{name: "delete global view", kind: global, method: "DELETE", path: "/api/widget-config/{G.view}"},
	{name: "delete foreign dashboard", kind: foreign, method: "DELETE", path: "/api/dashboard/{Q.dash}"},
	{name: "delete own dashboard", kind: own, method: "DELETE", path: "/api/dashboard/{P.dash}"},
	{name: "delete foreign webhook through own project", kind: mismatch, method: "DELETE", path: "/api/project/{P}/webhooks/{Q.webhook}"},
	{name: "delete foreign webhook", kind: foreign, method: "DELETE", path: "/api/project/{Q}/webhooks/{Q.webhook}"},
	{name: "delete own webhook", kind: ownerOnly, method: "DELETE", path: "/api/project/{P}/webhooks/{P.webhook}"},
	{name: "delete global dashboard", kind: global, method: "DELETE", path: "/api/dashboard/{G.dash}"},
	{name: "delete another user's token", kind: others, method: "DELETE", path: "/api/user/token/{ownerQ.token}"},
	{name: "delete own token", kind: self, method: "DELETE", path: "/api/user/token/{WHO.token}"},
	{name: "admin: delete user", kind: global, method: "DELETE", path: "/api/admin/user/{spare.id}"},
	{name: "admin: delete project", kind: global, method: "DELETE", path: "/api/admin/project/{Q}"},
}

// writeMethods are the methods whose routes must have a write row.
var writeMethods = map[string]bool{"POST": true, "PUT": true, "PATCH": true, "DELETE": true}

// anyParam matches a gin route parameter or a case's {placeholder}.
var anyParam = regexp.MustCompile(`\{[A-Za-z.]+\}|:[a-z_]+`)

// routeKey normalises a route or a case path: no query, parameters as {x}.
func routeKey(method, path string) string {
	p, _, _ := strings.Cut(path, "?")
	return method + " " + anyParam.ReplaceAllString(p, "{x}")
}

// TestMatrixWrites runs every write case as the outsider, P's member, P's
// owner and the superadmin, each on a fixture of their own, and checks the
// status and the database: a refused request changes nothing at all; a
// successful one changes nothing outside the caller's projects, global
// rows or other users' accounts (the superadmin's successes are not
// limited). It fails for a write route of the router without a case.
func TestMatrixWrites(t *testing.T) {
	eachDB(t, func(t *testing.T, sqlite bool) {
		for _, who := range isoIdentities {
			t.Run(who, func(t *testing.T) {
				f := newIsoFixture(t, sqlite)
				if who == "outsider" {
					checkWriteCoverage(t, f)
				}
				runWriteCases(t, f, who)
			})
		}
	})
}

// checkWriteCoverage fails for a write route of the router without a row,
// and checks that the check itself bites: dropping the rows of any one
// route must report that route.
func checkWriteCoverage(t *testing.T, f *isoFixture) {
	var routes []string
	for _, r := range f.App.Router.Routes() {
		if writeMethods[r.Method] && strings.HasPrefix(r.Path, "/api/") {
			routes = append(routes, routeKey(r.Method, r.Path))
		}
	}
	if missing := missingRows(routes, writeCases); len(missing) > 0 {
		t.Errorf("write routes without a row in writeCases: %v", missing)
	}
	for _, route := range routes {
		var fewer []wcase
		for _, c := range writeCases {
			if routeKey(c.method, c.path) != route {
				fewer = append(fewer, c)
			}
		}
		if missing := missingRows(routes, fewer); len(missing) != 1 || missing[0] != route {
			t.Errorf("without its rows, %s should be reported missing; got %v", route, missing)
		}
	}
}

// missingRows lists the routes (as routeKey) that no case covers.
func missingRows(routes []string, cases []wcase) []string {
	covered := map[string]bool{}
	for _, c := range cases {
		covered[routeKey(c.method, c.path)] = true
	}
	var missing []string
	for _, r := range routes {
		if !covered[r] {
			missing = append(missing, r)
		}
	}
	sort.Strings(missing)
	return missing
}

func runWriteCases(t *testing.T, f *isoFixture, who string) {
	caller := f.users[who].ID
	token := f.tokens[who]
	base := f.snap()
	for _, c := range writeCases {
		before := base
		path := f.expand(strings.ReplaceAll(c.path, "{WHO.", "{"+who+"."))
		var r *backendtest.Response
		if c.fileField != "" {
			form := map[string]string{}
			for k, v := range c.form {
				form[k] = f.expand(v)
			}
			r = f.multipart(path, form, c.fileField, "report.xml", c.file, token)
		} else {
			var body any
			if c.body != nil {
				body = f.expandAny(c.body)
			}
			r = f.Do(c.method, path, body, token)
		}
		if r.Code == 202 && strings.HasPrefix(path, "/api/import") {
			if st := f.waitImport(r.Map()["id"].(string)); st["status"] != "done" {
				t.Errorf("%s as %s: import ended %v", c.name, who, st)
			}
		}
		after := f.snap()
		want := c.statuses(who)
		if !containsInt(want, r.Code) {
			t.Errorf("%s (%s %s) as %s: status %d, want one of %v: %s", c.name, c.method, c.path, who, r.Code, want, trim(r.Body.String()))
		}
		if r.Code >= 400 && !strings.Contains(r.Header().Get("Content-Type"), "json") {
			t.Errorf("%s as %s: error %d is not JSON (%s)", c.name, who, r.Code, r.Header().Get("Content-Type"))
		}
		switch {
		case r.Code >= 400 || c.kind == public:
			if ch := changed(before, after); len(ch) > 0 {
				t.Errorf("%s as %s: refused with %d but the database changed: %s", c.name, who, r.Code, f.describe(ch))
			}
		case who != "superadmin":
			if tr := trespass(before, after, caller); len(tr) > 0 {
				t.Errorf("%s as %s: rows outside the caller's projects changed: %s", c.name, who, f.describe(tr))
			}
		}
		if bad := invariants(after); len(bad) > 0 {
			t.Errorf("%s as %s: the database breaks the tenancy invariants: %s", c.name, who, f.describe(bad))
		}
		f.restore(base, after)
	}
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func trim(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return strings.TrimSpace(s)
}
