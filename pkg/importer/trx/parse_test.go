package trx

import (
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/importer/tcase"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/parsertest"
)

func parseFile(t *testing.T, name string) ([]*tcase.Case, *Run) {
	return parsertest.Cases(t, func(h tcase.Handler) (*Run, error) {
		return Parse(parsertest.File(name), Options{MaxText: 1 << 20, MaxMarkup: 1 << 20}, h)
	})
}

func TestDotnetXunit(t *testing.T) {
	cases, run := parseFile(t, "dorny-dotnet-xunit.trx")
	n, m := parsertest.Tally(cases)
	// Counters: total=11 executed=10 passed=5 failed=5 notExecuted=1
	if len(cases) != 11 || n[tcase.Passed] != 5 || n[tcase.Failed] != 5 || n[tcase.Skipped] != 1 || run.Passes != 2 {
		t.Fatalf("%d cases %v, %d passes", len(cases), n, run.Passes)
	}
	c := m["DotnetTests.XUnitTests.CalculatorTests.Exception_In_TargetTest"]
	if c == nil || c.ExceptionType != "System.DivideByZeroException" || c.Classname != "DotnetTests.XUnitTests.CalculatorTests" ||
		c.Duration != 0.0008377 || c.Start.IsZero() || !strings.Contains(c.Traceback, "Calculator.cs:line 9") || c.Component != "dotnettests.xunittests.dll" {
		t.Fatalf("%+v", c)
	}
	// A theory row with a display name gets the class in front.
	if r := m["DotnetTests.XUnitTests.CalculatorTests.Should be even number(i: 3)"]; r == nil || r.Status != tcase.Failed || r.Properties["trx"].(map[string]any)["method"] != "Theory_With_Custom_Name" {
		t.Errorf("theory row %+v", r)
	}
	if s := m["DotnetTests.XUnitTests.CalculatorTests.Skipped_Test"]; s.Status != tcase.Skipped || s.Stdout != "Skipped test" {
		t.Errorf("skipped %+v", s)
	}
	if run.Outcome != "Failed" || run.Start != "2021-04-20T08:31:31.9866971+02:00" {
		t.Errorf("run %+v", run)
	}
}

func TestOtherFixtures(t *testing.T) {
	for _, tc := range []struct {
		file                          string
		total, pass, fail, skip, errs int
		passes                        int
	}{
		{"dorny-dotnet-xunitv3.trx", 4, 1, 3, 0, 0, 2},
		{"silentnotes-mstest.trx", 79, 67, 0, 12, 0, 2},
		{"pickles-mstest.trx", 71, 41, 17, 13, 0, 1},
	} {
		cases, run := parseFile(t, tc.file)
		n, _ := parsertest.Tally(cases)
		if len(cases) != tc.total || n[tcase.Passed] != tc.pass || n[tcase.Failed] != tc.fail || n[tcase.Skipped] != tc.skip || n[tcase.Errored] != tc.errs || run.Passes != tc.passes {
			t.Errorf("%s: %d cases %v, %d passes", tc.file, len(cases), n, run.Passes)
		}
		for _, c := range cases {
			// xUnit.net v3's class cleanup failures have no class.
			if (c.Classname == "" && !strings.Contains(c.Name, "Cleanup Failure")) || c.TestID == "" {
				t.Errorf("%s: %+v has no class", tc.file, c)
			}
		}
	}
	cases, _ := parseFile(t, "pickles-mstest.trx")
	_, m := parsertest.Tally(cases)
	c := m["Pickles.TestHarness.MsTest.AdditionFeature.FailToAddTwoNumbers"]
	if c == nil || strings.Join(c.Tags, ",") != "tag1" || c.Properties["description"] != "Fail to add two numbers" ||
		c.Properties["properties"].(map[string]any)["FeatureTitle"] != "Addition" {
		t.Errorf("%+v", c)
	}
}

// Hand-written: data-driven rows, a result file, duration with days, and
// broken documents.
func TestEdgeCases(t *testing.T) {
	doc := `<TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010"><TestDefinitions><UnitTest id="u1" storage="/x/a.dll"><TestMethod className="N.C, a" name="M"/></UnitTest></TestDefinitions>
<Results><UnitTestResult testId="u1" testName="M" outcome="Failed" duration="1.01:00:00.5" resultType="DataDrivenTest"><InnerResults>
<UnitTestResult testId="u1" testName="M (Data Row 0)" outcome="Passed" duration="00:00:01"/>
<UnitTestResult testId="u1" testName="M (Data Row 1)" outcome="Timeout" duration="00:00:02"><ResultFiles><ResultFile path="out\shot.png"/></ResultFiles></UnitTestResult>
</InnerResults></UnitTestResult></Results></TestRun>`
	var cases []*tcase.Case
	run, err := Parse(parsertest.Bytes([]byte(doc)), Options{}, parsertest.Collect(&cases))
	if err != nil {
		t.Fatal(err)
	}
	if run.Passes != 1 || len(cases) != 2 || cases[0].TestID != "N.C.M (Data Row 0)" || cases[1].Status != tcase.Errored ||
		cases[1].Attachments[0].Name != "shot.png" || cases[1].Duration != 2 || cases[0].Component != "a.dll" {
		t.Errorf("%d passes; %+v", run.Passes, cases)
	}
	if d := duration("1.01:00:00.5"); d != 86400+3600+0.5 {
		t.Errorf("duration %v", d)
	}
	parsertest.BrokenCases(t, "TRX", map[string]string{
		"truncated":  `<TestRun><Results><UnitTestResult testName="x" outcome="Passed">`,
		"wrong root": `<assemblies/>`,
		"bad":        "<TestRun>\n</Results>",
	}, func(doc string) error {
		_, err := Parse(parsertest.Bytes([]byte(doc)), Options{}, parsertest.Discard)
		return err
	})
}

func FuzzParse(f *testing.F) {
	parsertest.Seed(f, 0, "dorny-dotnet-xunit.trx", "dorny-dotnet-xunitv3.trx")
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = Parse(parsertest.Bytes(b), Options{MaxText: 4096, MaxMarkup: 4096}, parsertest.Statused(t))
	})
}
