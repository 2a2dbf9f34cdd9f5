package importer_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// Fixed ids of the victim project's rows and of the attacker's own archive.
const (
	victimRun    = "5e5e5e5e-0000-4000-8000-000000000001"
	victimResult = "5e5e5e5e-0000-4000-8000-000000000002"
	ownRun       = "0e0e0e0e-0000-4000-8000-000000000001"
	ownResult    = "0e0e0e0e-0000-4000-8000-000000000002"
)

// tenants is a victim project A (the user is no member) holding a run, a
// result and their artifacts, and the user's own project M.
type tenants struct {
	a, m *model.Project
}

func seedTenants(t *testing.T, e *backendtest.Env) tenants {
	t.Helper()
	a := e.CreateProject("proj-a", e.Admin)
	m := e.CreateProject("proj-m", e.User)
	now := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	runID, resID := uuid.MustParse(victimRun), uuid.MustParse(victimResult)
	comp, env := "victim-comp", "victim-env"
	db := e.App.DB.Gorm
	if err := db.Create(&model.Run{ID: runID, ProjectID: &a.ID, Component: &comp, Env: &env, Created: now, StartTime: now,
		Data: model.JSON{"project": "proj-a", "jenkins": map[string]any{"build_url": "victim"}}, Summary: model.JSON{"tests": 1}}).Error; err != nil {
		t.Fatal(err)
	}
	status := "passed"
	if err := db.Create(&model.Result{ID: resID, ProjectID: &a.ID, RunID: &runID, Result: &status, StartTime: now,
		Data: model.JSON{"run": victimRun}, Params: model.JSON{}}).Error; err != nil {
		t.Fatal(err)
	}
	for _, art := range []model.Artifact{
		{ID: uuid.New(), ResultID: &resID, Filename: model.Ptr("traceback.log"), Content: []byte("victim"), UploadDate: now, Data: model.JSON{}},
		{ID: uuid.New(), RunID: &runID, Filename: model.Ptr("console.log"), Content: []byte("victim"), UploadDate: now, Data: model.JSON{}},
	} {
		if err := db.Create(&art).Error; err != nil {
			t.Fatal(err)
		}
	}
	return tenants{a: a, m: m}
}

// victimState renders everything an attack could change in project A,
// plus the row counts (a refused import writes nothing anywhere).
func victimState(t *testing.T, e *backendtest.Env) string {
	t.Helper()
	var r model.Run
	var res model.Result
	db := e.App.DB.Gorm
	if err := db.Where("id = ?", victimRun).Take(&r).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Where("id = ?", victimResult).Take(&res).Error; err != nil {
		t.Fatal(err)
	}
	var arts []model.Artifact
	db.Where("result_id = ? OR run_id = ?", victimResult, victimRun).Order("filename").Find(&arts)
	var names []string
	for _, a := range arts {
		names = append(names, str(a.Filename)+"="+string(a.Content))
	}
	return fmt.Sprintf("run project=%v comp=%s env=%s start=%s data=%v summary=%v | result project=%v run=%v data=%v | artifacts=%v | runs=%d results=%d artifacts=%d",
		r.ProjectID, str(r.Component), str(r.Env), r.StartTime.UTC().Format(time.RFC3339), map[string]any(r.Data), map[string]any(r.Summary),
		res.ProjectID, res.RunID, map[string]any(res.Data), names,
		count(t, e, "runs"), count(t, e, "results"), count(t, e, "artifacts"))
}

// userImport uploads as the member of M and waits for the outcome.
func userImport(t *testing.T, e *backendtest.Env, filename string, content []byte, fields map[string]string) map[string]any {
	t.Helper()
	r := upload(e, e.UserToken, filename, content, fields)
	if r.Code != 202 {
		t.Fatalf("upload %s: %d %s", filename, r.Code, r.Body)
	}
	return waitImport(t, e, r.Map()["id"].(string))
}

