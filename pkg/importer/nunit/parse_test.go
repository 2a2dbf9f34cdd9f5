package nunit

import (
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/importer/tcase"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/parsertest"
)

func parseFile(t *testing.T, name string) ([]*tcase.Case, *Run) {
	return parsertest.Cases(t, func(h tcase.Handler) (*Run, error) {
		return Parse(parsertest.Open(t, name), Options{MaxText: 1 << 20, MaxMarkup: 1 << 20}, h)
	})
}

func TestMockAssembly(t *testing.T) {
	cases, run := parseFile(t, "nunit-mock-result.xml")
	if len(cases) != 45 || run.Cases != 45 {
		t.Fatalf("%d cases, want 45 (the file's total)", len(cases))
	}
	got, m := parsertest.Tally(cases)
	// The file says passed=30 failed=7 inconclusive=1 skipped=7; failures
	// labelled Error/Invalid and the OneTimeSetUp failure are errors here.
	if got[tcase.Passed] != 30 || got[tcase.Failed]+got[tcase.Errored] != 7 || got[tcase.Skipped] != 8 {
		t.Errorf("outcomes %v", got)
	}
	f := m["NUnit.Tests.Assemblies.MockTestFixture.FailingTest"]
	if f == nil || f.Status != tcase.Failed || f.Message != "Intentional failure" || !strings.Contains(f.Traceback, "MockAssembly.cs:line 148") ||
		f.Classname != "NUnit.Tests.Assemblies.MockTestFixture" || f.Duration != 0.161650 || f.Component != "mock-nunit-assembly.exe" {
		t.Errorf("FailingTest = %+v", f)
	}
	if got := strings.Join(f.Suite, "/"); got != "mock-nunit-assembly.exe/NUnit/Tests/Assemblies/MockTestFixture" {
		t.Errorf("suite path %q", got)
	}
	e := m["NUnit.Tests.Assemblies.MockTestFixture.TestWithException"]
	if e.Status != tcase.Errored || e.ExceptionType != "System.Exception" {
		t.Errorf("TestWithException = %+v", e)
	}
	ign := m["NUnit.Tests.Assemblies.MockTestFixture.MockTest4"]
	if ign.Status != tcase.Skipped || ign.SkipReason != "ignoring this test method for now" {
		t.Errorf("MockTest4 = %+v", ign)
	}
	// Fixture categories are inherited; repeated ones are kept once.
	mt3 := m["NUnit.Tests.Assemblies.MockTestFixture.MockTest3"]
	if strings.Join(mt3.Tags, ",") != "FixtureCategory,AnotherCategory,MockCategory" {
		t.Errorf("MockTest3 tags %v", mt3.Tags)
	}
	props := m["NUnit.Tests.Assemblies.MockTestFixture.TestWithManyProperties"].Properties["properties"].(map[string]any)
	if props["Size"] != "5" || props["TargetMethod"] != "SomeClassName" {
		t.Errorf("properties %v", props)
	}
	cd := m["NUnit.Tests.CDataTestFixure.DemonstrateIllegalSequenceInFailureMessage"]
	if cd.Message != "Deliberate failure to illustrate ]]> in message " {
		t.Errorf("CDATA message %q", cd.Message)
	}
	setup := m["NUnit.Tests.BadFixture.SomeTest"]
	if setup.Status != tcase.Errored || !setup.Start.IsZero() {
		t.Errorf("BadFixture.SomeTest = %+v", setup)
	}
	if run.StartTime != "2015-10-19 02:12:28Z" {
		t.Errorf("run start %q", run.StartTime)
	}
}

func TestDotnetNUnit(t *testing.T) {
	cases, _ := parseFile(t, "dorny-dotnet-nunit.xml")
	if len(cases) != 9 {
		t.Fatalf("%d cases, want 9", len(cases))
	}
	got, m := parsertest.Tally(cases)
	if got[tcase.Passed] != 3 || got[tcase.Failed]+got[tcase.Errored] != 5 || got[tcase.Skipped] != 1 {
		t.Errorf("outcomes %v", got)
	}
	if to := m["DotnetTests.XUnitTests.CalculatorTests.Timeout_Test"]; to.Message != "Test exceeded Timeout value 1ms." {
		t.Errorf("timeout message %q", to.Message)
	}
	for _, c := range cases {
		if c.Start.IsZero() || c.TestID == "" || c.Classname == "" {
			t.Errorf("case %+v lacks start, id or class", c)
		}
		if (c.Status == tcase.Failed || c.Status == tcase.Errored) && c.Traceback == "" && c.Message == "" {
			t.Errorf("%s: failure without traceback", c.TestID)
		}
	}
}

// Hand-written edge cases.
func TestBroken(t *testing.T) {
	parsertest.BrokenCases(t, "NUnit", map[string]string{
		"truncated":  `<test-run><test-suite name="a"><test-case name="x" result="Passed">`,
		"wrong root": `<testsuites/>`,
		"bad xml":    "<test-run>\n<test-case name=\"x\" result=\"Passed\"></test-suite></test-run>",
		"empty":      ``,
	}, func(doc string) error {
		_, err := Parse(strings.NewReader(doc), Options{}, parsertest.Discard)
		return err
	})
	_, err := Parse(strings.NewReader("<test-run>\n<test-case name=\"x\" result=\"Passed\"></test-suite></test-run>"), Options{}, parsertest.Discard)
	if !strings.Contains(err.Error(), "line 2") {
		t.Errorf("no line: %v", err)
	}
}

// Hand-written: a huge <output> is cut at the text bound.
func TestLongOutputIsCut(t *testing.T) {
	doc := `<test-run><test-case name="x" result="Passed"><output>` + strings.Repeat("a", 100000) + `</output></test-case></test-run>`
	var c *tcase.Case
	if _, err := Parse(strings.NewReader(doc), Options{MaxText: 1000}, func(x *tcase.Case) error { c = x; return nil }); err != nil {
		t.Fatal(err)
	}
	if len(c.Stdout) > 1200 {
		t.Errorf("output kept %d bytes", len(c.Stdout))
	}
}

func FuzzParse(f *testing.F) {
	parsertest.Seed(f, 0, "nunit-mock-result.xml", "dorny-dotnet-nunit.xml")
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = Parse(strings.NewReader(string(b)), Options{MaxText: 4096, MaxMarkup: 4096}, parsertest.Statused(t))
	})
}
