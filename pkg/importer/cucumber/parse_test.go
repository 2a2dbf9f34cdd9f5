package cucumber

import (
	"io"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/importer/tcase"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/parsertest"
)

func parse(t *testing.T, b []byte) []*tcase.Case {
	t.Helper()
	var cases []*tcase.Case
	if _, err := Parse(parsertest.Bytes(b), Options{MaxText: 1 << 20}, parsertest.Collect(&cases)); err != nil {
		t.Fatal(err)
	}
	return cases
}

func TestCucumberJS(t *testing.T) {
	cases := parse(t, parsertest.ReadFile(t, "cucumber-js.json"))
	n, m := parsertest.Tally(cases)
	if len(cases) != 9 || n[tcase.Passed] != 4 || n[tcase.Failed] != 2 || n[tcase.Errored] != 1 || n[tcase.Skipped] != 2 {
		t.Fatalf("%d cases %v", len(cases), n)
	}
	f := m["Calculator › a wrong expectation fails"]
	if f == nil || f.Status != tcase.Failed || f.Message != "Then the result is 5: AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:" ||
		!strings.Contains(f.Traceback, "steps.js:19:10") || f.File != "features/calculator.feature" || f.Line != 13 ||
		strings.Join(f.Tags, ",") != "calc,team:core" || len(f.Attachments) != 1 || string(f.Attachments[0].Data) != "state at failure: result=4" {
		t.Fatalf("%+v", f)
	}
	if f.Duration <= 0 || f.Duration > 1 {
		t.Errorf("duration %v", f.Duration)
	}
	if p := m["Calculator › dividing is not written yet"]; p.Status != tcase.Skipped || p.SkipReason != "pending step: When I divide 6 by 3" {
		t.Errorf("pending %+v", p)
	}
	if u := m["Calculator › a step nobody defined"]; u.Status != tcase.Errored || u.Message != "undefined step: When I take the square root of 9" {
		t.Errorf("undefined %+v", u)
	}
	if o := m["Calculator › adding 4 and 5"]; o.Status != tcase.Failed || o.Properties["cucumber"].(map[string]any)["keyword"] != "Scenario Outline" {
		t.Errorf("outline row %+v", o)
	}
	r := m["Reports › a report with a table and a doc string"]
	if r.Status != tcase.Passed || strings.TrimSpace(r.Stdout) != "rows: 2" || len(r.Attachments) != 2 ||
		r.Attachments[0].ContentType != "application/json" || string(r.Attachments[0].Data) != `{"rows":2}` || r.Attachments[1].ContentType != "image/png" {
		t.Errorf("attachments %+v", r)
	}
	if s := m["Reports › a skipped scenario"]; s.Status != tcase.Skipped {
		t.Errorf("skipped %+v", s)
	}
}

// Hand-written: the header before the elements (Ruby/JVM order) is read in
// one pass; a Background element's steps count for the next scenario.
func TestHeaderFirstAndBackground(t *testing.T) {
	doc := `[{"uri":"f.feature","keyword":"Feature","name":"F","elements":[
{"type":"background","keyword":"Background","name":"","steps":[{"keyword":"Given ","name":"x","result":{"status":"failed","error_message":"boom","duration":1000000}}]},
{"type":"scenario","keyword":"Scenario","name":"S","line":3,"steps":[{"keyword":"Then ","name":"y","result":{"status":"skipped"}}]}]}]`
	passes := 0
	open := func() (tcase.ReadCloser, error) { passes++; return io.NopCloser(strings.NewReader(doc)), nil }
	var cases []*tcase.Case
	if _, err := Parse(open, Options{}, parsertest.Collect(&cases)); err != nil {
		t.Fatal(err)
	}
	if passes != 1 || len(cases) != 1 || cases[0].Status != tcase.Failed || cases[0].Message != "Given x: boom" || cases[0].Duration != 0.001 {
		t.Errorf("%d passes, %+v", passes, cases)
	}
}

func TestBroken(t *testing.T) {
	parsertest.BrokenCases(t, "Cucumber", map[string]string{
		"truncated": `[{"name":"F","elements":[{"name":"S","steps":[`,
		"not array": `{"a":1}`,
		"bad":       `[{"name":"F","elements":[}]`,
		"trailing":  `[] x`,
	}, func(doc string) error {
		_, err := Parse(parsertest.Bytes([]byte(doc)), Options{}, parsertest.Discard)
		return err
	})
}

func FuzzParse(f *testing.F) {
	parsertest.Seed(f, 0, "cucumber-js.json")
	f.Add([]byte(`[{"uri":"f","elements":[{"type":"background","steps":[]}]}]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = Parse(parsertest.Bytes(b), Options{MaxText: 4096, MaxValue: 1 << 16}, parsertest.Statused(t))
	})
}
