package importer_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

func readFixture(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// importFixture imports a fixture, checks the run's summary against
// wantSummary (unless empty) and returns the run and its results by test_id.
func importFixture(t *testing.T, e *backendtest.Env, name, path, format, wantSummary string) (model.Run, map[string]model.Result) {
	t.Helper()
	imp := importFile(t, e, name, readFixture(t, path), nil)
	if imp["status"] != "done" {
		t.Fatalf("%s: %v", path, imp)
	}
	if md := imp["metadata"].(map[string]any); md["format"] != format {
		t.Errorf("%s: detected as %v, want %s", path, md["format"], format)
	}
	r := runOf(t, e, imp)
	if got := summary(r.Summary); wantSummary != "" && got != wantSummary {
		t.Errorf("%s: summary %s, want %s", path, got, wantSummary)
	}
	m := map[string]model.Result{}
	for _, x := range resultsOf(t, e, r.ID) {
		m[str(x.TestID)] = x
	}
	return r, m
}

func artifactNames(t *testing.T, e *backendtest.Env, x model.Result) []string {
	t.Helper()
	arts := testdb.Rows[model.Artifact](t, e.App.DB, "filename", "result_id = ?", x.ID)
	var names []string
	for _, a := range arts {
		names = append(names, *a.Filename)
	}
	sort.Strings(names)
	return names
}

func artifactText(t *testing.T, e *backendtest.Env, x model.Result, name string) string {
	t.Helper()
	var a model.Artifact
	if err := e.App.DB.Gorm.Where("result_id = ? AND filename = ?", x.ID, name).Take(&a).Error; err != nil {
		t.Fatalf("%s: artifact %s: %v", str(x.TestID), name, err)
	}
	return string(a.Content)
}

// allureTar is a hand-written allure-results archive.
func allureTar(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for name, body := range files {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		_, _ = tw.Write([]byte(body))
	}
	_ = tw.Close()
	_ = zw.Close()
	return buf.Bytes()
}

// A user cannot send one of these reports into a project that is not
// theirs, whichever format (two-pass ones included); nothing is written.
func TestImportMoreFormatsForeignProject(t *testing.T) {
	dialects(t, backendtest.Options{}, func(t *testing.T, e *backendtest.Env) {
		other := e.CreateProject("not-mine", e.Admin)
		runs0, results0 := count(t, e, "runs"), count(t, e, "results")
		for name, path := range map[string]string{
			"run.trx":         "trx/testdata/dorny-dotnet-xunit.trx",
			"cucumber.json":   "cucumber/testdata/cucumber-js.json",
			"allure.tar.gz":   "allure/testdata/allure-mocha.tar.gz",
			"playwright.json": "playwright/testdata/playwright-json.json",
		} {
			r := upload(e, e.UserToken, name, readFixture(t, path), map[string]string{"project": other.ID.String()})
			if r.Code != 403 {
				t.Errorf("%s into a foreign project: %d %s", name, r.Code, r.Body)
			}
		}
		if count(t, e, "runs") != runs0 || count(t, e, "results") != results0 {
			t.Error("a refused import left rows behind")
		}
	})
}

func TestImportDotnetFormats(t *testing.T) {
	dialects(t, backendtest.Options{}, func(t *testing.T, e *backendtest.Env) {
		t.Run("NUnit 3", func(t *testing.T) {
			// Named .xml, as nunit3-console writes it; detected as NUnit.
			r, m := importFixture(t, e, "TestResult.xml", "nunit/testdata/nunit-mock-result.xml", "nunit3", "tests=45 failures=3 errors=4 skips=8 xfailures=0 xpasses=0")
			if r.StartTime.Format("2006-01-02T15:04:05") != "2015-10-19T02:12:28" {
				t.Errorf("run start %v", r.StartTime)
			}
			f := m["NUnit.Tests.Assemblies.MockTestFixture.FailingTest"]
			if str(f.Result) != "failed" || *f.Duration != 0.16165 || f.Data["short_tb"] != "Intentional failure" || f.Data["classname"] != "NUnit.Tests.Assemblies.MockTestFixture" ||
				f.Data["suite"] != "mock-nunit-assembly.exe › NUnit › Tests › Assemblies › MockTestFixture" || str(f.Component) != "mock-nunit-assembly.exe" {
				t.Errorf("FailingTest %+v", f.Data)
			}
			if names := artifactNames(t, e, f); strings.Join(names, ",") != "traceback.log" || !strings.Contains(artifactText(t, e, f, "traceback.log"), "MockAssembly.cs:line 148") {
				t.Errorf("FailingTest artifacts %v", names)
			}
			ex := m["NUnit.Tests.Assemblies.MockTestFixture.TestWithException"]
			if str(ex.Result) != "error" || ex.Data["exception_name"] != "System.Exception" {
				t.Errorf("TestWithException %s %v", str(ex.Result), ex.Data)
			}
			sk := m["NUnit.Tests.Assemblies.MockTestFixture.MockTest4"]
			if str(sk.Result) != "skipped" || sk.Data["skip_reason"] != "ignoring this test method for now" {
				t.Errorf("MockTest4 %v", sk.Data)
			}
			tags, _ := m["NUnit.Tests.Assemblies.MockTestFixture.MockTest2"].Data["tags"].([]any)
			props, _ := m["NUnit.Tests.Assemblies.MockTestFixture.MockTest2"].Data["properties"].(map[string]any)
			if len(tags) != 2 || tags[1] != "MockCategory" || props["Severity"] != "Critical" {
				t.Errorf("MockTest2 tags %v properties %v", tags, props)
			}
		})
		t.Run("xUnit.net v2", func(t *testing.T) {
			r, m := importFixture(t, e, "results.xml", "xunit/testdata/pickles-xunit2.xml", "xunit2", "tests=71 failures=30 errors=0 skips=1 xfailures=0 xpasses=0")
			x := m["Pickles.TestHarness.xunit2.NotAutomatedAtAllFeature.NotAutomatedScenario2"]
			traits, _ := x.Data["traits"].(map[string]any)
			if str(x.Result) != "failed" || *x.Duration != 0.0076627 || x.Data["exception_name"] != "TechTalk.SpecFlow.SpecFlowException" ||
				traits["FeatureTitle"] != "Not Automated At All" || !strings.HasPrefix(x.Data["short_tb"].(string), "TechTalk.SpecFlow.SpecFlowException : Test pending") {
				t.Errorf("%s %v", str(x.Result), x.Data)
			}
			if r.StartTime.Format("2006-01-02T15:04:05") != "2018-08-29T14:10:40" {
				t.Errorf("run start %v", r.StartTime)
			}
		})
		t.Run("TRX", func(t *testing.T) {
			_, m := importFixture(t, e, "run.trx", "trx/testdata/dorny-dotnet-xunit.trx", "trx", "tests=11 failures=5 errors=0 skips=1 xfailures=0 xpasses=0")
			x := m["DotnetTests.XUnitTests.CalculatorTests.Exception_In_TargetTest"]
			if str(x.Result) != "failed" || *x.Duration != 0.0008377 || x.Data["exception_name"] != "System.DivideByZeroException" ||
				x.Data["classname"] != "DotnetTests.XUnitTests.CalculatorTests" || x.StartTime.Format("15:04:05.000") != "06:31:32.976" {
				t.Errorf("%s %v %v", str(x.Result), x.Data, x.StartTime)
			}
			sk := m["DotnetTests.XUnitTests.CalculatorTests.Skipped_Test"]
			if str(sk.Result) != "skipped" || artifactText(t, e, sk, "stdout.log") != "Skipped test" {
				t.Errorf("skipped %v", sk.Data)
			}
			// Definitions before results (Visual Studio's order), categories and properties.
			_, m = importFixture(t, e, "vs.trx", "trx/testdata/pickles-mstest.trx", "trx", "")
			c := m["Pickles.TestHarness.MsTest.AdditionFeature.FailToAddTwoNumbers"]
			if tags, _ := c.Data["tags"].([]any); len(tags) != 1 || tags[0] != "tag1" || str(c.Result) != "failed" {
				t.Errorf("%s %v", str(c.Result), c.Data)
			}
		})
		t.Run("Cucumber JSON", func(t *testing.T) {
			_, m := importFixture(t, e, "cucumber.json", "cucumber/testdata/cucumber-js.json", "cucumber", "tests=9 failures=2 errors=1 skips=2 xfailures=0 xpasses=0")
			f := m["Calculator › a wrong expectation fails"]
			if str(f.Result) != "failed" || f.Data["short_tb"] != "Then the result is 5: AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:" ||
				f.Data["fspath"] != "features/calculator.feature" || f.Data["line"] != float64(13) || *f.Duration <= 0 {
				t.Errorf("%s %v", str(f.Result), f.Data)
			}
			if names := artifactNames(t, e, f); strings.Join(names, ",") != "step5-attachment1.txt,traceback.log" {
				t.Errorf("artifacts %v", names)
			}
			rep := m["Reports › a report with a table and a doc string"]
			if names := artifactNames(t, e, rep); strings.Join(names, ",") != "stdout.log,step3-attachment2.json,step3-attachment3.png" {
				t.Errorf("artifacts %v", names)
			}
			if sk := m["Calculator › dividing is not written yet"]; str(sk.Result) != "skipped" || sk.Data["skip_reason"] != "pending step: When I divide 6 by 3" {
				t.Errorf("pending %v", sk.Data)
			}
		})
		t.Run("Playwright JSON", func(t *testing.T) {
			r, m := importFixture(t, e, "results.json", "playwright/testdata/playwright-json.json", "playwright", "tests=11 failures=3 errors=0 skips=2 xfailures=1 xpasses=1")
			if pm, _ := r.Data["playwright"].(map[string]any); pm == nil || pm["metadata"].(map[string]any)["build"] != "1234" || *r.Duration < 1 {
				t.Errorf("run %v %v", r.Data, *r.Duration)
			}
			fl := m["[unit] › math.spec.js › math › flaky passes on retry"]
			pm, _ := fl.Data["playwright"].(map[string]any)
			if str(fl.Result) != "passed" || fl.Data["flaky"] != true || pm["retries"] != float64(1) || fl.Data["suite"] != "math.spec.js › math" {
				t.Errorf("flaky %v", fl.Data)
			}
			if names := artifactNames(t, e, fl); strings.Join(names, ",") != "attempt,retry0-attempt" || artifactText(t, e, fl, "retry0-attempt") != "retry 0" {
				t.Errorf("flaky artifacts %v", names)
			}
			if na, _ := fl.Data["attachments_not_imported"].([]any); len(na) != 1 {
				t.Errorf("not imported %v", fl.Data["attachments_not_imported"])
			}
			w := m["[unit] › math.spec.js › math › a wrong expectation fails"]
			if str(w.Result) != "failed" || w.Data["short_tb"] != "Error: expect(received).toBe(expected) // Object.is equality" ||
				w.Data["fspath"] != "math.spec.js" || w.StartTime.IsZero() {
				t.Errorf("failure %v", w.Data)
			}
			if names := artifactNames(t, e, w); strings.Join(names, ",") != "stdout.log,traceback.log" {
				t.Errorf("failure artifacts %v", names)
			}
			if x := m["[unit] › math.spec.js › math › known bug fails as expected"]; str(x.Result) != "xfailed" {
				t.Errorf("xfail %s", str(x.Result))
			}
		})
		t.Run("Allure results", func(t *testing.T) {
			_, m := importFixture(t, e, "allure-results.tar.gz", "allure/testdata/allure-mocha.tar.gz", "allure", "tests=8 failures=1 errors=1 skips=2 xfailures=0 xpasses=0")
			add := m["sample:test/cart.spec.js: cart > adds an item"]
			labels, _ := add.Data["labels"].(map[string]any)
			if str(add.Result) != "passed" || labels["epic"] != "Shop" || add.Data["suite"] != "cart" || add.Data["parameters"].(map[string]any)["item"] != "apple" {
				t.Errorf("adds an item %v", add.Data)
			}
			if names := artifactNames(t, e, add); strings.Join(names, ",") != "cart.json" || artifactText(t, e, add, "cart.json") != `["apple"]` {
				t.Errorf("artifacts %v", names)
			}
			fl := m["sample:test/cart.spec.js: cart > is flaky and passes on retry"]
			if str(fl.Result) != "passed" || fl.Data["flaky"] != true || artifactText(t, e, fl, "attempt.txt") != "run 2" {
				t.Errorf("flaky %v", fl.Data)
			}
			br := m["sample:test/cart.spec.js: cart > breaks on a bad item"]
			if str(br.Result) != "error" || br.Data["exception_name"] != "TypeError" || br.Data["short_tb"] != "Cannot read properties of undefined (reading 'price')" {
				t.Errorf("broken %v", br.Data)
			}
		})
		t.Run("broken files end in error with the place", func(t *testing.T) {
			for name, doc := range map[string]string{
				"nunit.xml": "<test-run>\n<test-suite name=\"a\">\n<test-case name=\"x\" result=\"Passed\"></test-suite>",
				"xunit.xml": "<assemblies>\n<assembly>\n<collection><test name=\"x\" result=\"Pass\"></assembly>",
				"run.trx":   "<TestRun>\n<Results>\n<UnitTestResult testName=\"x\" outcome=\"Passed\"></Results>",
			} {
				imp := importFile(t, e, name, []byte(doc), nil)
				msg, _ := imp["metadata"].(map[string]any)["error"].(string)
				if imp["status"] != "error" || !strings.Contains(msg, "line 3") {
					t.Errorf("%s: %v", name, imp)
				}
			}
			// JSON formats name the byte offset.
			for name, doc := range map[string]string{
				"cucumber.json":   `[{"uri":"f.feature","keyword":"Feature","elements":[{"name":"s","steps":[}]}]`,
				"playwright.json": `{"config":{},"suites":[{"title":"a","specs":[{"title":"t","tests":[}]}]}`,
				"allure.tar.gz":   string(allureTar(t, map[string]string{"r/a-result.json": `{"uuid":"a","status":`})),
			} {
				imp := importFile(t, e, name, []byte(doc), nil)
				msg, _ := imp["metadata"].(map[string]any)["error"].(string)
				if imp["status"] != "error" || !strings.Contains(msg, "byte offset") {
					t.Errorf("%s: %v", name, imp)
				}
			}
		})
	})
}
