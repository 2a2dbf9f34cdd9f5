package gotest

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/importer/ingest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/parsertest"
)

func TestParseSample(t *testing.T) {
	c := parsertest.ParseFile(t, "sample.json", Detect, Parse)
	var got []string
	by := map[string]*ingest.Case{}
	for _, k := range c.Cases {
		got = append(got, fmt.Sprintf("%s %s:%s", k.Component[strings.LastIndexByte(k.Component, '/')+1:], k.TestID, k.Outcome))
		by[k.TestID] = k
	}
	sort.Strings(got)
	want := []string{
		"broken example.com/sample/broken:error",
		"calc TestAdd:passed", "calc TestDivide:failed", "calc TestSkipped:skipped", "calc TestSlow:passed",
		"calc TestTable/negative:failed", "calc TestTable/small:passed", "calc TestTable/zero:skipped", "calc TestTable:failed",
		"strs TestNested/outer/inner_fails:failed", "strs TestNested/outer/inner_ok:passed", "strs TestNested/outer:failed",
		"strs TestNested:failed", "strs TestPanics:failed", "strs TestUpper:error",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("cases\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	checks := []struct {
		id, field, want string
	}{
		{"TestDivide", "message", "calc_test.go:18: 7/2 = 3, want 4"},
		{"TestSkipped", "skip", "needs a database"},
		{"TestTable/zero", "skip", "zero is boring"},
		{"TestTable/negative", "parent", "TestTable"},
		{"TestPanics", "message", "panic: assignment to entry in nil map [recovered, repanicked]"},
		{"TestPanics", "exception", "panic"},
		{"TestUpper", "message", "the test did not finish: its package's test binary exited"},
		{"example.com/sample/broken", "message", "the package's tests did not build: broken/broken_test.go:6:14: cannot use \"not an int\" (untyped string constant) as int value in variable declaration"},
		{"TestAdd", "output", "    calc_test.go:9: adding 1 and 2\n"},
		{"TestNested/outer/inner_fails", "trace", "printed to stdout\n    strs_test.go:21: inner failure"},
	}
	for _, ch := range checks {
		k := by[ch.id]
		var v string
		switch ch.field {
		case "message":
			v = k.Message
		case "skip":
			v = k.SkipReason
		case "parent":
			v, _ = k.Metadata["parent"].(string)
		case "exception":
			v = k.Exception
		case "output":
			v = k.Output
		case "trace":
			v = k.Trace
		}
		if v != ch.want {
			t.Errorf("%s %s = %q, want %q", ch.id, ch.field, v, ch.want)
		}
	}
	if by["TestSlow"].Duration != 0.12 || by["TestSlow"].Start == nil {
		t.Errorf("TestSlow duration %v start %v", by["TestSlow"].Duration, by["TestSlow"].Start)
	}
	if by["TestTable"].Metadata["subtests"] != 3 {
		t.Errorf("TestTable subtests %v", by["TestTable"].Metadata)
	}
	if len(c.Runs) != 1 || c.Runs[0].Start == nil || c.Runs[0].Duration == nil || *c.Runs[0].Duration <= 0 {
		t.Errorf("run %+v", c.Runs)
	}
}

func TestDetect(t *testing.T) {
	parsertest.Detects(t, Detect, map[string]ingest.Match{
		`{"Time":"2024-01-01T00:00:00Z","Action":"start","Package":"p"}` + "\n":                                  ingest.Sure,
		"\n\n" + `{"Action":"run","Package":"p","Test":"T"}`:                                                     ingest.Sure,
		`{"Time":"2024-01-01T00:00:00Z","Action":"output","Package":"p","Output":"` + strings.Repeat("x", 70000): ingest.Sure,
		`{"results":{"tool":{}}}`: ingest.No,
		"TAP version 13\nok 1\n":  ingest.No,
		"ok  \tp\t0.1s\n":         ingest.No,
	})
}

func TestBroken(t *testing.T) {
	parsertest.Broken(t, Parse, ingest.Options{}, map[string]string{
		`{"Action":"run","Package":"p","Test":"T"}` + "\n" + `{"Action":"pa`: "invalid go test -json output at line 2 (byte offset 42): not a JSON event",
		`{"Action":"run","Test":"T"}`:                                        `line 1 (byte offset 0): a "run" event without Package`,
		"hello\n":                                                            "holds no test2json event",
		`{"Package":"p"}`:                                                    "an event without Action",
	})
	long := `{"Action":"output","Package":"p","Test":"T","Output":"` + strings.Repeat("x", 100) + `"}`
	parsertest.Broken(t, Parse, ingest.Options{MaxLine: 50}, map[string]string{long: "longer than 50 bytes"})
}

func TestOutputIsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"Action":"run","Package":"p","Test":"T"}` + "\n")
	for range 100 {
		b.WriteString(`{"Action":"output","Package":"p","Test":"T","Output":"` + strings.Repeat("y", 99) + `\n"}` + "\n")
	}
	b.WriteString(`{"Action":"pass","Package":"p","Test":"T","Elapsed":1.5}` + "\n")
	c := &parsertest.Sink{}
	if err := Parse(strings.NewReader(b.String()), c, ingest.Options{MaxText: 1000}); err != nil {
		t.Fatal(err)
	}
	k := c.Cases[0]
	if !k.Truncated || len(k.Output) > 1000+len(ingest.CutMarker) || !strings.HasSuffix(k.Output, ingest.CutMarker) || k.Duration != 1.5 {
		t.Errorf("truncated %v, %d bytes", k.Truncated, len(k.Output))
	}
}

func FuzzParse(f *testing.F) {
	parsertest.Seed(f, 4096, "sample.json")
	f.Add([]byte(`{"Action":"run","Package":"p","Test":"T/x"}` + "\n" + `{"Action":"fail","Package":"p"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		parsertest.Fuzz(t, data, Parse, ingest.Options{MaxText: 512, MaxLine: 4096}, func(k *ingest.Case) bool {
			return len(k.Output) <= 512+len(ingest.CutMarker)
		})
	})
}
