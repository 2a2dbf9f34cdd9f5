// Package tap reads the Test Anything Protocol (TAP 12, 13 and 14, as
// Test::More, prove -v and node --test --test-reporter=tap write it) as a
// stream of lines. Each test point is a case: `ok` passed, `not ok`
// failed, `# SKIP` skipped, `# TODO` xfailed (not ok) or xpassed (ok).
// Indented subtests are cases named `parent/child`; the test point that
// closes a subtest is a case only when it failed on its own (none of its
// children failed). YAML diagnostics (`---` … `...`) become metadata
// (duration_ms, location, error, name and stack are mapped; the rest is
// kept under metadata.tap); `#` diagnostics after a failed point become
// its traceback. A plan that announces more tests than ran adds an
// `error` case. prove -v output (a `t/file.t ..` line before each file's
// stream) names each case's file.
package tap

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/ibutsu-go/ibutsu/pkg/importer/ingest"
)

// Name is the format's name in errors.
const Name = "TAP"

var (
	versionRE = regexp.MustCompile(`^TAP version (\d+)\s*$`)
	planRE    = regexp.MustCompile(`^1\.\.(\d+)(\s*#.*)?$`)
	pointRE   = regexp.MustCompile(`^(not )?ok\b\s*(\d+)?\s*(.*)$`)
	headerRE  = regexp.MustCompile(`^(\S+) \.{2,}\s*$`)
	bailRE    = regexp.MustCompile(`^Bail out!\s*(.*)$`)
	durRE     = regexp.MustCompile(`^# duration_ms ([0-9.]+)\s*$`)
)

// Detect recognises TAP: the first line that is not empty or a comment starts it.
func Detect(h *ingest.Head) ingest.Match {
	for _, l := range h.Lines(20) {
		t := strings.TrimSpace(l)
		switch {
		case t == "" || (strings.HasPrefix(t, "#") && !strings.HasPrefix(t, "# Subtest")):
			continue
		case versionRE.MatchString(t), planRE.MatchString(t), pointRE.MatchString(t), strings.HasPrefix(t, "# Subtest"):
			return ingest.Sure
		case headerRE.MatchString(l) && strings.HasSuffix(strings.Fields(l)[0], ".t"):
			return ingest.Sure
		}
		return ingest.No
	}
	return ingest.No
}

// maxDepth bounds subtest nesting.
const maxDepth = 64

// level is one nesting depth's state.
type level struct {
	subtest  string // the name of the subtest announced at this depth
	children int    // test points seen one level deeper since the last point here
	failed   int    // failing ones among them
}

// pending is the last test point, waiting for its YAML block and
// diagnostics.
type pending struct {
	c       *ingest.Case
	depth   int
	indent  int
	yaml    []string
	inYAML  bool
	diag    strings.Builder
	diagCut bool
	parent  bool // closes a subtest
	own     bool // emit it (a parent only when it failed on its own)
}

type parser struct {
	sink   ingest.Sink
	opt    ingest.Options
	levels []level
	p      *pending
	file   string
	plan   int // the top-level plan of the current stream, -1 none
	points int // top-level points of the current stream
	line   int
	off    int64
	tap    bool
	run    ingest.Run
}

// Parse reads TAP from r and hands every test point to sink.
func Parse(r io.Reader, sink ingest.Sink, opt ingest.Options) error {
	p := &parser{sink: sink, opt: opt, levels: make([]level, 1, 8), plan: -1}
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		raw, err := ingest.ReadLine(br, opt.LineCap())
		if errors.Is(err, ingest.ErrLineTooLong) {
			return ingest.Errorf(Name, p.line+1, p.off, "a line is longer than %d bytes", opt.LineCap())
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		if len(raw) > 0 {
			p.line++
			if herr := p.handle(strings.TrimRight(string(raw), "\r\n")); herr != nil {
				return herr
			}
			p.off += int64(len(raw))
		}
		if err != nil {
			break
		}
	}
	if err := p.endStream(); err != nil {
		return err
	}
	if !p.tap {
		return ingest.Errorf(Name, 0, -1, "the file holds no TAP test point or plan")
	}
	return p.sink.Run(p.run)
}

