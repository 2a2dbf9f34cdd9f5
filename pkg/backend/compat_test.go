package backend_test

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// compatEnv is the compatibility tests' fixture: superadmin SA, user U
// member of p1; p2 owned by SA without U. p2 holds real rows (a run, a
// result and an artifact of each), so a scope that leaks shows them.
type compatEnv struct {
	*backendtest.Env
	p1, p2                      string
	p2run, p2result, p2artifact string
}

func newCompat(t *testing.T, sqlite bool) *compatEnv {
	e := &compatEnv{Env: backendtest.New(t, backendtest.Options{SQLite: sqlite})}
	r := e.Do("POST", "/api/project", map[string]any{"name": "p1", "title": "Project One"}, e.UserToken)
	if r.Code != 201 {
		t.Fatalf("create p1: %d %s", r.Code, r.Body)
	}
	e.p1 = r.Map()["id"].(string)
	r = e.Do("POST", "/api/project", map[string]any{"name": "p2", "title": "Second"}, e.AdminToken)
	if r.Code != 201 {
		t.Fatalf("create p2: %d %s", r.Code, r.Body)
	}
	e.p2 = r.Map()["id"].(string)
	r = e.Do("POST", "/api/run", map[string]any{"metadata": map[string]any{"project": e.p2, "env": "p2-env"}}, e.AdminToken)
	if r.Code != 201 {
		t.Fatalf("create p2 run: %d %s", r.Code, r.Body)
	}
	e.p2run = r.Map()["id"].(string)
	r = e.Do("POST", "/api/result", map[string]any{"test_id": "p2-test", "result": "failed", "metadata": map[string]any{"project": e.p2, "run": e.p2run}}, e.AdminToken)
	if r.Code != 201 {
		t.Fatalf("create p2 result: %d %s", r.Code, r.Body)
	}
	e.p2result = r.Map()["id"].(string)
	if r = postMultipart(e.Env, "/api/artifact", map[string]string{"resultId": e.p2result, "filename": "p2.log"}, "file", "upload.bin", []byte("p2 log"), e.AdminToken); r.Code != 201 {
		t.Fatalf("create p2 artifact: %d %s", r.Code, r.Body)
	}
	e.p2artifact = r.Map()["id"].(string)
	return e
}

func forBothDBs(t *testing.T, fn func(t *testing.T, e *compatEnv)) {
	eachDB(t, func(t *testing.T, sqlite bool) { fn(t, newCompat(t, sqlite)) })
}

func isProblem(r *backendtest.Response) bool {
	return r.Header().Get("Content-Type") == "application/problem+json"
}

