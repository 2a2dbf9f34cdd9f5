package backend_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// iwEnv is the fixture of the write-isolation tests: project A (victim:
// the users below are not members) holding a run, a result and artifacts;
// a run whose project was deleted (no project) with an artifact; project M
// of the member, with the member's own run and result (the pytest-ibutsu
// way: POST /run, then POST /result naming it); project N, a second
// project of the member; and an outsider without projects.
type iwEnv struct {
	*backendtest.Env
	a, m, n                   *model.Project
	victimRun, victimResult   uuid.UUID
	victimArtifact, orphanRun uuid.UUID
	ownRun, ownResult         string
	outsiderToken             string
}

func newIWEnv(t *testing.T, sqlite bool) *iwEnv {
	t.Helper()
	e := &iwEnv{Env: backendtest.New(t, backendtest.Options{SQLite: sqlite})}
	e.a, e.m, e.n = e.CreateProject("proj-a", e.Admin), e.CreateProject("proj-m", e.User), e.CreateProject("proj-n", e.User)
	e.outsiderToken = e.TokenFor(e.CreateUser("outsider@example.com", "outsider-password", false))
	db := e.App.DB.Gorm
	now := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	e.victimRun, e.victimResult, e.victimArtifact, e.orphanRun = uuid.New(), uuid.New(), uuid.New(), uuid.New()
	comp, env, src, dur, status := "victim-comp", "victim-env", "victim-src", 7.0, "passed"
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.Create(&model.Run{ID: e.victimRun, ProjectID: &e.a.ID, Component: &comp, Env: &env, Source: &src, Duration: &dur,
		Created: now, StartTime: now, Data: model.JSON{"project": "proj-a", "jenkins": map[string]any{"build_url": "victim"}},
		Summary: model.JSON{"tests": 1, "passes": 1}}).Error)
	must(db.Create(&model.Result{ID: e.victimResult, ProjectID: &e.a.ID, RunID: &e.victimRun, Result: &status, StartTime: now,
		Data: model.JSON{"run": e.victimRun.String(), "component": "victim-comp"}, Params: model.JSON{}}).Error)
	must(db.Create(&model.Run{ID: e.orphanRun, Created: now, StartTime: now, Data: model.JSON{"old": "orphan"}}).Error)
	for _, a := range []model.Artifact{
		{ID: e.victimArtifact, ResultID: &e.victimResult, Filename: model.Ptr("traceback.log"), Content: []byte("v"), UploadDate: now, Data: model.JSON{}},
		{ID: uuid.New(), RunID: &e.victimRun, Filename: model.Ptr("console.log"), Content: []byte("v"), UploadDate: now, Data: model.JSON{}},
		{ID: uuid.New(), RunID: &e.orphanRun, Filename: model.Ptr("orphan.log"), Content: []byte("v"), UploadDate: now, Data: model.JSON{}},
	} {
		must(db.Create(&a).Error)
	}
	r := e.Do("POST", "/api/run", map[string]any{"metadata": map[string]any{"project": "proj-m"}}, e.UserToken)
	if r.Code != 201 {
		t.Fatalf("own run: %d %s", r.Code, r.Body)
	}
	e.ownRun = r.Map()["id"].(string)
	r = e.Do("POST", "/api/result", map[string]any{"test_id": "own", "result": "passed",
		"metadata": map[string]any{"project": "proj-m", "run": e.ownRun}}, e.UserToken)
	if r.Code != 201 {
		t.Fatalf("own result (pytest-ibutsu flow): %d %s", r.Code, r.Body)
	}
	e.ownResult = r.Map()["id"].(string)
	return e
}