func (p *parser) errorf(msg string, args ...any) error {
	return ingest.Errorf(Name, p.line, p.off, msg, args...)
}

func indentOf(l string) int {
	return len(l) - len(strings.TrimLeft(l, " \t"))
}

func (p *parser) handle(l string) error {
	ind := indentOf(l)
	t := strings.TrimSpace(l)
	// Inside a YAML block everything up to its end belongs to it.
	if q := p.p; q != nil && q.inYAML {
		if t == "..." && ind <= q.indent+2 {
			q.inYAML = false
			return nil
		}
		if len(q.yaml) > 10000 {
			return p.errorf("a YAML diagnostics block longer than 10000 lines")
		}
		q.yaml = append(q.yaml, l)
		return nil
	}
	if q := p.p; q != nil && t == "---" && ind > q.indent && len(q.yaml) == 0 {
		q.inYAML = true
		return nil
	}
	if m := headerRE.FindStringSubmatch(l); m != nil && ind == 0 && strings.HasSuffix(m[1], ".t") {
		if err := p.endStream(); err != nil {
			return err
		}
		p.file, p.tap = m[1], true
		return nil
	}
	if t == "" {
		return nil
	}
	if m := durRE.FindStringSubmatch(t); m != nil && ind == 0 {
		if d, err := strconv.ParseFloat(m[1], 64); err == nil {
			d /= 1000
			p.run.Duration = &d
		}
		return nil
	}
	if strings.HasPrefix(t, "#") {
		if name, ok := strings.CutPrefix(t, "# Subtest:"); ok {
			if err := p.flush(); err != nil {
				return err
			}
			d, err := p.depth(ind)
			if err != nil {
				return err
			}
			p.levels[d].subtest = strings.TrimSpace(name)
			return nil
		}
		// Test::More's closing "Looks like you failed…" is about the file.
		if q := p.p; q != nil && (q.c.Outcome == ingest.Failed || q.c.Outcome == ingest.XFailed) && !strings.HasPrefix(t, "# Looks like") {
			p.addDiag(q, strings.TrimPrefix(strings.TrimPrefix(t, "#"), " ")+"\n")
		}
		return nil
	}
	if versionRE.MatchString(t) {
		p.tap = true
		return nil
	}
	if m := bailRE.FindStringSubmatch(t); m != nil {
		if err := p.flush(); err != nil {
			return err
		}
		p.tap = true
		if p.run.Metadata == nil {
			p.run.Metadata = map[string]any{}
		}
		p.run.Metadata["bail_out"] = strings.TrimSpace(m[1])
		return nil
	}
	if m := planRE.FindStringSubmatch(t); m != nil {
		p.tap = true
		if err := p.flush(); err != nil {
			return err
		}
		if ind == 0 {
			n, err := strconv.Atoi(m[1])
			if err != nil {
				return p.errorf("plan %q: %v", t, err)
			}
			p.plan = n
			if strings.Contains(strings.ToLower(m[2]), "skip") && p.run.Metadata == nil {
				p.run.Metadata = map[string]any{"skip_reason": strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(m[2]), "#"))}
			}
		}
		return nil
	}
	if m := pointRE.FindStringSubmatch(t); m != nil {
		// prove's verdict after a stream ("ok" alone) is not a test point.
		if p.file != "" && ind == 0 && p.plan >= 0 && p.points >= p.plan && m[2] == "" {
			return nil
		}
		p.tap = true
		if err := p.flush(); err != nil {
			return err
		}
		return p.point(ind, m[1] == "", m[2], m[3])
	}
	// Anything else (harness chatter, a test's stray output) is ignored,
	// as TAP consumers do.
	return nil
}