func junitWith(props string) []byte {
	return []byte(`<testsuites tests="1"><properties>` + props + `</properties>` +
		`<testsuite name="s" tests="1"><testcase classname="a.B" name="t1" time="1"/></testsuite></testsuites>`)
}

func runJSON(id, md string) string {
	return `{"id":"` + id + `","start_time":"2025-01-01T00:00:00+00:00","component":"evil","env":"evil","metadata":` + md + `}`
}

func resultJSON(id, run string) string {
	return `{"id":"` + id + `","result":"failed","test_id":"evil","start_time":"2025-01-01T00:00:00+00:00","run_id":"` + run + `","metadata":{"run":"` + run + `"}}`
}

// TestImportTenancy: an import by a member of M can neither create rows
// in project A nor touch A's existing run or result, whichever way the file
// names them; a refused import ends in `error` naming the id and writes
// nothing. The owner's own re-import stays idempotent.
func TestImportTenancy(t *testing.T) {
	// Every refused case gets a fresh database, so each one proves its own
	// check (an earlier import that wrongly succeeded cannot mask a later one).
	type refusal struct {
		name, filename string
		content        []byte
		fields         map[string]string
		names          string
	}
	refusals := func(a *model.Project) []refusal {
		return []refusal{
			{"junit property project", "p.xml", junitWith(`<property key="project" value="proj-a"/>`), nil, "proj-a"},
			{"junit property project_id", "p.xml", junitWith(`<property key="project_id" value="` + a.ID.String() + `"/>`), nil, a.ID.String()},
			{"junit project_id against the form", "p.xml", junitWith(`<property key="project_id" value="` + a.ID.String() + `"/>`),
				map[string]string{"project": "proj-m"}, a.ID.String()},
			{"archive run of A named by run.json", "r.tar.gz", backendtest.TarGz(t,
				[2]string{victimRun + "/run.json", runJSON(victimRun, `{"project":"proj-a"}`)},
				[2]string{victimRun + "/console.log", "evil"}), nil, victimRun},
			{"archive run of A into M", "r.tar.gz", backendtest.TarGz(t,
				[2]string{victimRun + "/run.json", runJSON(victimRun, `{}`)}), map[string]string{"project": "proj-m"}, victimRun},
			{"archive project of A by project_id", "r.tar.gz", backendtest.TarGz(t,
				[2]string{ownRun + "/run.json", `{"id":"` + ownRun + `","project_id":"` + a.ID.String() + `"}`}), nil, a.ID.String()},
			{"archive result of A into M", "r.tar.gz", backendtest.TarGz(t,
				[2]string{ownRun + "/run.json", runJSON(ownRun, `{}`)},
				[2]string{ownRun + "/" + victimResult + "/result.json", resultJSON(victimResult, ownRun)},
				[2]string{ownRun + "/" + victimResult + "/traceback.log", "evil"}), map[string]string{"project": "proj-m"}, victimResult},
		}
	}
	for _, sqlite := range []bool{false, true} {
		dialect := map[bool]string{false: "postgres", true: "sqlite"}[sqlite]
		for i, named := range refusals(&model.Project{}) {
			t.Run(dialect+"/"+named.name, func(t *testing.T) {
				e := backendtest.New(t, backendtest.Options{SQLite: sqlite})
				ten := seedTenants(t, e)
				tt := refusals(ten.a)[i]
				before := victimState(t, e)
				imp := userImport(t, e, tt.filename, tt.content, tt.fields)
				msg, _ := imp["metadata"].(map[string]any)["error"].(string)
				if imp["status"] != "error" || !strings.Contains(msg, tt.names) {
					t.Fatalf("import %v, want an error naming %s", imp, tt.names)
				}
				if after := victimState(t, e); after != before {
					t.Fatalf("project A changed:\nbefore %s\nafter  %s", before, after)
				}
			})
		}
	}
	dialects(t, backendtest.Options{}, func(t *testing.T, e *backendtest.Env) {
		ten := seedTenants(t, e)
		t.Run("own archive twice is idempotent", func(t *testing.T) {
			own := backendtest.TarGz(t,
				[2]string{ownRun + "/run.json", runJSON(ownRun, `{"project":"proj-m"}`)},
				[2]string{ownRun + "/console.log", "own"},
				[2]string{ownRun + "/" + ownResult + "/result.json", resultJSON(ownResult, ownRun)},
				[2]string{ownRun + "/" + ownResult + "/traceback.log", "own"})
			first := userImport(t, e, "own.tar.gz", own, nil)
			counts := fmt.Sprint(count(t, e, "runs"), count(t, e, "results"), count(t, e, "artifacts"))
			second := userImport(t, e, "own.tar.gz", own, map[string]string{"project": "proj-m"})
			if first["status"] != "done" || second["status"] != "done" {
				t.Fatalf("own imports: %v / %v", first, second)
			}
			if again := fmt.Sprint(count(t, e, "runs"), count(t, e, "results"), count(t, e, "artifacts")); again != counts {
				t.Fatalf("re-import changed counts %s → %s", counts, again)
			}
			r := runOf(t, e, second)
			rs := resultsOf(t, e, r.ID)
			if *r.ProjectID != ten.m.ID || len(rs) != 1 || *rs[0].ProjectID != ten.m.ID {
				t.Fatalf("own run %v results %v", r.ProjectID, rs)
			}
		})

		t.Run("own junit lands in M with its results", func(t *testing.T) {
			imp := userImport(t, e, "own.xml", junitWith(`<property key="project" value="proj-m"/>`), nil)
			r := runOf(t, e, imp)
			rs := resultsOf(t, e, r.ID)
			if *r.ProjectID != ten.m.ID || len(rs) != 1 || rs[0].ProjectID == nil || *rs[0].ProjectID != ten.m.ID {
				t.Fatalf("run %v results %+v", r.ProjectID, rs)
			}
		})

		t.Run("superadmin may import into any project", func(t *testing.T) {
			imp := importFile(t, e, "admin.xml", junitWith(`<property key="project" value="proj-a"/>`), nil)
			if r := runOf(t, e, imp); *r.ProjectID != ten.a.ID {
				t.Fatalf("admin import run project %v", r.ProjectID)
			}
		})
	})
}

