package xunit

import (
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/importer/tcase"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/parsertest"
)

func parseFile(t *testing.T, name string) []*tcase.Case {
	cases, _ := parsertest.Cases(t, func(h tcase.Handler) (*Run, error) {
		return Parse(parsertest.Open(t, name), Options{MaxText: 1 << 20, MaxMarkup: 1 << 20}, h)
	})
	return cases
}

func TestPickles(t *testing.T) {
	cases := parseFile(t, "pickles-xunit2.xml")
	got, m := parsertest.Tally(cases)
	// The assembly says total=71 passed=40 failed=30 skipped=1.
	if len(cases) != 71 || got[tcase.Passed] != 40 || got[tcase.Failed] != 30 || got[tcase.Skipped] != 1 {
		t.Fatalf("%d cases, %v", len(cases), got)
	}
	c := m["Pickles.TestHarness.xunit2.NotAutomatedAtAllFeature.NotAutomatedScenario2"]
	if c == nil || c.ExceptionType != "TechTalk.SpecFlow.SpecFlowException" || c.Classname != "Pickles.TestHarness.xunit2.NotAutomatedAtAllFeature" ||
		c.Duration != 0.0076627 || !strings.Contains(c.Traceback, "NotAutomatedAtAll.feature:line 14") || c.Component != "xunit2Harness.DLL" {
		t.Fatalf("case %+v", c)
	}
	tr := c.Properties["traits"].(map[string]any)
	if tr["FeatureTitle"] != "Not Automated At All" || tr["Description"] != "Not automated scenario 2" {
		t.Errorf("traits %v", tr)
	}
	x := c.Properties["xunit"].(map[string]any)
	if x["test-framework"] != "xUnit.net 2.1.0.3179" || x["collection"] != "Test collection for Pickles.TestHarness.xunit2.NotAutomatedAtAllFeature" || x["method"] != "NotAutomatedScenario2" {
		t.Errorf("xunit metadata %v", x)
	}
	for _, c := range cases {
		if c.Status == tcase.Skipped && c.SkipReason == "" {
			t.Errorf("%s: skipped without reason", c.TestID)
		}
	}
}

func TestMissingTraits(t *testing.T) {
	cases := parseFile(t, "pickles-xunit2-missing-traits.xml")
	if len(cases) != 1 || cases[0].Properties["traits"] != nil {
		t.Fatalf("%+v", cases)
	}
}

// Hand-written edge cases: an assembly-level cleanup failure, a v2 file
// with a single <assembly> root, and broken documents.
func TestAssemblyErrors(t *testing.T) {
	doc := `<assembly name="/x/A.dll" run-date="2024-01-02" run-time="03:04:05"><errors><error type="class-cleanup" name="A.B"><failure exception-type="System.Exception"><message>boom</message><stack-trace>at A.B.Dispose()</stack-trace></failure></error></errors>
<collection name="c"><test name="A.B.T(x: 1)" type="A.B" method="T" time="0.5" result="Skip"><reason><![CDATA[later]]></reason></test></collection></assembly>`
	var cases []*tcase.Case
	run, err := Parse(strings.NewReader(doc), Options{}, parsertest.Collect(&cases))
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 2 || cases[0].Status != tcase.Errored || cases[0].TestID != "[class-cleanup] A.B" || cases[0].Traceback != "boom\nat A.B.Dispose()" ||
		cases[1].SkipReason != "later" || cases[1].Duration != 0.5 || run.Timestamp != "2024-01-02 03:04:05" {
		t.Errorf("%+v %+v %+v", cases[0], cases[1], run)
	}
	parsertest.BrokenCases(t, "xUnit.net", map[string]string{
		"truncated":  `<assemblies><assembly><collection><test name="x" result="Pass">`,
		"wrong root": `<test-run/>`,
		"bad":        "<assemblies>\n</assembly>",
	}, func(doc string) error {
		_, err := Parse(strings.NewReader(doc), Options{}, parsertest.Discard)
		return err
	})
}

func FuzzParse(f *testing.F) {
	parsertest.Seed(f, 0, "pickles-xunit2.xml", "pickles-xunit2-missing-traits.xml")
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = Parse(strings.NewReader(string(b)), Options{MaxText: 4096, MaxMarkup: 4096}, parsertest.Statused(t))
	})
}