// depth is the nesting depth of an indent (4 spaces a level, as
// Test::More and node indent subtests).
func (p *parser) depth(ind int) (int, error) {
	d := ind / 4
	if d >= maxDepth {
		return 0, p.errorf("subtests nested deeper than %d levels", maxDepth)
	}
	for len(p.levels) <= d+1 {
		p.levels = append(p.levels, level{})
	}
	return d, nil
}

func (p *parser) addDiag(q *pending, s string) {
	if q.diagCut {
		return
	}
	if q.diag.Len()+len(s) > p.opt.TextCap() {
		cut, _ := ingest.Cut(s, p.opt.TextCap()-q.diag.Len())
		q.diag.WriteString(cut)
		q.diagCut = true
		return
	}
	q.diag.WriteString(s)
}

// point starts a test point's case.
func (p *parser) point(ind int, ok bool, num, rest string) error {
	d, err := p.depth(ind)
	if err != nil {
		return err
	}
	desc, directive, reason := splitDirective(rest)
	desc = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(desc), "-"))
	if desc == "" {
		desc = "test " + num
		if num == "" {
			desc = "test"
		}
	}
	c := &ingest.Case{Outcome: ingest.Passed, Metadata: map[string]any{}}
	switch {
	case directive == "skip":
		c.Outcome, c.SkipReason = ingest.Skipped, reason
	case directive == "todo" && ok:
		c.Outcome = ingest.XPassed
		c.Metadata["todo"] = reason
	case directive == "todo":
		c.Outcome = ingest.XFailed
		c.Metadata["todo"] = reason
	case !ok:
		c.Outcome = ingest.Failed
	}
	if num != "" {
		if n, err := strconv.Atoi(num); err == nil {
			c.Metadata["tap_number"] = n
		}
	}
	var path []string
	if p.file != "" {
		c.File = p.file
		c.Suite = append(c.Suite, p.file)
	}
	for i := 0; i < d; i++ {
		name := p.levels[i].subtest
		if name == "" {
			name = "subtest"
		}
		path = append(path, name)
	}
	c.Suite = append(c.Suite, path...)
	c.TestID = strings.Join(append(path, desc), "/")
	q := &pending{c: c, depth: d, indent: ind, own: true}
	// A point closing deeper points is their subtest: it is its own case
	// only when it failed without a failing child.
	if ch := p.levels[d+1]; ch.children > 0 {
		q.parent = true
		q.own = c.Outcome == ingest.Failed && ch.failed == 0
		c.Metadata["subtests"] = ch.children
	}
	p.levels[d+1] = level{}
	p.levels[d].subtest = ""
	if d > 0 {
		p.levels[d].children++
		if c.Outcome == ingest.Failed {
			p.levels[d].failed++
		}
	} else {
		p.points++
	}
	// Forget deeper levels (a new subtest starts clean).
	for i := d + 2; i < len(p.levels); i++ {
		p.levels[i] = level{}
	}
	p.p = q
	return nil
}

// splitDirective splits "desc # SKIP reason" (an unescaped '#').
func splitDirective(s string) (desc, directive, reason string) {
	for i := 0; i < len(s); i++ {
		if s[i] != '#' || (i > 0 && s[i-1] == '\\') {
			continue
		}
		d := strings.TrimSpace(s[i+1:])
		word, r, _ := strings.Cut(d, " ")
		w := strings.ToLower(word)
		switch {
		case strings.HasPrefix(w, "skip"):
			return s[:i], "skip", strings.TrimSpace(r)
		case strings.HasPrefix(w, "todo"):
			return s[:i], "todo", strings.TrimSpace(r)
		}
	}
	return strings.ReplaceAll(s, `\#`, "#"), "", ""
}