// TestImportReadScope: an import without a project is readable by its
// uploader and superadmins only, and listed to them only.
func TestImportReadScope(t *testing.T) {
	dialects(t, backendtest.Options{}, func(t *testing.T, e *backendtest.Env) {
		other := e.CreateUser("other@example.com", "other-password", false)
		otherToken := e.TokenFor(other)
		r := upload(e, e.UserToken, "mine.xml", junitWith(""), nil)
		if r.Code != 202 {
			t.Fatalf("upload: %d %s", r.Code, r.Body)
		}
		id := r.Map()["id"].(string)
		waitImport(t, e, id)
		for _, c := range []struct {
			who   string
			token string
			code  int
		}{{"uploader", e.UserToken, 200}, {"other user", otherToken, 403}, {"superadmin", e.AdminToken, 200}} {
			got := e.Do("GET", "/api/import/"+id, nil, c.token)
			if got.Code != c.code {
				t.Errorf("%s: GET import %d %s, want %d", c.who, got.Code, got.Body, c.code)
			}
			if got.Code == 200 {
				if _, leaked := got.Map()["metadata"].(map[string]any)["uploader_id"]; leaked {
					t.Errorf("%s: the uploader id is shown: %s", c.who, got.Body)
				}
			}
			list := e.Do("GET", "/api/import", nil, c.token).Map()["imports"].([]any)
			if listed := len(list) == 1; listed != (c.code == 200) {
				t.Errorf("%s: list %v", c.who, list)
			}
		}
	})
}
