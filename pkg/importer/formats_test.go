package importer_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// formatFixture reads a fixture of a format package (pkg/importer/<dir>/testdata).
func formatFixture(t testing.TB, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// caseRow is one imported result with its artifacts' names, for checks.
type caseRow struct {
	model.Result
	arts map[string]string
}

func importedCases(t testing.TB, e *backendtest.Env, runID uuid.UUID) map[string]caseRow {
	t.Helper()
	out := map[string]caseRow{}
	for _, r := range resultsOf(t, e, runID) {
		var arts []model.Artifact
		if err := e.App.DB.Gorm.Where("result_id = ?", r.ID).Find(&arts).Error; err != nil {
			t.Fatal(err)
		}
		row := caseRow{Result: r, arts: map[string]string{}}
		for _, a := range arts {
			row.arts[str(a.Filename)] = string(a.Content)
		}
		if _, dup := out[str(r.TestID)]; dup {
			t.Fatalf("duplicate test_id %s", str(r.TestID))
		}
		out[str(r.TestID)] = row
	}
	return out
}

// outcomes renders test_id:result sorted.
func outcomes(cs map[string]caseRow) string {
	var s []string
	for id, c := range cs {
		s = append(s, id+":"+str(c.Result.Result))
	}
	sort.Strings(s)
	return strings.Join(s, " ")
}

func artNames(c caseRow) string {
	var s []string
	for n := range c.arts {
		s = append(s, n)
	}
	sort.Strings(s)
	return strings.Join(s, ",")
}

func TestImportGoTestJSON(t *testing.T) {
	dialects(t, backendtest.Options{}, func(t *testing.T, e *backendtest.Env) {
		p := newProject(t, e, "go-project", e.Admin)
		// The name says nothing: the content does.
		imp := importFile(t, e, "report.txt", formatFixture(t, "gotest", "sample.json"),
			map[string]string{"project": "go-project", "metadata": `{"env":"ci"}`})
		md := imp["metadata"].(map[string]any)
		if md["format"] != "gotest" {
			t.Fatalf("format %v", md["format"])
		}
		r := runOf(t, e, imp)
		if got := summary(r.Summary); got != "tests=15 failures=7 errors=2 skips=2 xfailures=0 xpasses=0" || r.Summary["passes"] != float64(4) {
			t.Errorf("summary %s %v", got, r.Summary)
		}
		if *r.ProjectID != p.ID || str(r.Env) != "ci" || r.Component != nil || r.Duration == nil || *r.Duration <= 0 {
			t.Errorf("run %+v", r)
		}
		cs := importedCases(t, e, r.ID)
		want := "TestAdd:passed TestDivide:failed TestNested/outer/inner_fails:failed TestNested/outer/inner_ok:passed " +
			"TestNested/outer:failed TestNested:failed TestPanics:failed TestSkipped:skipped TestSlow:passed " +
			"TestTable/negative:failed TestTable/small:passed TestTable/zero:skipped TestTable:failed TestUpper:error " +
			"example.com/sample/broken:error"
		if got := outcomes(cs); got != want {
			t.Fatalf("results\n got %s\nwant %s", got, want)
		}
		for id, c := range cs {
			if c.ProjectID == nil || *c.ProjectID != p.ID || str(c.Env) != "ci" || c.Data["run"] != r.ID.String() || c.Data["env"] != "ci" {
				t.Errorf("%s: project/env/run %v %v %v", id, c.ProjectID, c.Env, c.Data)
			}
			if !strings.HasPrefix(str(c.Component), "example.com/sample/") || c.Data["component"] != str(c.Component) || c.Data["package"] != str(c.Component) {
				t.Errorf("%s: component %s metadata %v", id, str(c.Component), c.Data)
			}
		}
		checks := []struct {
			id, arts, shortTB, exception string
			duration                     float64
		}{
			{"TestAdd", "output.log", "", "", 0},
			{"TestSlow", "", "", "", 0.12},
			{"TestDivide", "traceback.log", "calc_test.go:18: 7/2 = 3, want 4", "", 0},
			{"TestPanics", "traceback.log", "panic: assignment to entry in nil map [recovered, repanicked]", "panic", 0},
			{"TestUpper", "traceback.log", "the test did not finish: its package's test binary exited", "", 0},
			{"TestSkipped", "output.log", "", "", 0},
		}
		for _, ch := range checks {
			c := cs[ch.id]
			if got := artNames(c); got != ch.arts {
				t.Errorf("%s: artifacts %q, want %q", ch.id, got, ch.arts)
			}
			if fmt.Sprint(c.Data["short_tb"]) != fmt.Sprint(map[bool]any{true: nil, false: ch.shortTB}[ch.shortTB == ""]) {
				t.Errorf("%s: short_tb %v, want %q", ch.id, c.Data["short_tb"], ch.shortTB)
			}
			if ch.exception != "" && c.Data["exception_name"] != ch.exception {
				t.Errorf("%s: exception_name %v", ch.id, c.Data["exception_name"])
			}
			if *c.Duration != ch.duration {
				t.Errorf("%s: duration %v, want %v", ch.id, *c.Duration, ch.duration)
			}
		}
		if cs["TestSkipped"].Data["skip_reason"] != "needs a database" || cs["TestTable/zero"].Data["parent"] != "TestTable" {
			t.Errorf("skip/parent %v %v", cs["TestSkipped"].Data, cs["TestTable/zero"].Data)
		}
		if tb := cs["TestPanics"].arts["traceback.log"]; !strings.Contains(tb, "goroutine") || strings.Contains(tb, "--- FAIL") {
			t.Errorf("panic traceback %q", tb)
		}
		if !cs["TestSlow"].StartTime.After(r.StartTime) {
			t.Errorf("TestSlow starts %v, run %v", cs["TestSlow"].StartTime, r.StartTime)
		}
	})
}

func TestImportFormatFailures(t *testing.T) {
	dialects(t, backendtest.Options{}, func(t *testing.T, e *backendtest.Env) {
		other := newProject(t, e, "not-mine", e.Admin)
		runs0, results0 := count(t, e, "runs"), count(t, e, "results")
		tests := []struct{ name, content, want string }{
			{"cut off", `{"Action":"run","Package":"p","Test":"T"}` + "\n" + `{"Action":"pass","Pack`,
				"invalid go test -json output at line 2 (byte offset 42): not a JSON event"},
			{"NUL in a test name", `{"Action":"pass","Package":"p","Test":"T\u0000x"}`, "holds a NUL character"},
			{"over-long test name", `{"Action":"pass","Package":"p","Test":"` + strings.Repeat("x", model.MaxTestIDBytes+1) + `"}`,
				"test_id is longer than"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				imp := importFile(t, e, "r.json", []byte(tt.content), nil)
				md := imp["metadata"].(map[string]any)
				if imp["status"] != "error" || !strings.Contains(fmt.Sprint(md["error"]), tt.want) {
					t.Errorf("import %v, want error %q", imp, tt.want)
				}
			})
		}
		// A user cannot send a report into a project that is not theirs.
		r := upload(e, e.UserToken, "r.json", formatFixture(t, "gotest", "sample.json"), map[string]string{"project": other.ID.String()})
		if r.Code != 403 {
			t.Errorf("foreign project: %d %s", r.Code, r.Body)
		}
		if count(t, e, "runs") != runs0 || count(t, e, "results") != results0 {
			t.Error("a failed import left rows behind")
		}
		// Nothing recognises it: 415 naming the formats.
		r = upload(e, e.UserToken, "r.xml.json", []byte("just some text\n"), nil)
		if r.Code != 415 || !strings.Contains(r.Body.String(), `"name":"gotest"`) || !strings.Contains(r.Body.String(), "Supported formats: JUnit XML") {
			t.Errorf("unrecognised: %d %s", r.Code, r.Body)
		}
		f := e.Do("GET", "/api/import/formats", nil, e.UserToken)
		if f.Code != 200 || !strings.Contains(f.Body.String(), `{"name":"junit","title":"JUnit XML"}`) {
			t.Errorf("formats: %d %s", f.Code, f.Body)
		}
	})
}
