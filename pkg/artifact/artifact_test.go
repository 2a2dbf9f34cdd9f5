package artifact_test

import (
	"bytes"
	"mime/multipart"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// env is two projects, each with a result and a run carrying one artifact
// apiece: "mine" (the normal user is a member) and "theirs" (the
// superadmin's, the user is not a member).
type env struct {
	*backendtest.Env
	mine, theirs map[string]string // "project", "run", "result", "resultArt", "runArt"
}

func newEnv(t *testing.T, sqlite bool, configure ...func(*config.Config)) *env {
	opts := backendtest.Options{SQLite: sqlite}
	if len(configure) > 0 {
		opts.Configure = configure[0]
	}
	e := &env{Env: backendtest.New(t, opts)}
	build := func(name, token string) map[string]string {
		m := map[string]string{}
		m["project"] = e.must(e.Do("POST", "/api/project", map[string]any{"name": name}, token), "project")["id"].(string)
		m["run"] = e.must(e.Do("POST", "/api/run", map[string]any{"metadata": map[string]any{"project": m["project"]}}, token), "run")["id"].(string)
		m["result"] = e.must(e.Do("POST", "/api/result", map[string]any{"test_id": "t", "result": "failed", "metadata": map[string]any{"project": m["project"], "run": m["run"]}}, token), "result")["id"].(string)
		m["resultArt"] = e.must(e.upload(map[string]string{"resultId": m["result"], "filename": "log.txt"}, "log of "+name, token), "result artifact")["id"].(string)
		m["runArt"] = e.must(e.upload(map[string]string{"runId": m["run"], "filename": "console.txt"}, "console of "+name, token), "run artifact")["id"].(string)
		return m
	}
	e.mine = build("mine", e.UserToken)
	e.theirs = build("theirs", e.AdminToken)
	return e
}

func (e *env) must(r *backendtest.Response, what string) map[string]any {
	e.T.Helper()
	if r.Code >= 300 {
		e.T.Fatalf("%s: %d %s", what, r.Code, r.Body)
	}
	return r.Map()
}

func (e *env) upload(fields map[string]string, content, token string) *backendtest.Response {
	buf := &bytes.Buffer{}
	w := multipart.NewWriter(buf)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	fw, _ := w.CreateFormFile("file", "f.txt")
	_, _ = fw.Write([]byte(content))
	_ = w.Close()
	req := httptest.NewRequest("POST", "/api/artifact", buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	return e.Serve(req)
}

// ids lists the artifact ids of GET path.
func (e *env) ids(t *testing.T, path, token string) []string {
	t.Helper()
	r := e.Do("GET", path, nil, token)
	if r.Code != 200 {
		t.Fatalf("GET %s: %d %s", path, r.Code, r.Body)
	}
	var out []string
	for _, a := range r.Map()["artifacts"].([]any) {
		out = append(out, a.(map[string]any)["id"].(string))
	}
	sort.Strings(out)
	return out
}

// artifacts is every artifact row, as the database holds it.
func (e *env) artifacts(t *testing.T) map[string]string {
	t.Helper()
	var rows []model.Artifact
	if err := e.App.DB.Gorm.Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, a := range rows {
		name := ""
		if a.Filename != nil {
			name = *a.Filename
		}
		out[a.ID.String()] = name + "|" + string(a.Content)
	}
	return out
}

func forBoth(t *testing.T, fn func(t *testing.T, e *env)) {
	for _, sqlite := range []bool{false, true} {
		t.Run(map[bool]string{false: "postgres", true: "sqlite"}[sqlite], func(t *testing.T) { fn(t, newEnv(t, sqlite)) })
	}
}

func sortedOf(s ...string) string {
	sort.Strings(s)
	return strings.Join(s, ",")
}

// TestListScope: a member lists exactly the artifacts of their projects'
// results and runs, whatever resultId/runId they name; an outsider lists
// none; the superadmin lists all.
func TestListScope(t *testing.T) {
	forBoth(t, func(t *testing.T, e *env) {
		mine := sortedOf(e.mine["resultArt"], e.mine["runArt"])
		if got := strings.Join(e.ids(t, "/api/artifact", e.UserToken), ","); got != mine {
			t.Errorf("member list: %s, want %s", got, mine)
		}
		if got := e.ids(t, "/api/artifact?resultId="+e.mine["result"], e.UserToken); strings.Join(got, ",") != e.mine["resultArt"] {
			t.Errorf("member list of own result: %v", got)
		}
		for _, q := range []string{"resultId=" + e.theirs["result"], "result_id=" + e.theirs["result"], "runId=" + e.theirs["run"]} {
			if got := e.ids(t, "/api/artifact?"+q, e.UserToken); len(got) != 0 {
				t.Errorf("member list with %s returns foreign artifacts %v", q, got)
			}
		}
		outsider := e.TokenFor(e.CreateUser("outsider@example.com", "pw", false))
		if got := e.ids(t, "/api/artifact", outsider); len(got) != 0 {
			t.Errorf("outsider lists %v", got)
		}
		all := sortedOf(e.mine["resultArt"], e.mine["runArt"], e.theirs["resultArt"], e.theirs["runArt"])
		if got := strings.Join(e.ids(t, "/api/artifact", e.AdminToken), ","); got != all {
			t.Errorf("superadmin list: %s, want %s", got, all)
		}
		if got := e.ids(t, "/api/artifact?runId="+e.theirs["run"], e.AdminToken); strings.Join(got, ",") != e.theirs["runArt"] {
			t.Errorf("superadmin list by runId: %v", got)
		}
	})
}

// TestForeignArtifacts: a member cannot read, download, delete or add to
// another project's artifacts (results and runs alike), and the database
// is unchanged after each attempt.
func TestForeignArtifacts(t *testing.T) {
	forBoth(t, func(t *testing.T, e *env) {
		before := e.artifacts(t)
		for _, id := range []string{e.theirs["resultArt"], e.theirs["runArt"]} {
			for _, suffix := range []string{"", "/view", "/download"} {
				if r := e.Do("GET", "/api/artifact/"+id+suffix, nil, e.UserToken); r.Code != 403 {
					t.Errorf("GET foreign artifact%s: %d %s", suffix, r.Code, r.Body)
				}
			}
			if r := e.Do("DELETE", "/api/artifact/"+id, nil, e.UserToken); r.Code != 403 {
				t.Errorf("DELETE foreign artifact: %d %s", r.Code, r.Body)
			}
		}
		for _, f := range []map[string]string{
			{"resultId": e.theirs["result"], "filename": "x.txt"},
			{"result_id": e.theirs["result"], "filename": "x.txt"},
			{"runId": e.theirs["run"], "filename": "x.txt"},
			{"run_id": e.theirs["run"], "filename": "x.txt"},
		} {
			if r := e.upload(f, "planted", e.UserToken); r.Code != 403 {
				t.Errorf("upload to foreign %v: %d %s", f, r.Code, r.Body)
			}
		}
		after := e.artifacts(t)
		if sortedOf(keys(before)...) != sortedOf(keys(after)...) {
			t.Fatalf("artifacts changed: before %v after %v", before, after)
		}
		for k, v := range before {
			if after[k] != v {
				t.Errorf("artifact %s changed: %q -> %q", k, v, after[k])
			}
		}
		// The member's own artifacts stay theirs to manage.
		if r := e.Do("GET", "/api/artifact/"+e.mine["runArt"]+"/download", nil, e.UserToken); r.Code != 200 || r.Body.String() != "console of mine" {
			t.Errorf("download own run artifact: %d %s", r.Code, r.Body)
		}
		if r := e.Do("DELETE", "/api/artifact/"+e.mine["resultArt"], nil, e.UserToken); r.Code != 200 {
			t.Errorf("delete own artifact: %d %s", r.Code, r.Body)
		}
		if _, still := e.artifacts(t)[e.mine["resultArt"]]; still {
			t.Errorf("own artifact not deleted")
		}
	})
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