// flush emits the pending test point.
func (p *parser) flush() error {
	q := p.p
	if q == nil {
		return nil
	}
	p.p = nil
	if q.inYAML {
		return p.errorf("a YAML diagnostics block is not closed with '...'")
	}
	c := q.c
	if len(q.yaml) > 0 {
		if err := p.applyYAML(c, q); err != nil {
			return err
		}
	}
	if diag := strings.TrimRight(q.diag.String(), "\n"); diag != "" {
		if c.Trace != "" {
			c.Trace += "\n\n"
		}
		c.Trace += diag
		c.Truncated = c.Truncated || q.diagCut
		if c.Message == "" {
			c.Message = firstLine(diag)
		}
	}
	if !q.own {
		return nil
	}
	return p.sink.Case(c)
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(l)
}

// applyYAML maps a YAML diagnostics block onto the case.
func (p *parser) applyYAML(c *ingest.Case, q *pending) error {
	strip := -1
	for _, l := range q.yaml {
		if strings.TrimSpace(l) == "" {
			continue
		}
		if i := indentOf(l); strip < 0 || i < strip {
			strip = i
		}
	}
	var b strings.Builder
	for _, l := range q.yaml {
		if len(l) >= strip && strip > 0 {
			l = l[strip:]
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	var m map[string]any
	if err := yaml.Unmarshal([]byte(b.String()), &m); err != nil {
		// A block that is not YAML is kept as text, as TAP consumers do.
		c.Metadata["tap"] = map[string]any{"diagnostics": b.String()}
		return nil //nolint:nilerr // not the file's fatal fault
	}
	rest := map[string]any{}
	for k, v := range m {
		switch k {
		case "duration_ms":
			if f, ok := v.(float64); ok && f >= 0 {
				c.Duration = f / 1000
				continue
			}
		case "location":
			if s, ok := v.(string); ok {
				file, line := splitLocation(s)
				c.File = file
				if line > 0 {
					c.Line = &line
				}
				continue
			}
		case "error", "message":
			if s, ok := v.(string); ok && c.Outcome != ingest.Passed {
				c.Message = strings.TrimSpace(s)
				continue
			}
		case "name":
			if s, ok := v.(string); ok && c.Outcome != ingest.Passed {
				c.Exception = s
				continue
			}
		case "stack":
			if s, ok := v.(string); ok {
				c.Trace, c.Truncated = capText(s, p.opt.TextCap(), c.Truncated)
				continue
			}
		}
		rest[k] = v
	}
	if len(rest) > 0 {
		c.Metadata["tap"] = rest
	}
	if c.Message != "" && c.Trace != "" {
		c.Trace = c.Message + "\n" + c.Trace
	}
	return nil
}

func capText(s string, n int, was bool) (string, bool) {
	out, cut := ingest.Cut(s, n)
	return out, was || cut
}

// splitLocation splits "path:line:col".
func splitLocation(s string) (string, int) {
	parts := strings.Split(s, ":")
	nums := 0
	for i := len(parts) - 1; i > 0 && nums < 2; i-- {
		if _, err := strconv.Atoi(parts[i]); err != nil {
			break
		}
		nums++
	}
	if nums == 0 {
		return s, 0
	}
	line, _ := strconv.Atoi(parts[len(parts)-nums])
	return strings.Join(parts[:len(parts)-nums], ":"), line
}

// endStream closes one TAP stream (one file under prove): the pending
// point, and the plan's missing tests.
func (p *parser) endStream() error {
	if err := p.flush(); err != nil {
		return err
	}
	if p.plan > p.points {
		c := &ingest.Case{TestID: "plan", Outcome: ingest.Errored,
			Message:  fmt.Sprintf("the plan announced %d tests; %d ran", p.plan, p.points),
			Metadata: map[string]any{"planned": p.plan, "ran": p.points}}
		if p.file != "" {
			c.TestID, c.File, c.Suite = p.file+"/plan", p.file, []string{p.file}
		}
		if err := p.sink.Case(c); err != nil {
			return err
		}
	}
	p.plan, p.points = -1, 0
	p.levels = p.levels[:1]
	p.levels[0] = level{}
	p.file = ""
	return nil
}