func TestCompatProjects(t *testing.T) {
	forBothDBs(t, func(t *testing.T, e *compatEnv) {
		// A user creates a project: the caller owns it whatever owner_id says
		// and finds it by name with upstream's pagination.
		r := e.Do("POST", "/api/project", map[string]any{"name": "p3", "title": "P3", "owner_id": e.Admin.ID.String()}, e.UserToken)
		p3 := r.Map()
		if r.Code != 201 || p3["owner_id"] != e.User.ID.String() {
			t.Fatalf("create p3: %d %v", r.Code, p3)
		}
		users := p3["users"].([]any)
		if len(users) != 1 || users[0].(map[string]any)["id"] != e.User.ID.String() {
			t.Fatalf("creator must be a member: %v", users)
		}
		if strings.Contains(r.Body.String(), "password") || strings.Contains(r.Body.String(), "activation_code") {
			t.Fatalf("secrets leaked: %s", r.Body)
		}
		r = e.Do("GET", "/api/project?filter=name=p3", nil, e.UserToken)
		list := r.Map()
		if got := list["projects"].([]any)[0].(map[string]any)["id"]; got != p3["id"] {
			t.Fatalf("lookup by name: %v", list)
		}
		if fmt.Sprint(list["pagination"]) != "map[page:1 pageSize:25 totalItems:1 totalPages:1]" {
			t.Fatalf("pagination %v", list["pagination"])
		}
		// GET /project/{id}: a name is a bad UUID, a foreign project 401, an
		// unknown id 404.
		if r = e.Do("GET", "/api/project/p1", nil, e.UserToken); r.Code != 400 || !strings.Contains(r.Body.String(), "is not a valid UUID") {
			t.Fatalf("by name: %d %s", r.Code, r.Body)
		}
		if r = e.Do("GET", "/api/project/"+e.p2, nil, e.UserToken); r.Code != 401 {
			t.Fatalf("no access must be 401: %d", r.Code)
		}
		if r = e.Do("GET", "/api/project/00000000-0000-0000-0000-000000000000", nil, e.UserToken); r.Code != 404 || r.Body.String() != "\"Project not found\"\n" {
			t.Fatalf("missing: %d %q", r.Code, r.Body)
		}
		// `%` is a case-insensitive substring match.
		r = e.Do("GET", "/api/project?filter=title%25P", nil, e.UserToken)
		if n := len(r.Map()["projects"].([]any)); r.Code != 200 || n != 2 {
			t.Fatalf("ilike: %d %d %s", r.Code, n, r.Body)
		}
		// duplicate id / name, bad id
		if r = e.Do("POST", "/api/project", map[string]any{"id": e.p1, "name": "other"}, e.UserToken); r.Code != 400 || !strings.Contains(r.Body.String(), "already exist") {
			t.Fatalf("duplicate id: %d %s", r.Code, r.Body)
		}
		if r = e.Do("POST", "/api/project", map[string]any{"name": "p1"}, e.UserToken); r.Code != 400 {
			t.Fatalf("duplicate name: %d %s", r.Code, r.Body)
		}
		// PUT: owner only, users by e-mail added
		if r = e.Do("PUT", "/api/project/"+e.p2, map[string]any{"title": "x"}, e.UserToken); r.Code != 403 {
			t.Fatalf("non-owner PUT: %d", r.Code)
		}
		r = e.Do("PUT", "/api/project/"+e.p2, map[string]any{"title": "Renamed", "users": []string{"user@example.com", "nobody@example.com"}}, e.AdminToken)
		if r.Code != 200 || r.Map()["title"] != "Renamed" || len(r.Map()["users"].([]any)) != 2 {
			t.Fatalf("admin PUT: %d %s", r.Code, r.Body)
		}
		if r = e.Do("GET", "/api/project/"+e.p2, nil, e.UserToken); r.Code != 200 {
			t.Fatalf("added member reads: %d", r.Code)
		}
		if r = e.Do("GET", "/api/project/filter-params/"+e.p1, nil, e.UserToken); r.Code != 200 || r.Body.String() != "[]\n" {
			t.Fatalf("filter-params empty: %d %s", r.Code, r.Body)
		}
	})
}

