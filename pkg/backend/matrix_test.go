package backend_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// The identities of the authorisation matrix, in column order.
var identities = []string{"anonymous", "bad token", "outsider", "member", "owner", "superadmin"}

// matrixFixture is one project P (owned by owner, with member) and one of
// every object in it, created afresh for each identity so destructive
// operations cannot disturb the next column.
type matrixFixture struct {
	*backendtest.Env
	owner, member, outsider                    string // tokens
	outsiderID, project                        string
	run, result, artifact, group, dash, widget string
	importID, token, webhook, quarantine       string
}

func newMatrixFixture(t *testing.T, sqlite bool) *matrixFixture {
	e := backendtest.New(t, backendtest.Options{SQLite: sqlite})
	f := &matrixFixture{Env: e}
	owner := e.CreateUser("owner@example.com", "pw", false)
	member := e.CreateUser("member@example.com", "pw", false)
	outsider := e.CreateUser("outsider@example.com", "pw", false)
	f.owner, f.member, f.outsider, f.outsiderID = e.TokenFor(owner), e.TokenFor(member), e.TokenFor(outsider), outsider.ID.String()
	must := func(r *backendtest.Response, what string) map[string]any { return mustOK(t, r, what) }
	f.project = must(e.Do("POST", "/api/project", map[string]any{"name": "p", "title": "P"}, f.owner), "project")["id"].(string)
	must(e.Do("PUT", "/api/project/"+f.project, map[string]any{"users": []string{"member@example.com"}}, f.owner), "membership")
	f.run = must(e.Do("POST", "/api/run", map[string]any{"metadata": map[string]any{"project": f.project}}, f.owner), "run")["id"].(string)
	f.result = must(e.Do("POST", "/api/result", map[string]any{"test_id": "t", "result": "failed", "metadata": map[string]any{"project": f.project, "run": f.run}}, f.owner), "result")["id"].(string)
	f.artifact = must(f.upload("/api/artifact", map[string]string{"resultId": f.result, "filename": "log.txt"}, "file", []byte("log"), f.owner), "artifact")["id"].(string)
	f.importID = must(f.upload("/api/import", map[string]string{"project": f.project}, "importFile", []byte(`<testsuite name="s" tests="1"><testcase classname="a.b" name="c"/></testsuite>`), f.owner), "import")["id"].(string)
	f.group = must(e.Do("POST", "/api/group", map[string]any{"name": "g"}, e.AdminToken), "group")["id"].(string)
	f.dash = must(e.Do("POST", "/api/dashboard", map[string]any{"title": "d", "project_id": f.project}, f.owner), "dashboard")["id"].(string)
	f.widget = must(e.Do("POST", "/api/widget-config", map[string]any{"type": "widget", "widget": "result-summary", "title": "w", "params": map[string]any{}, "project": f.project, "dashboard_id": f.dash}, f.owner), "widget config")["id"].(string)
	f.token = must(e.Do("POST", "/api/user/token", map[string]any{"name": "ci", "expires": "2099-01-01T00:00:00Z"}, f.member), "token")["id"].(string)
	f.webhook = must(e.Do("POST", "/api/project/"+f.project+"/webhooks", webhookBody, f.owner), "webhook")["id"].(string)
	f.quarantine = must(e.Do("POST", "/api/project/"+f.project+"/quarantine", map[string]any{"pattern": "t", "reason": "r"}, f.owner), "quarantine entry")["id"].(string)
	return f
}

func (f *matrixFixture) upload(path string, fields map[string]string, fileField string, file []byte, token string) *backendtest.Response {
	return postMultipart(f.Env, path, fields, fileField, "report.xml", file, token)
}

// tokenFor returns the Authorization token of an identity.
func (f *matrixFixture) tokenFor(who string) string {
	switch who {
	case "bad token":
		return "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwIiwiZXhwIjoxfQ.expired"
	case "outsider":
		return f.outsider
	case "member":
		return f.member
	case "owner":
		return f.owner
	case "superadmin":
		return f.AdminToken
	}
	return ""
}

// op is one row of the matrix: a request and the status each identity gets.
type op struct {
	method, path string // path may use {project} {run} {result} ... placeholders
	body         any
	want         [6]int // anonymous, bad token, outsider, member, owner, superadmin
}