// state renders every row an attack on A or on the project-less run could
// change, after recomputing both runs' summaries (the recomputation is
// where a stray result would re-home or rewrite a run).
func (e *iwEnv) state(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	for _, id := range []uuid.UUID{e.victimRun, e.orphanRun} {
		if err := e.App.Services.Summaries.Recompute(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	db := e.App.DB.Gorm
	var b strings.Builder
	for _, id := range []uuid.UUID{e.victimRun, e.orphanRun} {
		var r model.Run
		if err := db.Where("id = ?", id).Take(&r).Error; err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "run project=%v comp=%v env=%v src=%v data=%v summary=%v\n", fmtID(r.ProjectID), deref(r.Component), deref(r.Env),
			deref(r.Source), map[string]any(r.Data), map[string]any(r.Summary))
	}
	var res model.Result
	if err := db.Where("id = ?", e.victimResult).Take(&res).Error; err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "result project=%v run=%v data=%v\n", fmtID(res.ProjectID), fmtID(res.RunID), map[string]any(res.Data))
	var n [4]int64
	db.Model(&model.Result{}).Where("run_id IN ?", []uuid.UUID{e.victimRun, e.orphanRun}).Count(&n[0])
	db.Model(&model.Result{}).Where("project_id = ?", e.a.ID).Count(&n[1])
	db.Model(&model.Artifact{}).Where("result_id = ? OR run_id IN ?", e.victimResult, []uuid.UUID{e.victimRun, e.orphanRun}).Count(&n[2])
	db.Model(&model.Run{}).Where("project_id = ? OR project_id IS NULL", e.a.ID).Count(&n[3])
	fmt.Fprintf(&b, "results-in-victim-runs=%d results-in-A=%d victim-artifacts=%d runs-in-A-or-none=%d", n[0], n[1], n[2], n[3])
	return b.String()
}