func TestCompatRunsAndResults(t *testing.T) {
	forBothDBs(t, func(t *testing.T, e *compatEnv) {
		// POST /run resolves metadata.project and copies env and component.
		r := e.Do("POST", "/api/run", map[string]any{"metadata": map[string]any{"project": "p1", "env": "qa", "component": "ui"}}, e.UserToken)
		run1 := r.Map()
		if r.Code != 201 || run1["project_id"] != e.p1 || run1["env"] != "qa" || run1["component"] != "ui" {
			t.Fatalf("create run: %d %v", r.Code, run1)
		}
		if _, err := uuid.Parse(run1["id"].(string)); err != nil || !strings.HasSuffix(run1["created"].(string), "Z") || !strings.HasSuffix(run1["start_time"].(string), "Z") {
			t.Fatalf("run id/times: %v", run1)
		}
		R := run1["id"].(string)
		// POST /run refusals: no metadata, an unknown project, a foreign project.
		if r = e.Do("POST", "/api/run", map[string]any{"project_id": e.p1}, e.UserToken); r.Code != 400 || !strings.Contains(r.Body.String(), "no data supplied") {
			t.Fatalf("no metadata: %d %s", r.Code, r.Body)
		}
		if r = e.Do("POST", "/api/run", map[string]any{"metadata": map[string]any{"project": "nope"}}, e.UserToken); r.Code != 400 || r.Body.String() != "\"Invalid project\"\n" {
			t.Fatalf("unknown project: %d %s", r.Code, r.Body)
		}
		if r = e.Do("POST", "/api/run", map[string]any{"metadata": map[string]any{"project": "p2"}}, e.UserToken); r.Code != 403 {
			t.Fatalf("foreign project: %d", r.Code)
		}
		// GET /run/{id}: 404 for a missing run (pytest-ibutsu relies on it), 400
		// for a bad id.
		if r = e.Do("GET", "/api/run/"+uuid.NewString(), nil, e.UserToken); r.Code != 404 || r.Body.String() != "\"Run not found\"\n" {
			t.Fatalf("missing run: %d %s", r.Code, r.Body)
		}
		if r = e.Do("GET", "/api/run/not-a-uuid", nil, e.UserToken); r.Code != 400 || !strings.Contains(r.Body.String(), "is not a valid UUID") {
			t.Fatalf("bad id: %d %s", r.Code, r.Body)
		}
		// POST /result: run from metadata.run, env, project, user_properties
		// flattened into metadata.
		r = e.Do("POST", "/api/result", map[string]any{"test_id": "t1", "result": "failed", "duration": 1.5,
			"metadata": map[string]any{"project": "p1", "run": R, "env": "qa", "user_properties": map[string]any{"team": "x"}}}, e.UserToken)
		res := r.Map()
		md, _ := res["metadata"].(map[string]any)
		if r.Code != 201 || res["run_id"] != R || res["env"] != "qa" || res["project_id"] != e.p1 || md["team"] != "x" || md["user_properties"] != nil {
			t.Fatalf("create result: %d %v", r.Code, res)
		}
		// POST /result refusals: unknown outcome, duplicate id, no project.
		if r = e.Do("POST", "/api/result", map[string]any{"test_id": "t", "result": "bogus", "metadata": map[string]any{"project": "p1"}}, e.UserToken); r.Code != 400 || !isProblem(r) {
			t.Fatalf("bogus result: %d %s", r.Code, r.Body)
		}
		id := uuid.NewString()
		body := map[string]any{"id": id, "test_id": "t2", "result": "passed", "metadata": map[string]any{"project": "p1"}}
		if r = e.Do("POST", "/api/result", body, e.UserToken); r.Code != 201 {
			t.Fatalf("client id: %d %s", r.Code, r.Body)
		}
		if r = e.Do("POST", "/api/result", body, e.UserToken); r.Code != 400 || !strings.Contains(r.Body.String(), "already exist") {
			t.Fatalf("duplicate: %d %s", r.Code, r.Body)
		}
		if r = e.Do("POST", "/api/result", map[string]any{"test_id": "t", "metadata": map[string]any{"env": "x"}}, e.UserToken); r.Code != 400 || !strings.Contains(r.Body.String(), "project") {
			t.Fatalf("no project: %d %s", r.Code, r.Body)
		}
		if r = e.Do("POST", "/api/result", map[string]any{"test_id": "t", "run_id": uuid.NewString(), "metadata": map[string]any{"project": "p1"}}, e.UserToken); r.Code != 400 {
			t.Fatalf("unknown run id must be 400: %d %s", r.Code, r.Body)
		}
		// PUT /result/{id} deep-merges metadata.
		rid := res["id"].(string)
		r = e.Do("PUT", "/api/result/"+rid, map[string]any{"metadata": map[string]any{"classification": "test_failure"}}, e.UserToken)
		md = r.Map()["metadata"].(map[string]any)
		if r.Code != 200 || md["team"] != "x" || md["env"] != "qa" || md["run"] != R || md["classification"] != "test_failure" {
			t.Fatalf("PUT result: %d %v", r.Code, md)
		}
		// The UI PUTs whole objects with nulls; they mean "unchanged".
		whole := r.Map()
		whole["params"], whole["source"] = nil, nil
		if r = e.Do("PUT", "/api/result/"+rid, whole, e.UserToken); r.Code != 200 {
			t.Fatalf("PUT whole result with nulls: %d %s", r.Code, r.Body)
		}
		// A superadmin must filter results by project.
		if r = e.Do("GET", "/api/result", nil, e.AdminToken); r.Code != 400 || !strings.Contains(r.Body.String(), "project_id filter is required") {
			t.Fatalf("SA unscoped: %d %s", r.Code, r.Body)
		}
		// Filters repeated or comma-joined select the same results, newest first.
		for i, res := range []string{"failed", "passed", "failed"} {
			st := time.Date(2025, 1, 1, 0, 0, i, 0, time.UTC).Format(time.RFC3339)
			e.Do("POST", "/api/result", map[string]any{"test_id": fmt.Sprint("x", i), "result": res, "start_time": st, "metadata": map[string]any{"project": e.p1}}, e.UserToken)
		}
		a := e.Do("GET", "/api/result?filter=project_id="+e.p1+"&filter=result=failed&pageSize=10", nil, e.UserToken)
		b := e.Do("GET", "/api/result?filter=project_id="+e.p1+",result=failed&pageSize=10", nil, e.UserToken)
		if a.Code != 200 || a.Body.String() != b.Body.String() {
			t.Fatalf("comma vs repeat: %d\n%s\n%s", a.Code, a.Body, b.Body)
		}
		am := a.Map()
		items := am["results"].([]any)
		var starts []string
		for _, it := range items {
			m := it.(map[string]any)
			if m["result"] != "failed" {
				t.Fatalf("filter leaked %v", m)
			}
			starts = append(starts, m["start_time"].(string))
		}
		if len(items) != 3 || !sort.SliceIsSorted(starts, func(i, j int) bool { return starts[i] > starts[j] }) || am["pagination"].(map[string]any)["pageSize"] != float64(10) {
			t.Fatalf("list: %v", am)
		}
		// Bad paging and estimate values are 400 problems; unknown parameters are
		// ignored.
		if r = e.Do("GET", "/api/result?filter=project_id="+e.p1+"&pageSize=0", nil, e.UserToken); r.Code != 400 || !isProblem(r) {
			t.Fatalf("pageSize=0: %d", r.Code)
		}
		if r = e.Do("GET", "/api/result?filter=project_id="+e.p1+"&estimate=maybe", nil, e.UserToken); r.Code != 400 || !isProblem(r) {
			t.Fatalf("estimate=maybe: %d", r.Code)
		}
		if r = e.Do("GET", "/api/result?filter=project_id="+e.p1+"&apply_max=true&estimate=true", nil, e.UserToken); r.Code != 200 {
			t.Fatalf("apply_max: %d", r.Code)
		}
		if r = e.Do("GET", "/api/result?filter=project_id="+e.p1+"&page=abc", nil, e.UserToken); r.Code != 400 || !isProblem(r) {
			t.Fatalf("page=abc: %d", r.Code)
		}
		// Results of a project the user cannot see.
		if r = e.Do("GET", "/api/result?filter=project_id="+e.p2, nil, e.UserToken); r.Code != 200 || len(r.Map()["results"].([]any)) != 0 {
			t.Fatalf("foreign project rows: %d %s", r.Code, r.Body)
		}
		for path, min := range map[string]int{"/api/result": 1, "/api/run": 1, "/api/result?filter=run_id=" + e.p2run: 0} {
			r = e.Do("GET", path, nil, e.UserToken)
			key := map[bool]string{true: "runs", false: "results"}[path == "/api/run"]
			if r.Code != 200 || strings.Contains(r.Body.String(), e.p2result) || strings.Contains(r.Body.String(), e.p2run) || len(r.Map()[key].([]any)) < min {
				t.Fatalf("%s lists p2's rows or none of p1's: %d %s", path, r.Code, r.Body)
			}
		}
		if r = e.Do("GET", "/api/result/"+rid, nil, e.TokenFor(e.CreateUser("outsider@example.com", "pw", false))); r.Code != 403 {
			t.Fatalf("outsider reads result: %d", r.Code)
		}
	})
}

