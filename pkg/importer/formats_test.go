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
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
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
		arts := testdb.Rows[model.Artifact](t, e.App.DB, "", "result_id = ?", r.ID)
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
		p := e.CreateProject("go-project", e.Admin)
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
		other := e.CreateProject("not-mine", e.Admin)
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

func TestImportTAP(t *testing.T) {
	dialects(t, backendtest.Options{}, func(t *testing.T, e *backendtest.Env) {
		t.Run("node", func(t *testing.T) {
			imp := importFile(t, e, "results.tap", formatFixture(t, "tap", "node.tap"), map[string]string{"metadata": `{"component":"web"}`})
			if imp["metadata"].(map[string]any)["format"] != "tap" {
				t.Fatalf("format %v", imp["metadata"])
			}
			r := runOf(t, e, imp)
			if got := summary(r.Summary); got != "tests=8 failures=2 errors=0 skips=1 xfailures=1 xpasses=0" {
				t.Errorf("summary %s", got)
			}
			if r.Duration == nil || fmt.Sprintf("%.3f", *r.Duration) != "0.446" || str(r.Component) != "web" {
				t.Errorf("run duration %v component %s", r.Duration, str(r.Component))
			}
			cs := importedCases(t, e, r.ID)
			want := "adds numbers:passed async slow:passed divides:failed not written yet:xfailed skipped on this machine:skipped " +
				"strings/nested/logs:passed strings/nested/throws a TypeError:failed strings/uppercases:passed"
			if got := outcomes(cs); got != want {
				t.Fatalf("results\n got %s\nwant %s", got, want)
			}
			d := cs["divides"]
			tap, _ := d.Data["tap"].(map[string]any)
			if d.Data["short_tb"] != "Expected values to be strictly equal:\n\n3.5 !== 4" || d.Data["exception_name"] != "AssertionError" ||
				d.Data["fspath"] != "/src/node-sample/math.test.mjs" || d.Data["line"] != float64(8) || tap["code"] != "ERR_ASSERTION" ||
				fmt.Sprintf("%.6f", *d.Duration) != "0.001104" || artNames(d) != "traceback.log" || str(d.Component) != "web" {
				t.Errorf("divides %v %v %v", d.Data, *d.Duration, artNames(d))
			}
			if s := cs["skipped on this machine"]; s.Data["skip_reason"] != "needs a GPU" || artNames(s) != "" {
				t.Errorf("skip %v", s.Data)
			}
			if n := cs["strings/nested/throws a TypeError"]; n.Data["suite"] != "strings › nested" || n.Data["exception_name"] != "TypeError" {
				t.Errorf("nested %v", n.Data)
			}
			if x := cs["not written yet"]; x.Data["todo"] != "waiting for the API" || !strings.Contains(x.arts["traceback.log"], "unimplemented") {
				t.Errorf("todo %v %v", x.Data, x.arts)
			}
		})
		t.Run("prove", func(t *testing.T) {
			r := runOf(t, e, importFile(t, e, "prove.txt", formatFixture(t, "tap", "prove-v.tap"), nil))
			if got := summary(r.Summary); got != "tests=10 failures=2 errors=0 skips=1 xfailures=1 xpasses=1" {
				t.Errorf("summary %s", got)
			}
			cs := importedCases(t, e, r.ID)
			if c := cs["division rounds"]; c.Data["fspath"] != "t/basic.t" || c.Data["short_tb"] != "Failed test 'division rounds'" ||
				!strings.Contains(c.arts["traceback.log"], "expected: '4'") {
				t.Errorf("division rounds %v %v", c.Data, c.arts)
			}
			if c := cs["first"]; c.Data["fspath"] != "t/more.t" || c.Data["tap_number"] != float64(1) {
				t.Errorf("first %v", c.Data)
			}
		})
		t.Run("Test::More", func(t *testing.T) {
			r := runOf(t, e, importFile(t, e, "basic", formatFixture(t, "tap", "basic.tap"), nil))
			if got := summary(r.Summary); got != "tests=8 failures=2 errors=0 skips=1 xfailures=1 xpasses=1" {
				t.Errorf("summary %s", got)
			}
		})
	})
}

