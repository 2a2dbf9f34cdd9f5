package tap

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/importer/ingest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/parsertest"
)

func TestTestMore(t *testing.T) {
	by, got := parsertest.ParseFile(t, "basic.tap", Detect, Parse).Outcomes()
	want := "addition works:passed division rounds:failed parses dates:xfailed strings/starts with h:passed strings/uppercase:passed talks to upstream:xpassed test 3:skipped two is less than one:failed"
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	d := by["division rounds"]
	if d.Message != "Failed test 'division rounds'" || !strings.Contains(d.Trace, "expected: '4'") || strings.Contains(by["two is less than one"].Trace, "Looks like") {
		t.Errorf("diagnostics: %q / %q", d.Message, d.Trace)
	}
	if by["test 3"].SkipReason != "no network here" || by["parses dates"].Metadata["todo"] != "not implemented yet" || by["strings/uppercase"].Suite[0] != "strings" {
		t.Errorf("skip/todo/suite %+v %+v %+v", by["test 3"], by["parses dates"].Metadata, by["strings/uppercase"].Suite)
	}
}

func TestProve(t *testing.T) {
	by, got := parsertest.ParseFile(t, "prove-v.tap", Detect, Parse).Outcomes()
	want := "t/basic.t: addition works"
	_ = want
	if !strings.Contains(got, "strings/uppercase:passed") || strings.Count(got, ":") != 10 || !strings.Contains(got, "first:passed") {
		t.Fatalf("got %s", got)
	}
	if k := by["first"]; k.File != "t/more.t" || k.Suite[0] != "t/more.t" {
		t.Errorf("file %+v", k)
	}
	if k := by["division rounds"]; k.File != "t/basic.t" || !strings.Contains(k.Trace, "got: '3.5'") {
		t.Errorf("basic %+v", k)
	}
}

func TestNode(t *testing.T) {
	c := parsertest.ParseFile(t, "node.tap", Detect, Parse)
	by, got := c.Outcomes()
	want := "adds numbers:passed async slow:passed divides:failed not written yet:xfailed skipped on this machine:skipped strings/nested/logs:passed strings/nested/throws a TypeError:failed strings/uppercases:passed"
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	d := by["divides"]
	if d.Message != "Expected values to be strictly equal:\n\n3.5 !== 4" || d.Exception != "AssertionError" || d.File != "/src/node-sample/math.test.mjs" || d.Line == nil || *d.Line != 8 ||
		fmt.Sprint(d.Duration) != "0.001104058" || !strings.Contains(d.Trace, "TestContext.<anonymous>") {
		t.Errorf("divides %+v", d)
	}
	tap := d.Metadata["tap"].(map[string]any)
	if tap["code"] != "ERR_ASSERTION" || tap["expected"] != float64(4) || tap["operator"] != "strictEqual" {
		t.Errorf("yaml metadata %v", tap)
	}
	if k := by["strings/nested/throws a TypeError"]; k.Exception != "TypeError" || k.Suite[1] != "nested" {
		t.Errorf("nested %+v", k)
	}
	if by["skipped on this machine"].SkipReason != "needs a GPU" {
		t.Error("skip reason")
	}
	if len(c.Runs) != 1 || c.Runs[0].Duration == nil || fmt.Sprintf("%.6f", *c.Runs[0].Duration) != "0.445674" {
		t.Errorf("run %+v", c.Runs)
	}
}

func TestEdgeCases(t *testing.T) {
	// Hand-written edge cases.
	for in, want := range map[string]string{
		"1..3\nok 1 - a\nnot ok 2 - b\n":                    "a:passed b:failed plan:error",
		"TAP version 14\nok - x \\# not a directive\n":      `x # not a directive:passed`,
		"ok 1 - a # TODO later\nnot ok 2 # skip why\n":      "a:xpassed test 2:skipped",
		"    ok 1 - inner\nnot ok 1 - outer\n":              "outer:failed subtest/inner:passed",
		"not ok 1 - y\n  ---\n  not: [valid\n  ...\nok 2\n": "test 2:passed y:failed",
		"1..0 # SKIP no tests here\n":                       "",
		"Bail out! database down\n":                         "",
	} {
		c := &parsertest.Sink{}
		if err := Parse(strings.NewReader(in), c, ingest.Options{}); err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		if _, got := c.Outcomes(); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
	parsertest.Broken(t, Parse, ingest.Options{}, map[string]string{
		"hello\n":                           "holds no TAP test point",
		"ok 1 - a\n  ---\n  a: 1\n":         "line 3 (byte offset 22): a YAML diagnostics block is not closed",
		strings.Repeat("    ", 70) + "ok\n": "nested deeper than 64",
	})
}

func TestDetect(t *testing.T) {
	parsertest.Detects(t, Detect, map[string]ingest.Match{
		"TAP version 13\n":               ingest.Sure,
		"# comment\n1..4\n":              ingest.Sure,
		"ok 1 - fine\n":                  ingest.Sure,
		"t/basic.t .. \n1..2\n":          ingest.Sure,
		"okay then\n":                    ingest.No,
		`{"Action":"run","Package":"p"}`: ingest.No,
		"<testsuites/>":                  ingest.No,
	})
}

func FuzzParse(f *testing.F) {
	parsertest.Seed(f, 4096, "basic.tap", "node.tap", "prove-v.tap")
	f.Fuzz(func(t *testing.T, data []byte) {
		parsertest.Fuzz(t, data, Parse, ingest.Options{MaxText: 512, MaxLine: 4096}, func(k *ingest.Case) bool {
			return len(k.Trace) <= 2*512+2*len(ingest.CutMarker)+1000
		})
	})
}