// TestCompatRunSummaryAndFilters covers the summary after the final PUT,
// summary casts, array fields and existence filters.
func TestCompatRunSummaryAndFilters(t *testing.T) {
	forBothDBs(t, func(t *testing.T, e *compatEnv) {
		r := e.Do("POST", "/api/run", map[string]any{"metadata": map[string]any{"project": "p1", "tags": []string{"smoke", "ui"}}}, e.UserToken)
		R2 := r.Map()["id"].(string)
		for i, res := range []string{"passed", "failed", "skipped", "passed"} {
			r = e.Do("POST", "/api/result", map[string]any{"test_id": fmt.Sprint("t", i), "result": res, "duration": i + 1, "metadata": map[string]any{"project": "p1", "run": R2}}, e.UserToken)
			if r.Code != 201 {
				t.Fatalf("post result: %d %s", r.Code, r.Body)
			}
		}
		if r = e.Do("PUT", "/api/run/"+R2, map[string]any{}, e.UserToken); r.Code != 200 {
			t.Fatalf("PUT run: %d %s", r.Code, r.Body)
		}
		deadline := time.Now().Add(15 * time.Second)
		var got map[string]any
		for {
			got = e.Do("GET", "/api/run/"+R2, nil, e.UserToken).Map()
			if s, ok := got["summary"].(map[string]any); ok && s["tests"] == float64(4) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("summary not recomputed: %v", got)
			}
			time.Sleep(200 * time.Millisecond)
		}
		s := got["summary"].(map[string]any)
		if s["failures"] != float64(1) || s["skips"] != float64(1) || s["passes"] != float64(2) || s["pass_percent"] != float64(50) || got["duration"] != float64(10) || len(s) != 10 {
			t.Fatalf("summary %v duration %v", s, got["duration"])
		}
		// Summary counts compare as numbers; `)` is >=.
		q := func(f ...string) []string {
			v := url.Values{"filter": append([]string{"project_id=" + e.p1}, f...)}
			r := e.Do("GET", "/api/run?"+v.Encode(), nil, e.UserToken)
			if r.Code != 200 {
				t.Fatalf("GET /run %v: %d %s", f, r.Code, r.Body)
			}
			var ids []string
			for _, it := range r.Map()["runs"].([]any) {
				ids = append(ids, it.(map[string]any)["id"].(string))
			}
			return ids
		}
		if a, b := q("summary.failures)1"), q("summary.failures>=1"); fmt.Sprint(a) != fmt.Sprint([]string{R2}) || fmt.Sprint(a) != fmt.Sprint(b) {
			t.Fatalf("summary.failures)1 %v vs >=1 %v", a, b)
		}
		if ids := q("summary.failures>5"); len(ids) != 0 {
			t.Fatalf("summary.failures>5: %v", ids)
		}
		// Array fields: = means contains, * contains any of a ;-list.
		if ids := q("metadata.tags=smoke"); len(ids) != 1 {
			t.Fatalf("tags=smoke %v", ids)
		}
		if ids := q("metadata.tags*nightly;ui"); len(ids) != 1 {
			t.Fatalf("tags*nightly;ui %v", ids)
		}
		if ids := q("metadata.tags=nightly"); len(ids) != 0 {
			t.Fatalf("tags=nightly %v", ids)
		}
		// Existence filters: R2 has no env, a second run has one.
		e.Do("POST", "/api/run", map[string]any{"metadata": map[string]any{"project": "p1", "env": "prod"}}, e.UserToken)
		without, with := q("metadata.env@false"), q("metadata.env@true")
		if len(without) != 1 || without[0] != R2 || len(with) != 1 {
			t.Fatalf("@false %v @true %v", without, with)
		}
	})
}