func (f *matrixFixture) expand(s string) string {
	return strings.NewReplacer("{project}", f.project, "{run}", f.run, "{result}", f.result, "{artifact}", f.artifact,
		"{group}", f.group, "{dashboard}", f.dash, "{widget}", f.widget, "{import}", f.importID, "{token}", f.token, "{quarantine}", f.quarantine,
		"{outsider}", f.outsiderID, "{webhook}", f.webhook, "{random}", uuid.NewString()).Replace(s)
}

// webhookBody is a valid subscription (the fixture's and the matrix's).
var webhookBody = map[string]any{"name": "chat", "url": "https://hooks.example/x", "secret": "0123456789abcdef", "events": []any{"run.finished"}}

// A = anonymous/bad token answers of protected routes.
const A = 401

// matrix is the authorisation table of every API operation (statuses only;
// TestMatrixWrites and TestMatrixReads check the rows). Rows that change
// or delete the fixture come last. A route the router serves that has no
// row here fails TestAuthorizationMatrix.
var matrix = []op{
	{"GET", "/api/health", nil, [6]int{200, 200, 200, 200, 200, 200}},
	{"GET", "/api/health/ready", nil, [6]int{200, 200, 200, 200, 200, 200}},
	{"GET", "/api/health/database", nil, [6]int{A, A, 200, 200, 200, 200}},
	{"GET", "/api/health/info", nil, [6]int{A, A, 200, 200, 200, 200}},
	{"GET", "/api/login/support", nil, [6]int{200, 200, 200, 200, 200, 200}},
	{"GET", "/api/login/config/github", nil, [6]int{200, 200, 200, 200, 200, 200}},
	{"GET", "/api/login/auth/github", nil, [6]int{400, 400, 400, 400, 400, 400}},
	{"GET", "/api/login/activate/Zm9vYmFy", nil, [6]int{302, 302, 302, 302, 302, 302}},
	{"POST", "/api/login", map[string]any{"email": "nobody@example.com", "password": "x"}, [6]int{401, 401, 401, 401, 401, 401}},
	{"POST", "/api/login/register", map[string]any{"email": "owner@example.com", "password": "x"}, [6]int{400, 400, 400, 400, 400, 400}},
	{"POST", "/api/login/recover", map[string]any{"email": "nobody@example.com"}, [6]int{400, 400, 400, 400, 400, 400}},
	{"POST", "/api/login/reset-password", map[string]any{"activation_code": "Zm9vYmFy", "password": "x"}, [6]int{400, 400, 400, 400, 400, 400}},
	{"GET", "/api/project", nil, [6]int{A, A, 200, 200, 200, 200}},
	{"GET", "/api/project/{project}", nil, [6]int{A, A, 401, 200, 200, 200}},
	{"GET", "/api/project/filter-params/{project}", nil, [6]int{A, A, 401, 200, 200, 200}},
	{"GET", "/api/project/{project}/triage-settings", nil, [6]int{A, A, 403, 200, 200, 200}},
	{"POST", "/api/project", map[string]any{"name": "new-{random}"}, [6]int{A, A, 201, 201, 201, 201}},
	{"GET", "/api/run?filter=project_id={project}", nil, [6]int{A, A, 200, 200, 200, 200}},
	{"GET", "/api/run/{run}", nil, [6]int{A, A, 403, 200, 200, 200}},
	{"GET", "/api/run/{run}/previous", nil, [6]int{A, A, 403, 204, 204, 204}},
	{"GET", "/api/run/{run}/clusters", nil, [6]int{A, A, 403, 200, 200, 200}},
	// Quarantine: read as GET /project/{id} (outsider 401), written as PUT /project/{id} (owner).
	{"GET", "/api/project/{project}/quarantine", nil, [6]int{A, A, 401, 200, 200, 200}},
	{"GET", "/api/project/{project}/quarantine.txt", nil, [6]int{A, A, 401, 200, 200, 200}},
	{"POST", "/api/project/{project}/quarantine", map[string]any{"pattern": "tests.*", "reason": "r"}, [6]int{A, A, 403, 403, 201, 201}},
	// Live streams (text/event-stream: the matrix reads the status and leaves).
	{"GET", "/api/run/{run}/events", nil, [6]int{A, A, 403, 200, 200, 200}},
	{"GET", "/api/project/{project}/events", nil, [6]int{A, A, 403, 200, 200, 200}},
	{"POST", "/api/run/{run}/events/ticket", nil, [6]int{A, A, 403, 201, 201, 201}},
	{"POST", "/api/project/{project}/events/ticket", nil, [6]int{A, A, 403, 201, 201, 201}},
	{"GET", "/api/flaky?project={project}", nil, [6]int{A, A, 403, 200, 200, 200}},
	{"GET", "/api/project/{project}/flaky-settings", nil, [6]int{A, A, 403, 200, 200, 200}},
	{"PUT", "/api/project/{project}/flaky-settings", map[string]any{"min_flips": 2}, [6]int{A, A, 403, 403, 200, 200}},
	{"POST", "/api/run", map[string]any{"metadata": map[string]any{"project": "{project}"}}, [6]int{A, A, 403, 201, 201, 201}},
	{"GET", "/api/result?filter=project_id={project}", nil, [6]int{A, A, 200, 200, 200, 200}},
	{"GET", "/api/result/{result}", nil, [6]int{A, A, 403, 200, 200, 200}},
	{"GET", "/api/result/{result}/classification-history", nil, [6]int{A, A, 403, 200, 200, 200}},
	{"POST", "/api/result", map[string]any{"test_id": "n", "metadata": map[string]any{"project": "{project}"}}, [6]int{A, A, 403, 201, 201, 201}},
	{"GET", "/api/artifact", nil, [6]int{A, A, 200, 200, 200, 200}},
	{"GET", "/api/artifact/{artifact}", nil, [6]int{A, A, 403, 200, 200, 200}},
	{"GET", "/api/artifact/{artifact}/view", nil, [6]int{A, A, 403, 200, 200, 200}},
	{"GET", "/api/artifact/{artifact}/download", nil, [6]int{A, A, 403, 200, 200, 200}},
	{"POST", "/api/artifact", map[string]any{}, [6]int{A, A, 415, 415, 415, 415}},
	{"GET", "/api/import", nil, [6]int{A, A, 200, 200, 200, 200}},
	{"GET", "/api/import/{import}", nil, [6]int{A, A, 403, 200, 200, 200}},
	{"GET", "/api/import/formats", nil, [6]int{A, A, 200, 200, 200, 200}},
	{"POST", "/api/import", map[string]any{}, [6]int{A, A, 415, 415, 415, 415}},
	{"GET", "/api/group", nil, [6]int{A, A, 200, 200, 200, 200}},
	{"GET", "/api/group/{group}", nil, [6]int{A, A, 200, 200, 200, 200}},
	// Groups are global: everyone reads them, superadmins write them.
	{"POST", "/api/group", map[string]any{"name": "g2"}, [6]int{A, A, 403, 403, 403, 201}},
	{"PUT", "/api/group/{group}", map[string]any{"name": "g3"}, [6]int{A, A, 403, 403, 403, 200}},
	{"GET", "/api/task/{random}", nil, [6]int{A, A, 206, 206, 206, 206}},
	{"GET", "/api/dashboard?project_id={project}", nil, [6]int{A, A, 403, 200, 200, 200}},
	{"GET", "/api/dashboard/{dashboard}", nil, [6]int{A, A, 403, 200, 200, 200}},
	{"POST", "/api/dashboard", map[string]any{"title": "d2", "project_id": "{project}"}, [6]int{A, A, 403, 201, 201, 201}},
	{"GET", "/api/widget-config", nil, [6]int{A, A, 200, 200, 200, 200}},
	{"GET", "/api/widget-config/{widget}", nil, [6]int{A, A, 403, 200, 200, 200}},
	{"POST", "/api/widget-config", map[string]any{"type": "widget", "widget": "result-summary", "title": "w2", "params": map[string]any{}, "project": "{project}"}, [6]int{A, A, 403, 201, 201, 201}},
	// Webhooks are project settings: the owner and superadmins only.
	{"GET", "/api/project/{project}/webhooks", nil, [6]int{A, A, 403, 403, 200, 200}},
	{"POST", "/api/project/{project}/webhooks", webhookBody, [6]int{A, A, 403, 403, 201, 201}},
	{"GET", "/api/project/{project}/webhooks/{webhook}", nil, [6]int{A, A, 403, 403, 200, 200}},
	{"GET", "/api/project/{project}/webhooks/{webhook}/deliveries", nil, [6]int{A, A, 403, 403, 200, 200}},
	{"GET", "/api/widget/types", nil, [6]int{A, A, 200, 200, 200, 200}},
	{"GET", "/api/widget/result-summary?project={project}", nil, [6]int{A, A, 403, 200, 200, 200}},
	{"GET", "/api/user", nil, [6]int{A, A, 200, 200, 200, 200}},
	{"PUT", "/api/user", map[string]any{"name": "Renamed"}, [6]int{A, A, 200, 200, 200, 200}},
	{"GET", "/api/user/token", nil, [6]int{A, A, 200, 200, 200, 200}},
	{"POST", "/api/user/token", map[string]any{"name": "t2", "expires": "2099-01-01T00:00:00Z"}, [6]int{A, A, 201, 201, 201, 201}},
	{"GET", "/api/user/token/{token}", nil, [6]int{A, A, 403, 200, 403, 403}},
	{"GET", "/api/admin/user", nil, [6]int{A, A, 403, 403, 403, 200}},
	{"GET", "/api/admin/user/{outsider}", nil, [6]int{A, A, 403, 403, 403, 200}},
	{"POST", "/api/admin/user", map[string]any{"email": "new-{random}@example.com"}, [6]int{A, A, 403, 403, 403, 201}},
	{"GET", "/api/admin/project", nil, [6]int{A, A, 403, 403, 403, 200}},
	{"GET", "/api/admin/project/{project}", nil, [6]int{A, A, 403, 403, 403, 200}},
	{"POST", "/api/admin/project", map[string]any{"name": "admin-{random}"}, [6]int{A, A, 403, 403, 403, 201}},
	// Writes to the fixture.
	{"PUT", "/api/result/{result}", map[string]any{"metadata": map[string]any{"classification": "x"}}, [6]int{A, A, 403, 200, 200, 200}},
	{"POST", "/api/results/bulk-update", map[string]any{"ids": []any{"{result}"}, "metadata": map[string]any{"classification": "x"}}, [6]int{A, A, 403, 200, 200, 200}},
	{"PUT", "/api/run/{run}", map[string]any{"metadata": map[string]any{"x": 1}}, [6]int{A, A, 403, 200, 200, 200}},
	{"POST", "/api/run/{run}/finish", nil, [6]int{A, A, 403, 200, 200, 200}},
	{"POST", "/api/runs/bulk-update?filter=project_id={project}", map[string]any{"metadata": map[string]any{"y": 1}}, [6]int{A, A, 404, 200, 200, 200}},
	{"PUT", "/api/project/{project}", map[string]any{"title": "T"}, [6]int{A, A, 403, 403, 200, 200}},
	{"PUT", "/api/project/{project}/webhooks/{webhook}", map[string]any{"enabled": false}, [6]int{A, A, 403, 403, 200, 200}},
	{"POST", "/api/project/{project}/webhooks/{webhook}/test", nil, [6]int{A, A, 403, 403, 202, 202}},
	{"PUT", "/api/project/{project}/quarantine/{quarantine}", map[string]any{"reason": "r2"}, [6]int{A, A, 403, 403, 200, 200}},
	{"DELETE", "/api/project/{project}/quarantine/{quarantine}", nil, [6]int{A, A, 403, 403, 200, 200}},
	{"PUT", "/api/project/{project}/triage-settings", map[string]any{"auto_classify": true}, [6]int{A, A, 403, 403, 200, 200}},
	{"PUT", "/api/dashboard/{dashboard}", map[string]any{"title": "d3"}, [6]int{A, A, 403, 200, 200, 200}},
	{"PUT", "/api/widget-config/{widget}", map[string]any{"title": "w3"}, [6]int{A, A, 403, 200, 200, 200}},
	{"PUT", "/api/admin/user/{outsider}", map[string]any{"email": "outsider@example.com", "projects": []any{}}, [6]int{A, A, 403, 403, 403, 200}},
	{"PUT", "/api/admin/project/{project}", map[string]any{"title": "T2"}, [6]int{A, A, 403, 403, 403, 200}},
	{"DELETE", "/api/project/{project}/webhooks/{webhook}", nil, [6]int{A, A, 403, 403, 200, 200}},
	{"DELETE", "/api/artifact/{artifact}", nil, [6]int{A, A, 403, 200, 200, 200}},
	{"DELETE", "/api/widget-config/{widget}", nil, [6]int{A, A, 403, 200, 200, 200}},
	{"DELETE", "/api/dashboard/{dashboard}", nil, [6]int{A, A, 403, 200, 200, 200}},
	{"DELETE", "/api/user/token/{token}", nil, [6]int{A, A, 403, 200, 403, 403}},
	{"DELETE", "/api/admin/project/{project}", nil, [6]int{A, A, 403, 403, 403, 200}},
	{"DELETE", "/api/admin/user/{outsider}", nil, [6]int{A, A, 403, 403, 403, 200}},
}

