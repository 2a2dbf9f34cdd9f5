// Package parsertest is the scaffolding the import format parsers' tests
// share (pkg/importer/<format>): a sink and a handler that collect what a
// parser hands out, the fixture readers, the tally of cases by outcome and
// id, the table checks of detection and of broken input, and the body of
// the fuzz targets. Every format's test used to carry its own copy; with
// one copy a new format's test is its assertions alone, and every format is
// held to the same contract (a broken file is a typed error, a fuzzed one
// never hands out a case without an id or an outcome).
package parsertest

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/importer/ingest"
	"github.com/ibutsu-go/ibutsu/pkg/importer/tcase"
)

// Parse is an ingest parser (gotest.Parse, tap.Parse, ctrf.Parse).
type Parse func(r io.Reader, sink ingest.Sink, opt ingest.Options) error

// Detect is an ingest detector.
type Detect func(h *ingest.Head) ingest.Match

// Sink collects what a parser hands an ingest.Sink.
type Sink struct {
	Cases []*ingest.Case
	Runs  []ingest.Run
}

// Run implements ingest.Sink.
func (s *Sink) Run(r ingest.Run) error { s.Runs = append(s.Runs, r); return nil }

// Case implements ingest.Sink.
func (s *Sink) Case(c *ingest.Case) error { s.Cases = append(s.Cases, c); return nil }

// Outcomes returns the cases by TestID and their "id:outcome" pairs,
// sorted and joined by spaces (a whole report's outcomes in one string).
func (s *Sink) Outcomes() (map[string]*ingest.Case, string) {
	by := map[string]*ingest.Case{}
	var got []string
	for _, c := range s.Cases {
		got = append(got, c.TestID+":"+string(c.Outcome))
		by[c.TestID] = c
	}
	sort.Strings(got)
	return by, strings.Join(got, " ")
}

// ParseFile reads testdata/name, requires detect to be sure of it, and
// parses it with the default options.
func ParseFile(t *testing.T, name string, detect Detect, parse Parse) *Sink {
	t.Helper()
	b := ReadFile(t, name)
	if m := detect(&ingest.Head{Bytes: b}); m != ingest.Sure {
		t.Fatalf("detect %s: %v", name, m)
	}
	s := &Sink{}
	if err := parse(bytes.NewReader(b), s, ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	return s
}

// ReadFile returns testdata/name.
func ReadFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Detects checks detect on each head against its expected match.
func Detects(t *testing.T, detect Detect, want map[string]ingest.Match) {
	t.Helper()
	for in, w := range want {
		if got := detect(&ingest.Head{Bytes: []byte(in)[:min(len(in), ingest.HeadSize)]}); got != w {
			t.Errorf("Detect(%.40q) = %v, want %v", in, got, w)
		}
	}
}

// Broken parses each input, which must fail with an *ingest.Error whose
// text contains its value.
func Broken(t *testing.T, parse Parse, opt ingest.Options, want map[string]string) {
	t.Helper()
	for in, w := range want {
		err := parse(strings.NewReader(in), &Sink{}, opt)
		var ie *ingest.Error
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), w) {
			t.Errorf("%.60q: %v, want %q", in, err, w)
		}
	}
}

// Fuzz is a fuzz target's body: data parsed with opt either fails with an
// *ingest.Error or hands out cases that all have an id, a valid outcome
// and pass ok.
func Fuzz(t *testing.T, data []byte, parse Parse, opt ingest.Options, ok func(c *ingest.Case) bool) {
	s := &Sink{}
	if err := parse(bytes.NewReader(data), s, opt); err != nil {
		var ie *ingest.Error
		if !errors.As(err, &ie) {
			t.Fatalf("error is not *ingest.Error: %v", err)
		}
		return
	}
	for _, c := range s.Cases {
		if c.TestID == "" || !c.Outcome.Valid() || !ok(c) {
			t.Fatalf("bad case %+v", c)
		}
	}
}

// Seed adds the first limit bytes of each testdata file to f's corpus
// (all of it when limit is 0); a missing file is an error.
func Seed(f *testing.F, limit int, names ...string) {
	f.Helper()
	for _, n := range names {
		b := ReadFile(f, n)
		if limit > 0 {
			b = b[:min(len(b), limit)]
		}
		f.Add(b)
	}
}

// Open opens testdata/name until the test ends.
func Open(t testing.TB, name string) io.Reader {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

// Cases runs a tcase parser with a collecting handler, failing the test
// on its error, and returns the cases and what the parser returned.
func Cases[R any](t testing.TB, parse func(h tcase.Handler) (R, error)) ([]*tcase.Case, R) {
	t.Helper()
	var cases []*tcase.Case
	r, err := parse(Collect(&cases))
	if err != nil {
		t.Fatal(err)
	}
	return cases, r
}

// Discard is a tcase.Handler that drops every case.
func Discard(*tcase.Case) error { return nil }

// Collect returns a tcase.Handler that appends every case to *cases.
func Collect(cases *[]*tcase.Case) tcase.Handler {
	return func(c *tcase.Case) error { *cases = append(*cases, c); return nil }
}

// Tally counts cases by status and maps them by TestID.
func Tally(cases []*tcase.Case) (map[tcase.Status]int, map[string]*tcase.Case) {
	n, by := map[tcase.Status]int{}, map[string]*tcase.Case{}
	for _, c := range cases {
		n[c.Status]++
		by[c.TestID] = c
	}
	return n, by
}

// Bytes opens b, as often as asked.
func Bytes(b []byte) tcase.Opener {
	return func() (tcase.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
}

// File opens testdata/name, as often as asked.
func File(name string) tcase.Opener {
	return func() (tcase.ReadCloser, error) { return os.Open(filepath.Join("testdata", name)) }
}

// Statused is the handler of a tcase parser's fuzz target: every case it
// hands out has a status.
func Statused(t *testing.T) tcase.Handler {
	return func(c *tcase.Case) error {
		if c.Status == "" {
			t.Fatal("case without status")
		}
		return nil
	}
}

// BrokenCases parses each input with parse, which must fail with a *tcase.Error whose text names format.
func BrokenCases(t *testing.T, format string, inputs map[string]string, parse func(in string) error) {
	t.Helper()
	for name, in := range inputs {
		err := parse(in)
		var e *tcase.Error
		if !errors.As(err, &e) || !strings.Contains(err.Error(), format) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