func TestCompatBulkUpdate(t *testing.T) {
	forBothDBs(t, func(t *testing.T, e *compatEnv) {
		for i := 0; i < 3; i++ {
			e.Do("POST", "/api/run", map[string]any{"metadata": map[string]any{"project": "p1", "keep": i, "x": "old"}}, e.UserToken)
		}
		base := "/api/runs/bulk-update?filter=project_id=" + e.p1
		if r := e.Do("POST", base+"&pageSize=26", map[string]any{"metadata": map[string]any{"x": 1}}, e.UserToken); r.Code != 405 {
			t.Fatalf("pageSize 26: %d", r.Code)
		}
		if r := e.Do("POST", base, map[string]any{}, e.UserToken); r.Code != 401 {
			t.Fatalf("no metadata: %d", r.Code)
		}
		if r := e.Do("POST", base, "not json", e.UserToken, "Content-Type", "text/plain"); r.Code != 400 {
			t.Fatalf("non-JSON: %d", r.Code)
		}
		r := e.Do("POST", base+"&pageSize=2", map[string]any{"metadata": map[string]any{"x": 1, "y": 2}}, e.UserToken)
		var runs []map[string]any
		r.JSON(&runs)
		if r.Code != 200 || len(runs) != 2 {
			t.Fatalf("bulk: %d %s", r.Code, r.Body)
		}
		for _, rn := range runs {
			md := rn["metadata"].(map[string]any)
			if md["x"] != "old" || md["y"] != float64(2) || md["keep"] == nil {
				t.Fatalf("additive merge broken: %v", md)
			}
		}
		if r := e.Do("POST", "/api/runs/bulk-update?filter=project_id="+e.p2, map[string]any{"metadata": map[string]any{"x": 1}}, e.UserToken); r.Code != 404 {
			t.Fatalf("foreign runs must not be touched: %d %s", r.Code, r.Body)
		}
		var p2 struct{ Data string }
		if err := e.App.DB.Gorm.Table("runs").Select("CAST(data AS TEXT) AS data").Where("id = ?", e.p2run).Take(&p2).Error; err != nil || strings.Contains(p2.Data, `"x"`) {
			t.Fatalf("p2's run changed: %q %v", p2.Data, err)
		}
	})
}

