package importer_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/parsertest"
)

// summary renders the 6-key JUnit summary compactly.
func summary(s model.JSON) string {
	k := []string{"tests", "failures", "errors", "skips", "xfailures", "xpasses"}
	var b []string
	for _, key := range k {
		b = append(b, fmt.Sprintf("%s=%v", key, s[key]))
	}
	return strings.Join(b, " ")
}

func TestJUnitImportDialects(t *testing.T) {
	tests := []struct {
		file     string
		summary  string
		duration float64
		results  string // test_id:status, sorted by test_id
		arts     int64
	}{
		{"fx01-single-suite.xml", "tests=6 failures=1 errors=1 skips=1 xfailures=0 xpasses=0", 12.5,
			"TestA.test_five:passed TestA.test_four:skipped TestA.test_one:passed TestA.test_six:passed TestA.test_three:error TestA.test_two:failed", 3},
		{"fx02-multi.xml", "tests=5 failures=1 errors=0 skips=1 xfailures=0 xpasses=0", 7.5,
			"TestAlpha.test_a1:passed TestAlpha.test_a2:failed TestAlpha.test_a3:passed TestBeta.test_b1:skipped TestBeta.test_b2:passed", 1},
		// The attributes say skips=0; the file holds a skipped case.
		{"fx04-xfail.xml", "tests=4 failures=1 errors=0 skips=1 xfailures=1 xpasses=1", 4,
			"T.x1:xfailed T.x2:xpassed T.x3:failed T.x4:skipped", 1},
		{"surefire.xml", "tests=5 failures=1 errors=1 skips=1 xfailures=0 xpasses=0", 1234.5,
			"CalculatorTest.testAdd:passed CalculatorTest.testBoom:error CalculatorTest.testDivide:failed CalculatorTest.testFlaky:passed CalculatorTest.testSkip:skipped", 3},
		{"jest-junit.xml", "tests=3 failures=1 errors=0 skips=1 xfailures=0 xpasses=0", 2.345,
			"math adds numbers.math adds numbers:passed math divides.math divides:failed math todo.math todo:skipped", 1},
		{"go-junit-report.xml", "tests=4 failures=1 errors=0 skips=1 xfailures=0 xpasses=0", 0.512,
			"com/example/pkg.TestFail:failed com/example/pkg.TestParse:passed com/example/pkg.TestSkip:skipped com/example/pkg.case_1:passed", 1},
		{"nextest.xml", "tests=3 failures=1 errors=0 skips=0 xfailures=0 xpasses=0", 0.789,
			"my-crate::my_test.tests::fails:failed my-crate::my_test.tests::flaky:passed my-crate::my_test.tests::passes:passed", 3},
		{"pytest-legacy.xml", "tests=3 failures=0 errors=0 skips=1 xfailures=0 xpasses=0", 0.05,
			"test_mod.5]:passed test_mod.test_ok:passed test_mod.test_skip:skipped", 2},
		{"nested.xml", "tests=3 failures=1 errors=0 skips=0 xfailures=0 xpasses=0", 3,
			"Inner.a:passed Inner.b:failed Outer.c:passed", 0},
		{"empty.xml", "tests=0 failures=0 errors=0 skips=0 xfailures=0 xpasses=0", 0, "", 0},
		{"latin1.xml", "tests=1 failures=0 errors=0 skips=0 xfailures=0 xpasses=0", 1, "T.test_été:passed", 1},
		// No time attribute on the suite: the cases' times are summed.
		{"dtd-only.xml", "tests=1 failures=0 errors=0 skips=0 xfailures=0 xpasses=0", 0.5, "B.t:passed", 0},
		{"upstream/collection.xml", "tests=1 failures=0 errors=0 skips=0 xfailures=0 xpasses=0", 2335.183, "", 0},
		{"upstream/combined.xml", "tests=164 failures=0 errors=0 skips=29 xfailures=0 xpasses=0", 3911.311, "", -1},
		{"upstream/empty-testsuite.xml", "tests=1 failures=0 errors=0 skips=0 xfailures=0 xpasses=0", 15.943, "navigation.Test navigation:passed", 0},
		{"upstream/merged-with-props.xml", "tests=162 failures=0 errors=0 skips=0 xfailures=0 xpasses=0", -1, "", 0},
		{"upstream/sample_test_data.xml", "tests=10 failures=2 errors=1 skips=1 xfailures=0 xpasses=0", 469.683, "", -1},
	}
	dialects(t, backendtest.Options{}, func(t *testing.T, e *backendtest.Env) {
		for _, tt := range tests {
			t.Run(tt.file, func(t *testing.T) {
				arts0 := count(t, e, "artifacts")
				imp := importFile(t, e, strings.ReplaceAll(tt.file, "/", "-"), parsertest.ReadFile(t, tt.file), nil)
				r := runOf(t, e, imp)
				if got := summary(r.Summary); got != tt.summary || len(r.Summary) != 10 || r.Summary["passes"] == nil {
					t.Errorf("summary %s, want %s", got, tt.summary)
				}
				if tt.duration >= 0 && (r.Duration == nil || fmt.Sprintf("%.3f", *r.Duration) != fmt.Sprintf("%.3f", tt.duration)) {
					t.Errorf("duration %v, want %v", *r.Duration, tt.duration)
				}
				rs := resultsOf(t, e, r.ID)
				var got []string
				for _, x := range rs {
					got = append(got, str(x.TestID)+":"+str(x.Result))
					if !x.StartTime.Equal(r.StartTime) || x.Data["run"] != r.ID.String() {
						t.Errorf("result %s: start %v run %v", str(x.TestID), x.StartTime, x.Data["run"])
					}
				}
				sort.Strings(got)
				if tt.results != "" && strings.Join(got, " ") != tt.results {
					t.Errorf("results\n got %s\nwant %s", strings.Join(got, " "), tt.results)
				}
				if want := r.Summary["tests"].(float64); tt.file != "upstream/merged-with-props.xml" && float64(len(rs)) != want {
					t.Errorf("%d results for tests=%v", len(rs), want)
				}
				if n := count(t, e, "artifacts") - arts0; tt.arts >= 0 && n != tt.arts {
					t.Errorf("%d artifacts, want %d", n, tt.arts)
				}
			})
		}
	})
}