var routeParam = regexp.MustCompile(`\{[a-z]+\}|:[a-z_]+`)

// TestAuthorizationMatrix runs every operation as every identity and checks
// the status against the table; it also fails when the router serves an
// /api operation the table lacks. With IBUTSU_MATRIX_PRINT=1 it prints the
// observed statuses instead (to review when the API grows).
func TestAuthorizationMatrix(t *testing.T) {
	eachDB(t, runMatrix)
}

func runMatrix(t *testing.T, sqlite bool) {
	covered := map[string]bool{}
	for _, o := range matrix {
		p, _, _ := strings.Cut(o.path, "?")
		p = strings.NewReplacer("github", "{x}", "Zm9vYmFy", "{x}", "result-summary", "{x}").Replace(p)
		covered[o.method+" "+routeParam.ReplaceAllString(p, "{x}")] = true
	}
	fixtures := map[string]*matrixFixture{}
	for _, who := range identities {
		fixtures[who] = newMatrixFixture(t, sqlite)
	}
	var missing []string
	for _, r := range fixtures["anonymous"].App.Router.Routes() {
		if !strings.HasPrefix(r.Path, "/api/") || strings.HasPrefix(r.Path, "/api/ui") || strings.HasPrefix(r.Path, "/api/openapi") {
			continue
		}
		if key := r.Method + " " + routeParam.ReplaceAllString(r.Path, "{x}"); !covered[key] {
			missing = append(missing, key)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("operations without a row in the authorisation matrix: %v", missing)
	}
	printMatrix := os.Getenv("IBUTSU_MATRIX_PRINT") != ""
	for _, o := range matrix {
		var got [6]int
		for i, who := range identities {
			f := fixtures[who]
			var body any
			if o.body != nil {
				body = expandJSON(o.body, f.expand)
			}
			var r *backendtest.Response
			if strings.HasSuffix(o.path, "/events") {
				r = streamStatus(f.Env, f.expand(o.path), f.tokenFor(who))
			} else {
				r = f.Do(o.method, f.expand(o.path), body, f.tokenFor(who))
			}
			got[i] = r.Code
			if r.Code >= 500 {
				t.Errorf("%s %s as %s: %d %s", o.method, o.path, who, r.Code, r.Body)
			}
		}
		if printMatrix {
			fmt.Printf("%s %s %v\n", o.method, o.path, got)
			continue
		}
		if got != o.want {
			t.Errorf("%s %s: got %v want %v (%v)", o.method, o.path, got, o.want, identities)
		}
	}
}

// streamStatus opens an event stream and leaves as soon as its status is
// written (the stream would otherwise stay open).
func streamStatus(e *backendtest.Env, path, token string) *backendtest.Response {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req := httptest.NewRequestWithContext(ctx, "GET", path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := &leaveOnHeader{ResponseRecorder: httptest.NewRecorder(), leave: cancel}
	e.App.Router.ServeHTTP(rec, req)
	return backendtest.Wrap(e.T, rec.ResponseRecorder)
}

// leaveOnHeader cancels the request once the status is written.
type leaveOnHeader struct {
	*httptest.ResponseRecorder
	leave func()
}

func (l *leaveOnHeader) WriteHeader(code int) {
	l.ResponseRecorder.WriteHeader(code)
	l.leave()
}