func fmtID(id *uuid.UUID) string {
	if id == nil {
		return "<nil>"
	}
	return id.String()
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

func (e *iwEnv) artifactUpload(t *testing.T, fields map[string]string, token string) *backendtest.Response {
	return postMultipart(e.Env, "/api/artifact", fields, "file", "upload.bin", []byte("evil"), token)
}

// TestWriteIsolation: every write path that takes a run, result, artifact
// or project id refuses a foreign one (403, or 400 for a mismatch between
// projects the caller may both write) and leaves the foreign rows exactly
// as they were.
func TestWriteIsolation(t *testing.T) {
	eachDB(t, func(t *testing.T, sqlite bool) {
		e := newIWEnv(t, sqlite)
		before := e.state(t)
		va, vr, vres, orphan := e.a.ID.String(), e.victimRun.String(), e.victimResult.String(), e.orphanRun.String()
		type call struct {
			name, method, path string
			body               any
			form               map[string]string
			// member is the answer to the member of M, outsider to a
			// user without projects.
			member, outsider int
		}
		calls := []call{
			{"result naming A's run in metadata.run", "POST", "/api/result", map[string]any{"test_id": "x", "result": "failed", "duration": 100,
				"source": "evil", "metadata": map[string]any{"project": "proj-m", "run": vr, "component": "evil", "env": "evil", "jenkins": map[string]any{"build_url": "evil"}}}, nil, 403, 403},
			{"result naming A's run in run_id", "POST", "/api/result", map[string]any{"test_id": "x", "project_id": e.m.ID.String(), "run_id": vr}, nil, 403, 403},
			{"result naming a project-less run", "POST", "/api/result", map[string]any{"test_id": "x", "metadata": map[string]any{"project": "proj-m", "run": orphan}}, nil, 403, 403},
			{"own result moved to A's run", "PUT", "/api/result/" + e.ownResult, map[string]any{"run_id": vr}, nil, 403, 403},
			{"own result moved to a project-less run", "PUT", "/api/result/" + e.ownResult, map[string]any{"run_id": orphan}, nil, 403, 403},
			{"own result moved to A", "PUT", "/api/result/" + e.ownResult, map[string]any{"metadata": map[string]any{"project": "proj-a"}}, nil, 403, 403},
			{"A's result updated", "PUT", "/api/result/" + vres, map[string]any{"run_id": e.ownRun, "project_id": e.m.ID.String()}, nil, 403, 403},
			{"A's run updated", "PUT", "/api/run/" + vr, map[string]any{"metadata": map[string]any{"project": "proj-m"}}, nil, 403, 403},
			{"project-less run updated", "PUT", "/api/run/" + orphan, map[string]any{"metadata": map[string]any{"project": "proj-m"}}, nil, 403, 403},
			{"own run moved to A", "PUT", "/api/run/" + e.ownRun, map[string]any{"project_id": va}, nil, 403, 403},
			{"run created with A's run id", "POST", "/api/run", map[string]any{"id": vr, "metadata": map[string]any{"project": "proj-m", "component": "evil"}}, nil, 400, 403},
			{"runs bulk update selecting A's run", "POST", "/api/runs/bulk-update?filter=id=" + vr, map[string]any{"metadata": map[string]any{"evil": true}}, nil, 404, 400},
			{"runs bulk update selecting A's project", "POST", "/api/runs/bulk-update?filter=project_id=" + va, map[string]any{"metadata": map[string]any{"evil": true}}, nil, 404, 404},
			{"runs bulk update into A", "POST", "/api/runs/bulk-update?filter=id=" + e.ownRun, map[string]any{"metadata": map[string]any{"project": "proj-a"}}, nil, 403, 403},
			{"results bulk update with one of A's", "POST", "/api/results/bulk-update", map[string]any{"ids": []string{e.ownResult, vres}, "metadata": map[string]any{"evil": true}}, nil, 403, 403},
			{"artifact on A's result", "POST", "/api/artifact", nil, map[string]string{"resultId": vres, "filename": "evil.log"}, 403, 403},
			{"artifact on A's run", "POST", "/api/artifact", nil, map[string]string{"runId": vr, "filename": "evil.log"}, 403, 403},
			{"artifact on a project-less run", "POST", "/api/artifact", nil, map[string]string{"runId": orphan, "filename": "evil.log"}, 403, 403},
			{"artifact of A deleted", "DELETE", "/api/artifact/" + e.victimArtifact.String(), nil, nil, 403, 403},
		}
		for _, who := range []struct{ name, token string }{{"member", e.UserToken}, {"outsider", e.outsiderToken}} {
			for _, c := range calls {
				t.Run(who.name+"/"+c.name, func(t *testing.T) {
					var r *backendtest.Response
					if c.form != nil {
						r = e.artifactUpload(t, c.form, who.token)
					} else {
						r = e.Do(c.method, c.path, c.body, who.token)
					}
					want := c.member
					if who.name == "outsider" {
						want = c.outsider
					}
					if r.Code != want || !strings.HasPrefix(strings.TrimSpace(r.Body.String()), `"`) {
						t.Errorf("%s %s: %d %s, want %d with a JSON string body", c.method, c.path, r.Code, r.Body, want)
					}
					if after := e.state(t); after != before {
						t.Fatalf("foreign rows changed:\nbefore %s\nafter  %s", before, after)
					}
				})
			}
		}
		var own model.Result
		e.App.DB.Gorm.Where("id = ?", e.ownResult).Take(&own)
		if own.Data["evil"] != nil || own.RunID == nil || own.RunID.String() != e.ownRun || *own.ProjectID != e.m.ID {
			t.Errorf("own result changed by a refused request: %+v", own)
		}

		// Own ids: the member's writes in M succeed.
		for _, c := range []struct {
			method, path string
			body         any
			form         map[string]string
			code         int
		}{
			{"POST", "/api/result", map[string]any{"test_id": "y", "project_id": e.m.ID.String(), "run_id": e.ownRun}, nil, 201},
			{"PUT", "/api/result/" + e.ownResult, map[string]any{"run_id": e.ownRun, "metadata": map[string]any{"note": "ok"}}, nil, 200},
			{"PUT", "/api/run/" + e.ownRun, map[string]any{"metadata": map[string]any{"note": "ok"}}, nil, 200},
			{"POST", "/api/results/bulk-update", map[string]any{"ids": []string{e.ownResult}, "metadata": map[string]any{"note": "bulk"}}, nil, 200},
			{"POST", "/api/runs/bulk-update?filter=id=" + e.ownRun, map[string]any{"metadata": map[string]any{"bulk": "yes"}}, nil, 200},
			{"POST", "/api/artifact", nil, map[string]string{"resultId": e.ownResult, "filename": "own.log"}, 201},
			{"POST", "/api/artifact", nil, map[string]string{"runId": e.ownRun, "filename": "own.log"}, 201},
		} {
			var r *backendtest.Response
			if c.form != nil {
				r = e.artifactUpload(t, c.form, e.UserToken)
			} else {
				r = e.Do(c.method, c.path, c.body, e.UserToken)
			}
			if r.Code != c.code {
				t.Errorf("member, own ids: %s %s: %d %s, want %d", c.method, c.path, r.Code, r.Body, c.code)
			}
		}
		if after := e.state(t); after != before {
			t.Fatalf("own writes changed foreign rows:\nbefore %s\nafter  %s", before, after)
		}
		// Superadmins may write into A, its run included.
		if r := e.Do("POST", "/api/result", map[string]any{"test_id": "z", "metadata": map[string]any{"project": "proj-a", "run": vr}}, e.AdminToken); r.Code != 201 {
			t.Errorf("superadmin result in A's run: %d %s", r.Code, r.Body)
		}
		if r := e.artifactUpload(t, map[string]string{"runId": vr, "filename": "admin.log"}, e.AdminToken); r.Code != 201 {
			t.Errorf("superadmin artifact on A's run: %d %s", r.Code, r.Body)
		}
	})
}

// TestRunResultConsistency: a result's project is its run's project. A
// member of two projects gets a 400 for a result that would sit in one
// project with its run in the other; a run moved to another writable
// project takes its results along, and is refused (nothing moves) when one
// of its results is in a project the caller cannot write. Superadmins may
// still attach results to a project-less run (upstream's re-homing).
func TestRunResultConsistency(t *testing.T) {
	eachDB(t, func(t *testing.T, sqlite bool) {
		e := newIWEnv(t, sqlite)
		db := e.App.DB.Gorm
		projectOf := func(table, id string) string {
			t.Helper()
			var row struct{ ProjectID *uuid.UUID }
			if err := db.Table(table).Select("project_id").Where("id = ?", id).Take(&row).Error; err != nil {
				t.Fatal(err)
			}
			return fmtID(row.ProjectID)
		}
		m, n := e.m.ID.String(), e.n.ID.String()

		r := e.Do("POST", "/api/result", map[string]any{"test_id": "x", "metadata": map[string]any{"project": "proj-n", "run": e.ownRun}}, e.UserToken)
		if r.Code != 400 || !strings.Contains(r.Body.String(), "another project") {
			t.Errorf("result in N naming a run of M: %d %s", r.Code, r.Body)
		}
		r = e.Do("PUT", "/api/result/"+e.ownResult, map[string]any{"metadata": map[string]any{"project": "proj-n"}}, e.UserToken)
		if r.Code != 400 || projectOf("results", e.ownResult) != m {
			t.Errorf("result moved to N away from its run in M: %d %s", r.Code, r.Body)
		}
		// The UI PUTs whole results: unchanged run and project pass.
		whole := e.Do("GET", "/api/result/"+e.ownResult, nil, e.UserToken).Map()
		whole["metadata"].(map[string]any)["classification"] = "bug"
		if r := e.Do("PUT", "/api/result/"+e.ownResult, whole, e.UserToken); r.Code != 200 {
			t.Errorf("whole-result PUT: %d %s", r.Code, r.Body)
		}

		// A run moved to N takes its results along.
		r = e.Do("POST", "/api/result", map[string]any{"test_id": "y", "metadata": map[string]any{"project": "proj-m", "run": e.ownRun}}, e.UserToken)
		if r.Code != 201 {
			t.Fatalf("second own result: %d %s", r.Code, r.Body)
		}
		second := r.Map()["id"].(string)
		if r := e.Do("PUT", "/api/run/"+e.ownRun, map[string]any{"metadata": map[string]any{"project": "proj-n"}}, e.UserToken); r.Code != 200 {
			t.Fatalf("move own run to N: %d %s", r.Code, r.Body)
		}
		if projectOf("runs", e.ownRun) != n || projectOf("results", e.ownResult) != n || projectOf("results", second) != n {
			t.Errorf("after the move: run in %s, results in %s and %s, want all in %s", projectOf("runs", e.ownRun),
				projectOf("results", e.ownResult), projectOf("results", second), n)
		}
		// A stray result of A in the member's run blocks moving it.
		now := time.Now().UTC()
		runID := uuid.MustParse(e.ownRun)
		stray := uuid.New()
		if err := db.Create(&model.Result{ID: stray, ProjectID: &e.a.ID, RunID: &runID, StartTime: now, Data: model.JSON{}, Params: model.JSON{}}).Error; err != nil {
			t.Fatal(err)
		}
		if r := e.Do("PUT", "/api/run/"+e.ownRun, map[string]any{"project_id": m}, e.UserToken); r.Code != 403 {
			t.Errorf("move a run holding A's result: %d %s", r.Code, r.Body)
		}
		if projectOf("runs", e.ownRun) != n || projectOf("results", e.ownResult) != n || projectOf("results", stray.String()) != e.a.ID.String() {
			t.Error("a refused move changed rows")
		}

		// Superadmin: a result in A may name the project-less run.
		if r := e.Do("POST", "/api/result", map[string]any{"test_id": "x", "metadata": map[string]any{"project": "proj-a", "run": e.orphanRun.String()}}, e.AdminToken); r.Code != 201 {
			t.Errorf("superadmin result on a project-less run: %d %s", r.Code, r.Body)
		}
		// ... but not into another project than its run's.
		if r := e.Do("POST", "/api/result", map[string]any{"test_id": "x", "metadata": map[string]any{"project": "proj-a", "run": e.ownRun}}, e.AdminToken); r.Code != 400 {
			t.Errorf("superadmin result in A naming a run of N: %d %s", r.Code, r.Body)
		}
	})
}