func TestJUnitImportMapping(t *testing.T) {
	dialects(t, backendtest.Options{}, func(t *testing.T, e *backendtest.Env) {
		p := e.CreateProject("my-project", e.Admin)
		e.CreateProject("other-project", e.Admin)

		t.Run("FX-01 fields and artifacts", func(t *testing.T) {
			imp := importFile(t, e, "fx01.xml", parsertest.ReadFile(t, "fx01-single-suite.xml"), map[string]string{"project": "my-project"})
			r := runOf(t, e, imp)
			if r.StartTime.Format("2006-01-02T15:04:05") != "2024-05-01T10:00:00" || *r.ProjectID != p.ID || len(r.Data) != 0 || r.Env != nil {
				t.Errorf("run %+v", r)
			}
			md := imp["metadata"].(map[string]any)
			if md["project_id"] != p.ID.String() || md["metadata"] != nil {
				t.Errorf("import metadata %v", md)
			}
			for _, x := range resultsOf(t, e, r.ID) {
				if x.Data["fspath"] != "pkg/mod" || x.Data["line"] != nil || str(x.Source) != "suite-a" || *x.ProjectID != p.ID || x.Env != nil {
					t.Errorf("result %s: %v source %s", str(x.TestID), x.Data, str(x.Source))
				}
				if str(x.TestID) == "TestA.test_four" && x.Data["skip_reason"] != "skip: platform" {
					t.Errorf("skip reason %v", x.Data["skip_reason"])
				}
				// The failure/error message lands where pytest-ibutsu puts it.
				wantTb := map[string]any{"TestA.test_two": "m", "TestA.test_three": "e"}[str(x.TestID)]
				if x.Data["short_tb"] != wantTb {
					t.Errorf("%s short_tb %v, want %v", str(x.TestID), x.Data["short_tb"], wantTb)
				}
				var arts []model.Artifact
				e.App.DB.Gorm.Where("result_id = ?", x.ID).Order("filename").Find(&arts)
				var names []string
				for _, a := range arts {
					names = append(names, *a.Filename+"="+string(a.Content))
					if a.Data["resultId"] != x.ID.String() || a.Data["contentType"] != "text/plain" {
						t.Errorf("artifact metadata %v", a.Data)
					}
				}
				want := map[string]string{"TestA.test_two": "system-out.log=captured stdout traceback.log=Traceback: boom",
					"TestA.test_three": "traceback.log=fixture error"}[str(x.TestID)]
				if strings.Join(names, " ") != want {
					t.Errorf("%s artifacts %v, want %q", str(x.TestID), names, want)
				}
			}
		})

		t.Run("FX-05 property precedence", func(t *testing.T) {
			imp := importFile(t, e, "fx05.xml", parsertest.ReadFile(t, "fx05-properties.xml"), map[string]string{
				"project": p.ID.String(), "source": "form-source", "metadata": `{"env":"perf","build":"166"}`})
			r := runOf(t, e, imp)
			if str(r.Env) != "perf" || str(r.Component) != "frontend" || str(r.Source) != "form-source" || *r.ProjectID != p.ID {
				t.Errorf("run env %s component %s source %s", str(r.Env), str(r.Component), str(r.Source))
			}
			wantRun := map[string]any{"project": "other-project", "component": "frontend", "env": "perf", "source": "xml-source", "build": "166", "named": "x"}
			if fmt.Sprint(map[string]any(r.Data)) != fmt.Sprint(wantRun) {
				t.Errorf("run metadata %v", r.Data)
			}
			for _, x := range resultsOf(t, e, r.ID) {
				if str(x.Source) != "xml-source" || str(x.Env) != "perf" || str(x.Component) != "frontend" || x.Data["suite_prop"] != "sp" || x.Data["fspath"] != "a/b" {
					t.Errorf("result %s: %v source %s", str(x.TestID), x.Data, str(x.Source))
				}
				if x.Data["named"] != "x" {
					t.Errorf("name= property not imported: %v", x.Data)
				}
				if (x.Data["importance"] == "high") != (str(x.TestID) == "C.t1") {
					t.Errorf("importance on %s: %v", str(x.TestID), x.Data["importance"])
				}
			}
		})

		t.Run("nested suites and merged-with-props", func(t *testing.T) {
			r := runOf(t, e, importFile(t, e, "nested.xml", parsertest.ReadFile(t, "nested.xml"), nil))
			for _, x := range resultsOf(t, e, r.ID) {
				want := map[string]any{"Inner.a": "inner", "Inner.b": "inner", "Outer.c": "outer"}[str(x.TestID)]
				if x.Data["layer"] != want || x.Data["fspath"] != "spec/outer.rb" {
					t.Errorf("%s: %v", str(x.TestID), x.Data)
				}
			}
			r = runOf(t, e, importFile(t, e, "m.xml", parsertest.ReadFile(t, "upstream/merged-with-props.xml"), nil))
			if str(r.Component) != "frontend-components" || str(r.Source) != "pr_check-400-1" || r.ProjectID != nil {
				t.Errorf("run %s %s %v", str(r.Component), str(r.Source), r.ProjectID)
			}
			if n := len(resultsOf(t, e, r.ID)); n != 162 {
				t.Errorf("%d results", n)
			}
		})

		t.Run("run id from file name, re-upload fails cleanly", func(t *testing.T) {
			name := "nightly-4b1d3c2e-5f6a-4b7c-9d8e-0f1a2b3c4d5e.xml"
			r := runOf(t, e, importFile(t, e, name, parsertest.ReadFile(t, "empty.xml"), nil))
			if r.ID.String() != "4b1d3c2e-5f6a-4b7c-9d8e-0f1a2b3c4d5e" {
				t.Errorf("run id %s", r.ID)
			}
			runs := count(t, e, "runs")
			imp := importFile(t, e, name, parsertest.ReadFile(t, "empty.xml"), nil)
			if imp["status"] != "error" || !strings.Contains(fmt.Sprint(imp["metadata"]), "already exists") || count(t, e, "runs") != runs {
				t.Errorf("re-upload: %v", imp)
			}
			r = runOf(t, e, importFile(t, e, "v1-0e7c1a2e-5f6a-11ef-9d8e-0f1a2b3c4d5e.xml", parsertest.ReadFile(t, "empty.xml"), nil))
			if r.ID.String() == "0e7c1a2e-5f6a-11ef-9d8e-0f1a2b3c4d5e" {
				t.Error("a version-1 UUID must not name the run")
			}
		})

		t.Run("bad files fail with a position and import nothing", func(t *testing.T) {
			for file, want := range map[string]string{
				"malformed.xml": "line 5", "truncated.xml": "unexpected EOF", "nosuite.xml": "holds no <testsuite>",
				"xxe.xml": "invalid character entity &xxe;", "laughs.xml": "invalid character entity &lol3;",
			} {
				runs, results, arts := count(t, e, "runs"), count(t, e, "results"), count(t, e, "artifacts")
				imp := importFile(t, e, file, parsertest.ReadFile(t, file), nil)
				md := imp["metadata"].(map[string]any)
				msg, _ := md["error"].(string)
				if imp["status"] != "error" || !strings.Contains(msg, want) || !strings.Contains(msg, "byte offset") || md["run_id"] != nil {
					t.Errorf("%s: %v", file, imp)
				}
				if count(t, e, "runs") != runs || count(t, e, "results") != results || count(t, e, "artifacts") != arts {
					t.Errorf("%s left rows behind", file)
				}
			}
			// A file whose failure only shows after many results were written.
			var b strings.Builder
			b.WriteString("<testsuite name=\"s\">")
			for i := 0; i < 1200; i++ {
				fmt.Fprintf(&b, "<testcase classname=\"a.B\" name=\"t%d\"><system-out>x</system-out></testcase>", i)
			}
			b.WriteString("<testcase time=\"soon\"/></testsuite>")
			runs, results := count(t, e, "runs"), count(t, e, "results")
			imp := importFile(t, e, "late.xml", []byte(b.String()), nil)
			if imp["status"] != "error" || count(t, e, "runs") != runs || count(t, e, "results") != results {
				t.Errorf("late failure: %v", imp)
			}
		})
	})
}
