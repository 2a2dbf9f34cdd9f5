// Package gotest reads the output of `go test -json` (test2json events, one
// JSON object per line) as a stream. Every test that ends (pass, fail,
// skip) is a case, subtests included, named by their full path
// (`TestTable/negative`); the package is the case's component and
// metadata.package. A test still running when its package ends (the test
// binary crashed or timed out) is an `error`; a package that failed
// without a failing test (a build failure, a failing TestMain) is one
// `error` case named after the package, its output the reason.
package gotest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/importer/ingest"
)

// Name is the format's name in errors.
const Name = "go test -json output"

// event is one test2json line.
type event struct {
	Time        *time.Time `json:"Time"`
	Action      string     `json:"Action"`
	Package     string     `json:"Package"`
	ImportPath  string     `json:"ImportPath"`
	Test        string     `json:"Test"`
	Elapsed     *float64   `json:"Elapsed"`
	Output      *string    `json:"Output"`
	FailedBuild string     `json:"FailedBuild"`
}

var actions = map[string]bool{"start": true, "run": true, "pause": true, "cont": true, "output": true,
	"pass": true, "fail": true, "skip": true, "bench": true, "build-output": true, "build-fail": true}

// Detect recognises test2json output: its first non-empty line is an event.
func Detect(h *ingest.Head) ingest.Match {
	for _, l := range h.Lines(8) {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if !strings.HasPrefix(l, "{") {
			return ingest.No
		}
		var e event
		if err := json.Unmarshal([]byte(l), &e); err == nil {
			if actions[e.Action] && (e.Package != "" || e.ImportPath != "") {
				return ingest.Sure
			}
			return ingest.No
		}
		// A first line longer than the head: its start must look like one.
		if (strings.HasPrefix(l, `{"Time":"`) || strings.HasPrefix(l, `{"ImportPath":"`)) && strings.Contains(l, `"Action":"`) {
			return ingest.Sure
		}
		return ingest.No
	}
	return ingest.No
}

// maxOpen bounds the tests running at once (t.Parallel, subtests).
const maxOpen = 100000

// bufferBudget bounds the output held for all running tests together;
// beyond it further output of a test is dropped and the case marked
// truncated.
const bufferBudget = 32 << 20

type test struct {
	start    *time.Time
	out      strings.Builder
	cut      bool
	children int
}

type key struct{ pkg, test string }

type parser struct {
	sink   ingest.Sink
	opt    ingest.Options
	open   map[key]*test
	pkgs   map[string]*pkgState
	builds map[string]*test // build output by import path
	held   int
	first  *time.Time
	last   *time.Time
	line   int
	off    int64
}

type pkgState struct {
	out    test
	failed int // failed tests seen
}

