package junit

import (
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/parsertest"
)

func parseLimited(t *testing.T, doc string, opt Options) ([]*Case, error) {
	t.Helper()
	h := &collect{}
	_, err := ParseWith(strings.NewReader(doc), h, opt)
	return h.cases, err
}

// TestLimiterCutsLongTexts checks each place a long text can hide: plain
// text (with entities and multi-byte characters at the cut), CDATA and a
// comment inside the element; every cut keeps the head, ends with the
// marker and the document still parses.
func TestLimiterCutsLongTexts(t *testing.T) {
	const limit = 100
	opt := Options{MaxText: limit, MaxMarkup: 1000}
	long := strings.Repeat("abc&amp;é€", 60)
	for name, body := range map[string]string{
		"text":          long,
		"cdata":         "<![CDATA[" + strings.Repeat("x]]y", 100) + "]]>",
		"many runs":     strings.Repeat("<![CDATA[0123456789]]>", 50),
		"entity at end": strings.Repeat("a", limit-2) + "&amp;&lt;&gt;" + strings.Repeat("b", 200),
	} {
		t.Run(name, func(t *testing.T) {
			doc := `<testsuite name="s"><testcase classname="a.B" name="t"><system-out>` + body + `</system-out><system-err>ok</system-err></testcase></testsuite>`
			cases, err := parseLimited(t, doc, opt)
			if err != nil {
				t.Fatal(err)
			}
			c := cases[0]
			out := *c.SystemOut
			if len(out) > limit+MarkerLen+maxGrace || !strings.HasSuffix(out, textMarker) {
				t.Errorf("%d bytes: %q", len(out), out)
			}
			if len(c.Truncated) != 1 || c.Truncated[0] != "system-out" || *c.SystemErr != "ok" {
				t.Errorf("truncated %v, system-err %q", c.Truncated, *c.SystemErr)
			}
			if !utf8.ValidString(out) {
				t.Errorf("a character was split: %q", out)
			}
		})
	}
	// A long comment is cut too (encoding/xml would hold it), and as it
	// is no text, nothing is reported.
	cases, err := parseLimited(t, `<testsuite><testcase name="t"><system-out>before<!--`+strings.Repeat("-a", 500)+`-->after</system-out></testcase></testsuite>`, opt)
	if err != nil || *cases[0].SystemOut != "beforeafter" || len(cases[0].Truncated) != 0 {
		t.Fatalf("%v %q %v", err, *cases[0].SystemOut, cases[0].Truncated)
	}
	// Short texts are untouched.
	cases, err = parseLimited(t, `<testsuite><testcase name="t"><system-out>a &lt; b <![CDATA[<x>]]></system-out></testcase></testsuite>`, opt)
	if err != nil || *cases[0].SystemOut != "a < b <x>" || len(cases[0].Truncated) != 0 {
		t.Fatalf("%v %q %v", err, *cases[0].SystemOut, cases[0].Truncated)
	}
	// A quoted '>' does not end a tag; a tag over MaxMarkup is an error.
	cases, err = parseLimited(t, `<testsuite><testcase name="a>b" classname="x"/></testsuite>`, opt)
	if err != nil || cases[0].Name != "a>b" {
		t.Fatalf("%v %+v", err, cases)
	}
	_, err = parseLimited(t, `<testsuite><testcase name="`+strings.Repeat("n", 2000)+`"/></testsuite>`, opt)
	if err == nil || !strings.Contains(err.Error(), "longer than 1000 bytes") {
		t.Fatalf("long tag: %v", err)
	}
}

// hugeOutput streams a report whose one case holds n bytes of
// <system-out>, without holding it.
func hugeOutput(n int64) io.Reader {
	return io.MultiReader(strings.NewReader(`<testsuite name="s"><testcase classname="a.B" name="t"><system-out>`),
		io.LimitReader(repeatReader('x'), n), strings.NewReader(`</system-out></testcase></testsuite>`))
}

type repeatReader byte

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// TestHugeOutputIsReadInBoundedMemory parses a case with 300 MB of
// captured output: with limits, far less than the output is allocated
// (encoding/xml alone would hold all of it, several times over while its
// buffer grows).
func TestHugeOutputIsReadInBoundedMemory(t *testing.T) {
	const size = 300 << 20
	h := &collect{}
	var err error
	alloc := parsertest.Allocated(func() { _, err = ParseWith(hugeOutput(size), h, Options{MaxText: 5 << 20, MaxMarkup: 1 << 20}) })
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d MiB allocated for %d MiB of output", alloc>>20, size>>20)
	if alloc > 64<<20 {
		t.Errorf("%d MiB allocated for a %d MiB <system-out> capped at 5 MiB", alloc>>20, size>>20)
	}
	if out := *h.cases[0].SystemOut; len(out) > 5<<20+MarkerLen || !strings.HasSuffix(out, textMarker) {
		t.Errorf("system-out: %d bytes", len(out))
	}
}
