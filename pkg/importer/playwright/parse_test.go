package playwright

import (
	"os"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/importer/tcase"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/parsertest"
)

func TestPlaywrightReport(t *testing.T) {
	f, err := os.Open("testdata/playwright-json.json")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	var cases []*tcase.Case
	run, err := Parse(f, Options{MaxText: 1 << 20}, parsertest.Collect(&cases))
	if err != nil {
		t.Fatal(err)
	}
	n, m := parsertest.Tally(cases)
	if run.Cases != 11 || len(m) != 11 || n[tcase.Passed] != 4 || n[tcase.Failed] != 3 || n[tcase.Skipped] != 2 || n[tcase.XFailed] != 1 || n[tcase.XPassed] != 1 {
		t.Fatalf("%d cases %v", run.Cases, n)
	}
	if run.StartTime == "" || run.Duration <= 0 || run.Metadata["build"] != "1234" {
		t.Errorf("run %+v", run)
	}
	fl := m["[unit] › math.spec.js › math › flaky passes on retry"]
	pm := fl.Properties["playwright"].(map[string]any)
	if fl.Status != tcase.Passed || fl.Properties["flaky"] != true || pm["retries"] != 1 || len(pm["attempts"].([]any)) != 2 ||
		pm["attempts"].([]any)[0].(map[string]any)["status"] != "failed" {
		t.Errorf("flaky %+v", fl)
	}
	var names []string
	for _, a := range fl.Attachments {
		names = append(names, a.Name+"="+string(a.Data))
	}
	if strings.Join(names, ",") != "retry0-attempt=retry 0,retry0-error-context=,attempt=retry 1" {
		t.Errorf("attachments %v", names)
	}
	w := m["[unit] › math.spec.js › math › a wrong expectation fails"]
	if w.Status != tcase.Failed || w.Message != "Error: expect(received).toBe(expected) // Object.is equality" || strings.Contains(w.Traceback, "\x1b") ||
		w.File != "math.spec.js" || w.Line != 11 || strings.Join(w.Tags, ",") != "smoke" || !strings.Contains(w.Stdout, "computing 2 + 2") {
		t.Errorf("failure %+v", w)
	}
	if e := m["[api] › api.spec.js › throws an error"]; e.ExceptionType != "TypeError" || !strings.Contains(e.Stderr, "about to throw") {
		t.Errorf("error %+v", e)
	}
	if s := m["[unit] › math.spec.js › math › skipped with a reason"]; s.SkipReason != "skip: not on this platform" {
		t.Errorf("skip %+v", s)
	}
	if x := m["[unit] › math.spec.js › math › known bug fails as expected"]; x.Status != tcase.XFailed || x.Message == "" {
		t.Errorf("xfail %+v", x)
	}
	if x := m["[unit] › math.spec.js › math › known bug passes unexpectedly"]; x.Status != tcase.XPassed {
		t.Errorf("xpass %+v", x)
	}
	if to := m["[api] › api.spec.js › times out"]; to.Status != tcase.Failed || to.Message != "Test timeout of 200ms exceeded." || to.Duration < 0.2 {
		t.Errorf("timeout %+v", to)
	}
}

// Hand-written: broken documents and a long inline attachment.
func TestBrokenAndBounded(t *testing.T) {
	parsertest.BrokenCases(t, "Playwright", map[string]string{
		"truncated": `{"config":{},"suites":[{"title":"a","specs":[`,
		"bad":       `{"suites":[}`,
		"trailing":  `{"suites":[]} {}`,
		"array":     `[]`,
		"suite 1":   `{"suites":[1]}`,
		"specs {}":  `{"suites":[{"specs":{}}]}`,
	}, func(doc string) error {
		_, err := Parse(strings.NewReader(doc), Options{}, parsertest.Discard)
		return err
	})
	doc := `{"suites":[{"title":"f.spec.ts","specs":[{"title":"t","tests":[{"projectName":"","expectedStatus":"passed","status":"expected","results":[{"status":"passed","attachments":[{"name":"big","contentType":"image/png","body":"` + strings.Repeat("QUFB", 10000) + `"}]}]}]}]}]}`
	var c *tcase.Case
	if _, err := Parse(strings.NewReader(doc), Options{MaxText: 1000}, func(x *tcase.Case) error { c = x; return nil }); err != nil {
		t.Fatal(err)
	}
	if c.TestID != "f.spec.ts › t" || len(c.Attachments) != 1 || !c.Attachments[0].Truncated || c.Attachments[0].Data != nil {
		t.Errorf("%+v", c)
	}
}

func FuzzParse(f *testing.F) {
	parsertest.Seed(f, 0, "playwright-json.json")
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = Parse(strings.NewReader(string(b)), Options{MaxText: 4096, MaxValue: 1 << 16}, parsertest.Statused(t))
	})
}