// Parse reads r and hands every finished test to sink.
func Parse(r io.Reader, sink ingest.Sink, opt ingest.Options) error {
	p := &parser{sink: sink, opt: opt, open: map[key]*test{}, pkgs: map[string]*pkgState{}, builds: map[string]*test{}}
	br := bufio.NewReaderSize(r, 64<<10)
	sawEvent := false
	for {
		line, err := ingest.ReadLine(br, opt.LineCap())
		if len(line) > 0 || err == nil {
			p.line++
		}
		if errors.Is(err, ingest.ErrLineTooLong) {
			return ingest.Errorf(Name, p.line, p.off, "a line is longer than %d bytes", opt.LineCap())
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		start := p.off
		p.off += int64(len(line))
		t := bytes.TrimSpace(line)
		if len(t) > 0 && t[0] == '{' {
			var e event
			if jerr := json.Unmarshal(t, &e); jerr != nil {
				return ingest.Errorf(Name, p.line, start, "not a JSON event: %v", jerr)
			}
			if e.Action == "" {
				return ingest.Errorf(Name, p.line, start, "an event without Action")
			}
			sawEvent = true
			if herr := p.event(&e); herr != nil {
				var ie *ingest.Error
				if errors.As(herr, &ie) && ie.Line == 0 {
					ie.Line, ie.Offset = p.line, start
				}
				return herr
			}
		}
		if err != nil { // io.EOF
			break
		}
	}
	if !sawEvent {
		return ingest.Errorf(Name, 0, -1, "the file holds no test2json event")
	}
	// Tests of packages that never ended (the output was cut off).
	for k := range p.open {
		if err := p.unfinished(k, "the output ends before the test finished"); err != nil {
			return err
		}
	}
	info := ingest.Run{Start: p.first}
	if p.first != nil && p.last != nil {
		d := p.last.Sub(*p.first).Seconds()
		info.Duration = &d
	}
	return p.sink.Run(info)
}

func (p *parser) event(e *event) error {
	if e.Time != nil {
		if p.first == nil || e.Time.Before(*p.first) {
			t := *e.Time
			p.first = &t
		}
		if p.last == nil || e.Time.After(*p.last) {
			t := *e.Time
			p.last = &t
		}
	}
	if !actions[e.Action] {
		return nil // a newer Go's action: ignore it
	}
	switch e.Action {
	case "build-output":
		b := p.builds[buildKey(e.ImportPath)]
		if b == nil {
			if len(p.builds) >= maxOpen {
				return ingest.Errorf(Name, 0, -1, "more than %d packages built", maxOpen)
			}
			b = &test{}
			p.builds[buildKey(e.ImportPath)] = b
		}
		if e.Output != nil {
			p.hold(b, *e.Output)
		}
		return nil
	case "build-fail", "start", "pause", "cont":
		return nil
	}
	if e.Package == "" {
		return ingest.Errorf(Name, 0, -1, "a %q event without Package", e.Action)
	}
	ps := p.pkgs[e.Package]
	if ps == nil {
		if len(p.pkgs) >= maxOpen {
			return ingest.Errorf(Name, 0, -1, "more than %d packages", maxOpen)
		}
		ps = &pkgState{}
		p.pkgs[e.Package] = ps
	}
	if e.Test == "" {
		return p.packageEvent(e, ps)
	}
	k := key{e.Package, e.Test}
	t := p.open[k]
	if t == nil {
		if len(p.open) >= maxOpen {
			return ingest.Errorf(Name, 0, -1, "more than %d tests running at once", maxOpen)
		}
		t = &test{start: e.Time}
		p.open[k] = t
		if i := strings.LastIndexByte(e.Test, '/'); i > 0 {
			if parent := p.open[key{e.Package, e.Test[:i]}]; parent != nil {
				parent.children++
			}
		}
	}
	switch e.Action {
	case "output":
		if e.Output != nil {
			p.hold(t, *e.Output)
		}
		return nil
	case "run":
		return nil
	}
	// pass, fail, skip, bench
	delete(p.open, k)
	p.held -= t.out.Len()
	out := ingest.Outcome(ingest.Passed)
	switch e.Action {
	case "fail":
		out = ingest.Failed
		ps.failed++
	case "skip":
		out = ingest.Skipped
	}
	d := 0.0
	if e.Elapsed != nil {
		d = *e.Elapsed
	}
	return p.emit(e.Package, e.Test, out, d, t, "")
}

func buildKey(importPath string) string {
	if i := strings.IndexByte(importPath, ' '); i > 0 {
		return importPath[:i]
	}
	return importPath
}

// packageEvent handles a package's own output and its end.
func (p *parser) packageEvent(e *event, ps *pkgState) error {
	switch e.Action {
	case "output":
		if e.Output != nil {
			p.hold(&ps.out, *e.Output)
		}
		return nil
	case "pass", "fail", "skip":
	default:
		return nil
	}
	// The package ended: its unfinished tests ended with it.
	for k := range p.open {
		if k.pkg == e.Package {
			if err := p.unfinished(k, "the test did not finish: its package's test binary exited"); err != nil {
				return err
			}
			ps.failed++
		}
	}
	defer delete(p.pkgs, e.Package)
	p.held -= ps.out.out.Len()
	if e.Action != "fail" || ps.failed > 0 {
		return nil
	}
	d := 0.0
	if e.Elapsed != nil {
		d = *e.Elapsed
	}
	reason := "the package failed outside any test"
	out := &ps.out
	if e.FailedBuild != "" {
		reason = "the package's tests did not build"
		if b := p.builds[buildKey(e.FailedBuild)]; b != nil {
			out = b
			delete(p.builds, buildKey(e.FailedBuild))
			p.held -= b.out.Len()
		}
	}
	out.start = e.Time
	return p.emit(e.Package, e.Package, ingest.Errored, d, out, reason)
}

// unfinished ends a test that never reported its result as an error.
func (p *parser) unfinished(k key, why string) error {
	t := p.open[k]
	delete(p.open, k)
	p.held -= t.out.Len()
	return p.emit(k.pkg, k.test, ingest.Errored, 0, t, why)
}

// hold appends output to a test, within the per-test and total bounds.
func (p *parser) hold(t *test, s string) {
	room := min(p.opt.TextCap()-t.out.Len(), bufferBudget-p.held)
	if len(s) > room {
		if !t.cut && room > 0 {
			cut, _ := ingest.Cut(s, room)
			cut = strings.TrimSuffix(cut, ingest.CutMarker)
			t.out.WriteString(cut)
			p.held += len(cut)
		}
		t.cut = true
		return
	}
	t.out.WriteString(s)
	p.held += len(s)
}

// framing are the lines go test writes around a test's own output.
func framing(l string) bool {
	for _, p := range []string{"=== RUN", "=== PAUSE", "=== CONT", "=== NAME", "--- PASS:", "--- FAIL:", "--- SKIP:", "--- BENCH:"} {
		if strings.HasPrefix(strings.TrimSpace(l), p) {
			return true
		}
	}
	return false
}

func (p *parser) emit(pkg, name string, out ingest.Outcome, d float64, t *test, reason string) error {
	var body strings.Builder
	var msg, skip string
	panicked := false
	for _, l := range strings.SplitAfter(t.out.String(), "\n") {
		if l == "" || framing(l) {
			continue
		}
		body.WriteString(l)
		s := strings.TrimSpace(l)
		if strings.HasPrefix(s, "panic: ") && !panicked {
			panicked, msg = true, s
		}
		if msg == "" && s != "" && !strings.HasPrefix(s, "FAIL") && !strings.HasPrefix(s, "ok ") && !strings.HasPrefix(s, "# ") {
			msg = s
		}
		if skip == "" && s != "" {
			skip = s
		}
	}
	text := body.String()
	if t.cut {
		text += ingest.CutMarker
	}
	c := &ingest.Case{TestID: name, Outcome: out, Duration: d, Start: t.start, Component: pkg,
		Metadata: map[string]any{"package": pkg}, Truncated: t.cut}
	if i := strings.LastIndexByte(name, '/'); i > 0 && name != pkg {
		c.Metadata["parent"] = name[:i]
	}
	if t.children > 0 {
		c.Metadata["subtests"] = t.children
	}
	switch out {
	case ingest.Failed, ingest.Errored:
		c.Message = msg
		if reason != "" {
			c.Message = reason
			if msg != "" {
				c.Message = reason + ": " + msg
			}
		}
		if panicked {
			c.Exception = "panic"
		}
		c.Trace = strings.TrimRight(text, "\n")
		if c.Trace == "" {
			c.Trace = c.Message
		}
	case ingest.Skipped:
		c.SkipReason = trimLocation(skip)
		c.Output = text
	default:
		c.Output = text
	}
	if strings.TrimSpace(c.Output) == "" {
		c.Output = ""
	}
	return p.sink.Case(c)
}

// trimLocation drops the "file_test.go:12: " go test puts before a log line.
func trimLocation(s string) string {
	if i := strings.Index(s, ".go:"); i > 0 {
		if j := strings.Index(s[i+4:], ": "); j >= 0 {
			return s[i+4+j+2:]
		}
	}
	return s
}