func TestImportCTRF(t *testing.T) {
	dialects(t, backendtest.Options{}, func(t *testing.T, e *backendtest.Env) {
		t.Run("jest", func(t *testing.T) {
			imp := importFile(t, e, "ctrf-report.json", formatFixture(t, "ctrf", "jest-ctrf.json"), nil)
			if imp["metadata"].(map[string]any)["format"] != "ctrf" {
				t.Fatalf("format %v", imp["metadata"])
			}
			r := runOf(t, e, imp)
			if got := summary(r.Summary); got != "tests=6 failures=2 errors=0 skips=2 xfailures=0 xpasses=0" {
				t.Errorf("summary %s", got)
			}
			env, _ := r.Data["environment"].(map[string]any)
			if r.Data["tool"] != "jest" || env["buildNumber"] != "42" || str(r.Component) != "calc" || r.Duration == nil || fmt.Sprintf("%.3f", *r.Duration) != "1.737" ||
				r.StartTime.UnixMilli() != 1796501499506 {
				t.Errorf("run %v %s %v %v", r.Data, str(r.Component), r.Duration, r.StartTime)
			}
			cs := importedCases(t, e, r.ID)
			want := "calc adds:passed calc divides:failed calc handles overflow:skipped calc logs to the console:passed calc nested throws:failed calc skipped on CI:skipped"
			if got := outcomes(cs); got != want {
				t.Fatalf("results\n got %s\nwant %s", got, want)
			}
			n := cs["calc nested throws"]
			if n.Data["short_tb"] != "TypeError: bad input" || n.Data["exception_name"] != "TypeError" || n.Data["suite"] != "calc.test.js › calc › nested" ||
				n.Data["fspath"] != "/src/ctrf-sample/jest/calc.test.js" || artNames(n) != "traceback.log" || !strings.Contains(n.arts["traceback.log"], "calc.test.js:16:13") {
				t.Errorf("nested throws %v %v", n.Data, artNames(n))
			}
			if d := cs["calc logs to the console"]; fmt.Sprint(*d.Duration) != "0.051" || d.Data["type"] != "unit" {
				t.Errorf("console %v %v", *d.Duration, d.Data)
			}
			if o := cs["calc handles overflow"]; o.Data["skip_reason"] != "other (todo)" {
				t.Errorf("todo %v", o.Data)
			}
		})
		t.Run("mocha", func(t *testing.T) {
			r := runOf(t, e, importFile(t, e, "ctrf.json", formatFixture(t, "ctrf", "mocha-ctrf.json"), nil))
			if got := summary(r.Summary); got != "tests=6 failures=2 errors=0 skips=2 xfailures=0 xpasses=0" {
				t.Errorf("summary %s", got)
			}
			cs := importedCases(t, e, r.ID)
			if w := cs["math slow things waits"]; fmt.Sprint(*w.Duration) != "0.061" || w.StartTime.UnixMilli() != 1796501493112 {
				t.Errorf("waits %v %v", *w.Duration, w.StartTime)
			}
		})
		t.Run("edge cases", func(t *testing.T) {
			r := runOf(t, e, importFile(t, e, "ctrf.json", formatFixture(t, "ctrf", "edge-cases.json"), map[string]string{"metadata": `{"env":"prod"}`}))
			if got := summary(r.Summary); got != "tests=4 failures=0 errors=1 skips=0 xfailures=1 xpasses=1" || str(r.Env) != "prod" || str(r.Component) != "billing" {
				t.Errorf("summary %s env %s component %s", got, str(r.Env), str(r.Component))
			}
			cs := importedCases(t, e, r.ID)
			k := cs["test_retried"]
			if artNames(k) != "screenshot.png,stderr.log,stdout.log" || k.arts["screenshot.png"] != "hello screenshot" || k.arts["stdout.log"] != "first line\nsecond line" {
				t.Errorf("artifacts %v", k.arts)
			}
			if k.Data["flaky"] != true || k.Data["retries"] != float64(2) || k.Data["line"] != float64(42) || fmt.Sprint(k.Data["tags"]) != "[smoke slow]" ||
				str(k.Component) != "billing" || str(k.Env) != "prod" {
				t.Errorf("metadata %v", k.Data)
			}
		})
	})
}
