package backend_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// Rows shaped as upstream 3.1.1's server writes them, NULLs included.
const (
	cuUser     = "7e0b1d2c-3a4b-4c5d-8e6f-700000000001"
	cuProject  = "7e0b1d2c-3a4b-4c5d-8e6f-700000000002"
	cuNoName   = "7e0b1d2c-3a4b-4c5d-8e6f-700000000003"
	cuDash     = "7e0b1d2c-3a4b-4c5d-8e6f-700000000004"
	cuRun      = "7e0b1d2c-3a4b-4c5d-8e6f-700000000005"
	cuResult   = "7e0b1d2c-3a4b-4c5d-8e6f-700000000006"
	cuArtifact = "7e0b1d2c-3a4b-4c5d-8e6f-700000000007"
	cuWidget   = "7e0b1d2c-3a4b-4c5d-8e6f-700000000008"
	cuImport   = "7e0b1d2c-3a4b-4c5d-8e6f-700000000009"
)

var upstreamRows = []string{
	`INSERT INTO users (id, email, _password, name, activation_code, is_superadmin, is_active, group_id)
	 VALUES ('` + cuUser + `', 'python@example.com', NULL, 'Py', NULL, false, true, NULL)`,
	`INSERT INTO projects (id, name, title, owner_id) VALUES ('` + cuProject + `', 'upstream', 'Upstream', '` + cuUser + `')`,
	`INSERT INTO projects (id, name, title, owner_id) VALUES ('` + cuNoName + `', NULL, NULL, NULL)`,
	`INSERT INTO users_projects (user_id, project_id) VALUES ('` + cuUser + `', '` + cuProject + `'), ('` + cuUser + `', '` + cuNoName + `')`,
	`INSERT INTO dashboards (id, title, description, filters, project_id, user_id) VALUES ('` + cuDash + `', NULL, '', '', '` + cuNoName + `', NULL)`,
	`INSERT INTO widget_configs (id, project_id, dashboard_id, title, type, weight, widget, params, navigable)
	 VALUES ('` + cuWidget + `', '` + cuProject + `', NULL, NULL, 'widget', 0, 'result-summary', '{}', NULL)`,
	`INSERT INTO runs (id, project_id, data, env, component, source, start_time, duration, summary, created)
	 VALUES ('` + cuRun + `', '` + cuProject + `', '{"project": "upstream", "jenkins": {"job_name": "j", "build_number": "3"}}', NULL, NULL, 'src',
	         '2026-01-02 03:04:05.123456', 12.5, '{"tests": 2, "failures": 1, "errors": 0, "skips": 0, "xfailures": 0, "xpasses": 0, "passes": 1, "pass_percent": 50}',
	         '2026-01-02 03:04:05.123456')`,
	`INSERT INTO results (id, project_id, run_id, test_id, result, data, params, duration, start_time, source, env, component)
	 VALUES ('` + cuResult + `', '` + cuProject + `', '` + cuRun + `', 'test_up', 'failed', '{"project": "upstream", "tags": ["x"]}', NULL, NULL,
	         '2026-01-02 03:04:06', NULL, NULL, NULL)`,
	`INSERT INTO artifacts (id, content, result_id, run_id, filename, data, upload_date)
	 VALUES ('` + cuArtifact + `', 'bytes', '` + cuResult + `', NULL, NULL, NULL, '2026-01-02 03:04:07')`,
	`INSERT INTO imports (id, filename, format, data, status, created) VALUES ('` + cuImport + `', 'r.xml', 'junit', '{}', 'done', DEFAULT)`,
}

// upstreamEnv is a backend started on a database restored from upstream
// 3.1.1's own schema dump at its head, holding upstream-shaped rows.
func upstreamEnv(t *testing.T) (*backendtest.Env, *sql.DB) {
	t.Helper()
	ddl, err := os.ReadFile("../platform/db/testdata/upstream/" + db.UpstreamHead + ".sql")
	if err != nil {
		t.Fatal(err)
	}
	var dsn string
	e := backendtest.New(t, backendtest.Options{Configure: func(cfg *config.Config) {
		dsn = cfg.Database.URL
		q, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = q.Close() }()
		q.SetMaxOpenConns(1) // one session: the RESET below must reach the dump's
		if _, err := q.Exec(string(ddl)); err != nil {
			t.Fatalf("restore upstream schema: %v", err)
		}
		if _, err := q.Exec("RESET search_path"); err != nil {
			t.Fatal(err)
		}
		stmts := append([]string{"INSERT INTO alembic_version VALUES ('" + db.UpstreamHead + "')"}, upstreamRows...)
		for _, s := range stmts {
			if _, err := q.Exec(s); err != nil {
				t.Fatalf("%v\n%s", err, s)
			}
		}
	}})
	q, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = q.Close() })
	return e, q
}

