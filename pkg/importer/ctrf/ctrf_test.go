package ctrf

import (
	"io"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/importer/ingest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/parsertest"
)

func TestMocha(t *testing.T) {
	c := parsertest.ParseFile(t, "mocha-ctrf.json", Detect, Parse)
	by, got := c.Outcomes()
	if want := "math adds numbers:passed math divides:failed math is pending:skipped math needs a GPU:skipped math slow things throws a TypeError:failed math slow things waits:passed"; got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	d := by["math divides"]
	if !strings.HasPrefix(d.Message, "AssertionError Expected values") || !strings.Contains(d.Trace, "test/math.test.js:8:12") || d.Start == nil || d.File != "/src/ctrf-sample/test/math.test.js" {
		t.Errorf("divides %+v", d)
	}
	if by["math slow things waits"].Duration != 0.061 || by["math needs a GPU"].SkipReason != "pending" {
		t.Errorf("waits %v skip %q", by["math slow things waits"].Duration, by["math needs a GPU"].SkipReason)
	}
	if by["math slow things throws a TypeError"].Exception != "TypeError" {
		t.Errorf("exception %q", by["math slow things throws a TypeError"].Exception)
	}
	var tool any
	var start, dur bool
	for _, r := range c.Runs {
		if r.Metadata["tool"] != nil {
			tool = r.Metadata["tool"]
		}
		start = start || r.Start != nil
		dur = dur || (r.Duration != nil && *r.Duration > 0)
	}
	if tool != "mocha" || !start || !dur {
		t.Errorf("runs %+v", c.Runs)
	}
}

func TestJest(t *testing.T) {
	c := parsertest.ParseFile(t, "jest-ctrf.json", Detect, Parse)
	by, got := c.Outcomes()
	if want := "calc adds:passed calc divides:failed calc handles overflow:skipped calc logs to the console:passed calc nested throws:failed calc skipped on CI:skipped"; got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	if k := by["calc nested throws"]; strings.Join(k.Suite, "|") != "calc.test.js|calc|nested" || k.Exception != "TypeError" || k.Message != "TypeError: bad input" {
		t.Errorf("nested %+v", k)
	}
	if k := by["calc handles overflow"]; k.SkipReason != "other (todo)" || k.Metadata["raw_status"] != "todo" || k.Metadata["type"] != "unit" {
		t.Errorf("todo %+v", k)
	}
	last := c.Runs[len(c.Runs)-1]
	if last.Component != "calc" || last.Metadata["environment"].(map[string]any)["buildNumber"] != "42" {
		t.Errorf("environment %+v", last)
	}
}

func TestEdgeCases(t *testing.T) {
	by, got := parsertest.ParseFile(t, "edge-cases.json", Detect, Parse).Outcomes()
	if want := "test_broken:error test_retried:passed test_xfail:xfailed test_xpass:xpassed"; got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	k := by["test_retried"]
	if k.Metadata["retries"] != 2 || k.Metadata["flaky"] != true || k.Line == nil || *k.Line != 42 || k.Output != "first line\nsecond line" ||
		k.OutputName != "stdout.log" || len(k.Attachments) != 2 || strings.Join(k.Suite, "/") != "billing/invoices" || k.Duration != 1.5 {
		t.Fatalf("retried %+v", k)
	}
	shot, _ := io.ReadAll(k.Attachments[1].Body)
	if string(shot) != "hello screenshot" || k.Attachments[0].Text != "a warning" {
		t.Errorf("attachments %q %q", shot, k.Attachments[0].Text)
	}
	if b := by["test_broken"]; b.Exception != "KeyError" || !strings.HasPrefix(b.Trace, "Traceback") {
		t.Errorf("broken %+v", b)
	}
}

func TestBroken(t *testing.T) {
	parsertest.Broken(t, Parse, ingest.Options{}, map[string]string{
		`{"results": {"tool": {"name": "x"}, "tests": [{"name": "a", "status": "passed"}, {"name": "b", "stat`: "invalid CTRF JSON at byte offset",
		`{"results": {"tests": [{"name": "a", "status": "exploded"}]}}`:                                        `tests[0]: status "exploded" is not one of`,
		`{"results": {"tests": [{"status": "passed"}]}}`:                                                       "tests[0]: a test without a name",
		`{"results": {"tests": {}}}`:                                                                           "results.tests must be an array",
		`{"reportFormat": "CTRF"}`:                                                                             "the report has no results object",
		`{"results": {"tests": [{"name": "a", "status": "passed", "duration": "slow"}]}}`:                      "wrong type",
		`[]`:              "the report must be a JSON object",
		`{"results": []}`: "results must be an object",
	})
	big := `{"results": {"tests": [{"name": "a", "status": "passed", "message": "` + strings.Repeat("x", 5000) + `"}]}}`
	parsertest.Broken(t, Parse, ingest.Options{MaxLine: 1000}, map[string]string{big: "larger than 1000 bytes"})
}

func TestDetect(t *testing.T) {
	parsertest.Detects(t, Detect, map[string]ingest.Match{
		`{"reportFormat":"CTRF","results":{}}`:  ingest.Sure,
		`{"results":{"tool":{"name":"jest"}}}`:  ingest.Sure,
		`{"results":[]}`:                        ingest.No,
		`{"config":{},"suites":[]}`:             ingest.No,
		`{"Action":"run","Package":"p"}`:        ingest.No,
		`[{"keyword":"Feature","elements":[]}]`: ingest.No,
	})
}

func FuzzParse(f *testing.F) {
	parsertest.Seed(f, 0, "edge-cases.json", "mocha-ctrf.json")
	f.Add([]byte(`{"results":{"tests":[{"name":"a","status":"passed"}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		parsertest.Fuzz(t, data, Parse, ingest.Options{MaxText: 512, MaxLine: 8192}, func(k *ingest.Case) bool {
			return len(k.Output) <= 512+len(ingest.CutMarker)
		})
	})
}