func TestCompatArtifacts(t *testing.T) {
	forBothDBs(t, func(t *testing.T, e *compatEnv) {
		rid := e.Do("POST", "/api/result", map[string]any{"test_id": "t", "metadata": map[string]any{"project": "p1"}}, e.UserToken).Map()["id"].(string)
		runID := e.Do("POST", "/api/run", map[string]any{"metadata": map[string]any{"project": "p1"}}, e.UserToken).Map()["id"].(string)
		upload := func(fields map[string]string, file []byte, token string) *backendtest.Response {
			return postMultipart(e.Env, "/api/artifact", fields, "file", "upload.bin", file, token)
		}
		// A multipart artifact upload answers the artifact with its metadata.
		r := upload(map[string]string{"resultId": rid, "filename": "log.txt", "additionalMetadata": `{"k":"v"}`}, []byte("0123456789"), e.UserToken)
		a := r.Map()
		if r.Code != 201 || a["result_id"] != rid || a["run_id"] != nil || a["filename"] != "log.txt" || a["additional_metadata"].(map[string]any)["k"] != "v" || a["upload_date"] == nil {
			t.Fatalf("upload: %d %v", r.Code, a)
		}
		aid := a["id"].(string)
		cases := []struct {
			fields map[string]string
			file   []byte
			code   int
			msg    string
		}{
			{map[string]string{"resultId": rid, "filename": "x"}, nil, 400, "no file uploaded"},
			{map[string]string{"filename": "x"}, []byte("a"), 400, "either resultId or runId"},
			{map[string]string{"resultId": rid, "runId": runID, "filename": "x"}, []byte("a"), 400, "cannot provide both"},
			{map[string]string{"resultId": rid}, []byte("a"), 400, "filename is required"},
			{map[string]string{"resultId": "zzz", "filename": "x"}, []byte("a"), 400, "not in UUID format"},
			{map[string]string{"runId": uuid.NewString(), "filename": "x"}, []byte("a"), 404, "not found"},
			{map[string]string{"result_id": rid, "filename": "x"}, make([]byte, 5*1024*1024+1), 400, "exceeds maximum allowed size of 5MB"},
			{map[string]string{"resultId": rid, "filename": "x"}, []byte{}, 400, "uploaded file is empty"},
			{map[string]string{"resultId": rid, "filename": "x", "additionalMetadata": "{"}, []byte("a"), 400, "not valid JSON"},
			{map[string]string{"resultId": rid, "filename": "x", "additional_metadata": "[1]"}, []byte("a"), 400, "must be a JSON object"},
		}
		for _, c := range cases {
			r := upload(c.fields, c.file, e.UserToken)
			if r.Code != c.code || !strings.Contains(r.Body.String(), c.msg) {
				t.Errorf("upload %v: %d %s (want %d %q)", c.fields, r.Code, r.Body, c.code, c.msg)
			}
		}
		outsider := e.TokenFor(e.CreateUser("o@example.com", "pw", false))
		if r := upload(map[string]string{"runId": runID, "filename": "x"}, []byte("a"), outsider); r.Code != 403 {
			t.Fatalf("outsider upload: %d", r.Code)
		}
		png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 32)...)
		r = upload(map[string]string{"runId": runID, "filename": "shot.png"}, png, e.UserToken)
		pngID := r.Map()["id"].(string)

		if r := e.Do("GET", "/api/artifact/"+aid+"/view", nil, e.UserToken); r.Code != 200 || !strings.HasPrefix(r.Header().Get("Content-Type"), "text/plain") || r.Body.String() != "0123456789" {
			t.Fatalf("view text: %d %v %q", r.Code, r.Header(), r.Body)
		}
		if r := e.Do("GET", "/api/artifact/"+pngID+"/view", nil, e.UserToken); r.Header().Get("Content-Type") != "image/png" {
			t.Fatalf("view png: %v", r.Header())
		}
		if r := e.Do("GET", "/api/artifact/"+aid+"/download", nil, e.UserToken); r.Header().Get("Content-Disposition") != "attachment; filename=log.txt" {
			t.Fatalf("download: %v", r.Header())
		}
		if r := e.Do("GET", "/api/artifact/"+pngID, nil, outsider); r.Code != 403 {
			t.Fatalf("outsider get run artifact: %d", r.Code)
		}
		r = e.Do("GET", "/api/artifact?resultId="+rid, nil, e.UserToken)
		if list := r.Map(); r.Code != 200 || len(list["artifacts"].([]any)) != 1 {
			t.Fatalf("list by result: %d %s", r.Code, r.Body)
		}
		if r := e.Do("GET", "/api/artifact", nil, e.UserToken); r.Code != 200 || strings.Contains(r.Body.String(), e.p2artifact) || len(r.Map()["artifacts"].([]any)) != 2 {
			t.Fatalf("member's artifact list: %d %s", r.Code, r.Body)
		}
		if r := e.Do("GET", "/api/artifact/"+e.p2artifact, nil, e.UserToken); r.Code != 403 {
			t.Fatalf("member reads p2's artifact: %d", r.Code)
		}
		if r := e.Do("GET", "/api/artifact", nil, outsider); len(r.Map()["artifacts"].([]any)) != 0 {
			t.Fatalf("outsider sees artifacts: %s", r.Body)
		}
		if r := e.Do("DELETE", "/api/artifact/"+aid, nil, e.UserToken); r.Code != 200 || r.Body.String() != "\"OK\"\n" {
			t.Fatalf("delete: %d %s", r.Code, r.Body)
		}
		for _, p := range []string{"", "/view", "/download"} {
			if r := e.Do("GET", "/api/artifact/"+aid+p, nil, e.UserToken); r.Code != 404 {
				t.Fatalf("deleted artifact %s: %d", p, r.Code)
			}
		}
	})
}