// pyToken signs claims the way upstream's PyJWT does (the payload as
// written, so a Python float exp stays 1767225600.0).
func pyToken(secret, payload string) string {
	b64 := base64.RawURLEncoding.EncodeToString
	head := b64([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + b64([]byte(payload))
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(head))
	return head + "." + b64(m.Sum(nil))
}

// TestCompatUpstreamDatabaseEndToEnd: the backend adopts upstream's own
// schema with upstream's rows in it, serves them, writes through the API
// without turning NULL into an empty string and with upstream's defaults,
// and leaves upstream's tables exactly as upstream defines them.
func TestCompatUpstreamDatabaseEndToEnd(t *testing.T) {
	e, q := upstreamEnv(t)
	ctx := context.Background()
	tok := e.AdminToken

	// Read everything back.
	get := func(path string) map[string]any {
		t.Helper()
		r := e.Do("GET", path, nil, tok)
		if r.Code != 200 {
			t.Fatalf("GET %s: %d %s", path, r.Code, r.Body)
		}
		return r.Map()
	}
	if p := get("/api/project/" + cuNoName); p["name"] != nil || p["title"] != nil {
		t.Errorf("NULL project name/title served as %v / %v", p["name"], p["title"])
	}
	if p := get("/api/project/" + cuProject); p["name"] != "upstream" || p["owner_id"] != cuUser {
		t.Errorf("project %v", p)
	}
	if d := get("/api/dashboard/" + cuDash); d["title"] != nil || d["description"] != "" {
		t.Errorf("dashboard %v", d)
	}
	if a := get("/api/artifact/" + cuArtifact); a["filename"] != nil || a["result_id"] != cuResult {
		t.Errorf("artifact %v", a)
	}
	if r := get("/api/run/" + cuRun); r["start_time"] == nil || fmt.Sprint(r["summary"].(map[string]any)["pass_percent"]) != "50" {
		t.Errorf("run %v", r)
	}
	if r := get("/api/result/" + cuResult); r["test_id"] != "test_up" || r["run_id"] != cuRun {
		t.Errorf("result %v", r)
	}
	if list := get("/api/result?filter=run_id=" + cuRun + "&filter=project_id=" + cuProject); fmt.Sprint(list["pagination"].(map[string]any)["totalItems"]) != "1" {
		t.Errorf("result list %v", list["pagination"])
	}
	if w := get("/api/widget-config/" + cuWidget); w["widget"] != "result-summary" {
		t.Errorf("widget %v", w)
	}
	if im := get("/api/import/" + cuImport); im["status"] != "done" || im["filename"] != "r.xml" {
		t.Errorf("import %v", im)
	}
	get("/api/project")
	get("/api/dashboard?project_id=" + cuNoName)
	get("/api/artifact?resultId=" + cuResult)
	get("/api/run?filter=metadata.jenkins.job_name=j&filter=project_id=" + cuProject)

	// Write through the API.
	if r := e.Do("PUT", "/api/project/"+cuNoName, map[string]any{"title": "Titled"}, tok); r.Code != 200 {
		t.Fatalf("update project: %d %s", r.Code, r.Body)
	}
	if r := e.Do("PUT", "/api/dashboard/"+cuDash, map[string]any{"description": "d"}, tok); r.Code != 200 {
		t.Fatalf("update dashboard: %d %s", r.Code, r.Body)
	}
	r := e.Do("POST", "/api/dashboard", map[string]any{"title": "new", "project_id": cuProject}, tok)
	if r.Code != 201 {
		t.Fatalf("create dashboard: %d %s", r.Code, r.Body)
	}
	newDash := r.Map()["id"].(string)
	r = e.Do("POST", "/api/run", map[string]any{"metadata": map[string]any{"project": "upstream"}}, tok)
	if r.Code != 201 {
		t.Fatalf("create run: %d %s", r.Code, r.Body)
	}
	newRun := r.Map()["id"].(string)
	r = e.Do("POST", "/api/result", map[string]any{"test_id": "t2", "result": "passed", "run_id": newRun,
		"metadata": map[string]any{"project": "upstream"}}, tok)
	if r.Code != 201 {
		t.Fatalf("create result: %d %s", r.Code, r.Body)
	}
	newResult := r.Map()["id"].(string)

	// The rows as upstream's columns hold them.
	row := func(query string, args ...any) string {
		t.Helper()
		var s sql.NullString
		if err := q.QueryRowContext(ctx, query, args...).Scan(&s); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		if !s.Valid {
			return "NULL"
		}
		return s.String
	}
	checks := []struct{ query, want string }{
		{"SELECT name FROM projects WHERE id = '" + cuNoName + "'", "NULL"},
		{"SELECT title FROM projects WHERE id = '" + cuNoName + "'", "Titled"},
		{"SELECT title FROM dashboards WHERE id = '" + cuDash + "'", "NULL"},
		{"SELECT description || '|' || filters FROM dashboards WHERE id = '" + cuDash + "'", "d|"},
		// Upstream's model defaults description and filters to ''.
		{"SELECT description || '|' || filters FROM dashboards WHERE id = '" + newDash + "'", "|"},
		{"SELECT filename FROM artifacts WHERE id = '" + cuArtifact + "'", "NULL"},
		{"SELECT project_id::text FROM runs WHERE id = '" + newRun + "'", cuProject},
		{"SELECT (created IS NOT NULL AND start_time IS NOT NULL)::text FROM runs WHERE id = '" + newRun + "'", "true"},
		{"SELECT project_id::text || '|' || run_id::text FROM results WHERE id = '" + newResult + "'", cuProject + "|" + newRun},
		{"SELECT version_num FROM alembic_version", db.UpstreamHead},
	}
	for _, c := range checks {
		if got := row(c.query); got != c.want {
			t.Errorf("%s = %q, want %q", c.query, got, c.want)
		}
	}

	// Upstream's tables are exactly upstream's: every column, type,
	// default and constraint of its dump, nothing changed.
	restored, err := sql.Open("pgx", backendtest.Config(t, backendtest.Options{}).Database.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = restored.Close() }()
	restored.SetMaxOpenConns(1)
	ddl, _ := os.ReadFile("../platform/db/testdata/upstream/" + db.UpstreamHead + ".sql")
	if _, err := restored.Exec(string(ddl)); err != nil {
		t.Fatal(err)
	}
	if _, err := restored.Exec("RESET search_path"); err != nil {
		t.Fatal(err)
	}
	want, err := db.DescribeSchema(ctx, restored)
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.DescribeSchema(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, l := range got {
		have[l] = true
	}
	for _, l := range want {
		if !have[l] {
			t.Errorf("upstream schema line missing after serving: %s", l)
		}
	}
}

// TestCompatUpstreamTokensOnAdoptedDatabase: a browser session the Python
// server issued with another lifetime keeps working; an API token upstream
// minted works while its tokens row exists and is refused once deleted.
func TestCompatUpstreamTokensOnAdoptedDatabase(t *testing.T) {
	e, q := upstreamEnv(t)
	const secret = "backendtest-secret" // backendtest's JWT secret, shared with "the Python server"
	now := time.Now().Unix()
	login := pyToken(secret, fmt.Sprintf(`{"iss":"org.ibutsu-project.server","iat":%d,"exp":%d,"sub":"%s"}`, now-60, now-60+86400, cuUser))
	api := pyToken(secret, fmt.Sprintf(`{"iss":"org.ibutsu-project.server","iat":%d,"exp":%d.0,"sub":"%s"}`, now, now+7200, cuUser))

	if r := e.Do("GET", "/api/project/"+cuProject, nil, login); r.Code != 200 {
		t.Fatalf("upstream login token (1-day lifetime, no tokens row): %d %s", r.Code, r.Body)
	}
	if _, err := q.Exec(`INSERT INTO tokens (id, name, token, expires, user_id) VALUES ('7e0b1d2c-3a4b-4c5d-8e6f-7000000000a1', 'ci', $1, now() + interval '2 hours', $2)`, api, cuUser); err != nil {
		t.Fatal(err)
	}
	if r := e.Do("GET", "/api/project/"+cuProject, nil, api); r.Code != 200 {
		t.Fatalf("upstream API token with its row: %d %s", r.Code, r.Body)
	}
	// Deleted through the API, as a user revokes it.
	if r := e.Do("DELETE", "/api/user/token/7e0b1d2c-3a4b-4c5d-8e6f-7000000000a1", nil, login); r.Code != 200 {
		t.Fatalf("delete token: %d %s", r.Code, r.Body)
	}
	if r := e.Do("GET", "/api/project/"+cuProject, nil, api); r.Code != 401 || !strings.Contains(r.Body.String(), "revoked") {
		t.Fatalf("deleted upstream API token: %d %s", r.Code, r.Body)
	}
}