func TestCompatGroups(t *testing.T) {
	e := newCompat(t, true)
	gid := uuid.NewString()
	// Groups are written by superadmins only (docs/security.md); users read them.
	if r := e.Do("POST", "/api/group", map[string]any{"id": gid, "name": "qe"}, e.UserToken); r.Code != 403 {
		t.Fatalf("user creates a group: %d %s", r.Code, r.Body)
	}
	r := e.Do("POST", "/api/group", map[string]any{"id": gid, "name": "qe", "metadata": map[string]any{"a": 1}}, e.AdminToken)
	if r.Code != 201 || r.Map()["id"] != gid {
		t.Fatalf("create: %d %s", r.Code, r.Body)
	}
	if r = e.Do("POST", "/api/group", map[string]any{"id": gid, "name": "qe"}, e.AdminToken); r.Code != 400 || !strings.Contains(r.Body.String(), "already exists") {
		t.Fatalf("dup: %d %s", r.Code, r.Body)
	}
	if r = e.Do("POST", "/api/group", map[string]any{"id": "nope"}, e.AdminToken); r.Code != 400 || !strings.Contains(r.Body.String(), "not in UUID format") {
		t.Fatalf("bad id: %d %s", r.Code, r.Body)
	}
	r = e.Do("PUT", "/api/group/"+gid, map[string]any{"metadata": map[string]any{"b": 2}}, e.AdminToken)
	if md := r.Map()["metadata"].(map[string]any); r.Code != 200 || md["a"] != float64(1) || md["b"] != float64(2) {
		t.Fatalf("update: %d %s", r.Code, r.Body)
	}
	if r = e.Do("GET", "/api/group/"+uuid.NewString(), nil, e.UserToken); r.Code != 404 || r.Body.String() != "\"Group not found\"\n" {
		t.Fatalf("missing: %d %s", r.Code, r.Body)
	}
	if r = e.Do("GET", "/api/group", nil, e.UserToken); r.Code != 200 || len(r.Map()["groups"].([]any)) != 1 {
		t.Fatalf("list: %d %s", r.Code, r.Body)
	}
}

// TestCompatAsyncQuery: a page over 500 answers 201 with a task whose
// outcome GET /task/{id} returns; an unknown task is pending (206).
func TestCompatAsyncQuery(t *testing.T) {
	forBothDBs(t, func(t *testing.T, e *compatEnv) {
		for i := 0; i < 3; i++ {
			e.Do("POST", "/api/result", map[string]any{"test_id": fmt.Sprint("t", i), "metadata": map[string]any{"project": "p1"}}, e.UserToken)
		}
		r := e.Do("GET", "/api/result?filter=project_id="+e.p1+"&pageSize=501", nil, e.UserToken)
		m := r.Map()
		id, _ := m["task_id"].(string)
		if r.Code != 201 || m["query_endpoint"] != "/task/"+id || !strings.Contains(m["message"].(string), "page_size: 501") {
			t.Fatalf("async: %d %v", r.Code, m)
		}
		deadline := time.Now().Add(15 * time.Second)
		for {
			r = e.Do("GET", "/api/task/"+id, nil, e.UserToken)
			if r.Code == 200 || time.Now().After(deadline) {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		m = r.Map()
		if r.Code != 200 || m["state"] != "SUCCESS" || m["message"] != "Task has succeeded" || len(m["results"].([]any)) != 3 || m["pagination"] == nil {
			t.Fatalf("task result: %d %v", r.Code, m)
		}
		if r = e.Do("GET", "/api/task/"+id, nil, e.TokenFor(e.CreateUser("other@example.com", "pw", false))); r.Code != 206 {
			t.Fatalf("someone else's task: %d", r.Code)
		}
		r = e.Do("GET", "/api/task/"+uuid.NewString(), nil, e.UserToken)
		if r.Code != 206 || strings.TrimSpace(r.Body.String()) != `{"message":"Task not yet started or invalid, check back later","state":"PENDING"}` {
			t.Fatalf("unknown task: %d %s", r.Code, r.Body)
		}
	})
}

// TestPytestIbutsuSequence replays the plugin's upload: GET run 404 → POST
// run with a client id → POST results and artifacts → GET + PUT run.
func TestPytestIbutsuSequence(t *testing.T) {
	e := newCompat(t, false)
	runID := uuid.NewString()
	if r := e.Do("GET", "/api/run/"+runID, nil, e.UserToken); r.Code != 404 {
		t.Fatalf("first GET: %d", r.Code)
	}
	start := "2025-03-01T10:00:00.123456+00:00"
	runBody := map[string]any{"id": runID, "start_time": start, "duration": 99.0, "source": "ci",
		"metadata": map[string]any{"project": "p1", "env": "qa", "component": "api", "jenkins": map[string]any{"job_name": "nightly", "build_number": "42"}},
		"summary":  map[string]any{"failures": 0, "errors": 0, "xfailures": 0, "xpasses": 0, "skips": 0, "tests": 0, "collected": 6, "not_run": 0}}
	if r := e.Do("POST", "/api/run", runBody, e.UserToken); r.Code != 201 || r.Map()["id"] != runID || r.Map()["start_time"] != "2025-03-01T10:00:00.123456Z" {
		t.Fatalf("POST run: %d %s", r.Code, r.Body)
	}
	outcomes := []string{"passed", "failed", "error", "skipped", "xfailed", "passed"}
	for i, o := range outcomes {
		body := map[string]any{"id": uuid.NewString(), "test_id": fmt.Sprintf("test_%d", i), "result": o, "duration": 0.5,
			"start_time": fmt.Sprintf("2025-03-01T10:00:%02d.000001+00:00", i+1), "source": "ci", "params": map[string]any{},
			"metadata": map[string]any{"project": "p1", "run": runID, "fspath": "tests/test_x.py", "markers": []any{}}}
		if r := e.Do("POST", "/api/result", body, e.UserToken); r.Code != 201 {
			t.Fatalf("POST result %d: %d %s", i, r.Code, r.Body)
		}
	}
	got := e.Do("GET", "/api/run/"+runID, nil, e.UserToken).Map()
	got["summary"] = runBody["summary"]
	if r := e.Do("PUT", "/api/run/"+runID, got, e.UserToken); r.Code != 200 {
		t.Fatalf("PUT run: %d %s", r.Code, r.Body)
	}
	want := map[string]float64{"tests": 6, "passes": 2, "failures": 1, "errors": 1, "skips": 1, "xfailures": 1, "xpasses": 0, "collected": 6, "not_run": 0, "pass_percent": 33}
	deadline := time.Now().Add(15 * time.Second)
	for {
		got = e.Do("GET", "/api/run/"+runID, nil, e.UserToken).Map()
		s, _ := got["summary"].(map[string]any)
		ok := len(s) == len(want)
		for k, v := range want {
			ok = ok && s[k] == v
		}
		if ok && got["duration"] == 3.0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("final run: %v", got)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if r := e.Do("GET", "/api/health/info", nil, e.UserToken); r.Code != 200 {
		t.Fatalf("health info: %d", r.Code)
	}
}

// TestSummaryConcurrentWriters posts results from many goroutines while the
// summary is being recomputed; the final summary must count every result.
func TestSummaryConcurrentWriters(t *testing.T) {
	e := newCompat(t, false)
	runID := e.Do("POST", "/api/run", map[string]any{"metadata": map[string]any{"project": "p1"}}, e.UserToken).Map()["id"].(string)
	const writers, each = 8, 15
	errs := make(chan string, writers*each)
	done := make(chan struct{})
	for w := 0; w < writers; w++ {
		go func(w int) {
			defer func() { done <- struct{}{} }()
			for i := 0; i < each; i++ {
				res := "passed"
				if i%5 == 0 {
					res = "failed"
				}
				r := e.Do("POST", "/api/result", map[string]any{"test_id": fmt.Sprint(w, "-", i), "result": res, "duration": 1, "metadata": map[string]any{"project": "p1", "run": runID}}, e.UserToken)
				if r.Code != 201 {
					errs <- r.Body.String()
				}
				if i%4 == 0 { // recompute concurrently with the writers
					id, _ := uuid.Parse(runID)
					if err := e.App.Services.Summaries.Recompute(context.Background(), id); err != nil {
						errs <- err.Error()
					}
				}
			}
		}(w)
	}
	for w := 0; w < writers; w++ {
		<-done
	}
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		s, _ := e.Do("GET", "/api/run/"+runID, nil, e.UserToken).Map()["summary"].(map[string]any)
		if s["tests"] == float64(writers*each) && s["failures"] == float64(writers*3) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("summary after concurrent writers: %v", s)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
