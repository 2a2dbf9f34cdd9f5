// Package playwright reads the JSON reporter's output of Playwright Test
// (`--reporter=json`) as a stream: suites are walked token by token and
// each spec is decoded on its own (strings cut at the text bound), so a
// report of any size holds one spec in memory. Every test of a spec (one
// per project) becomes a tcase.Case; its retries are kept as evidence
// (metadata.attempts) and a test that passed on retry is a flaky pass.
package playwright

import (
	"encoding/base64"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/ibutsu-go/ibutsu/pkg/importer/jsonlimit"
	"github.com/ibutsu-go/ibutsu/pkg/importer/jsonscan"
	"github.com/ibutsu-go/ibutsu/pkg/importer/tcase"
)

// Format is the name the importer knows this format by.
const Format = "Playwright JSON"

// Detect reports whether a JSON document is Playwright's report: an object
// whose first keys are among config, suites, errors and stats, with config
// or suites among them.
func Detect(kind byte, keys []string) bool {
	if kind != '{' || len(keys) == 0 {
		return false
	}
	known := map[string]bool{"config": true, "suites": true, "errors": true, "stats": true}
	for _, k := range keys {
		if !known[k] {
			return false
		}
	}
	return keys[0] == "config" || keys[0] == "suites"
}

// Options bound the read: MaxText cuts strings (an inline attachment
// longer than it is not imported), MaxValue refuses a larger spec.
type Options struct {
	MaxText  int
	MaxValue int
}

// Run is what the report says about the whole run.
type Run struct {
	StartTime string
	// Duration is in milliseconds, -1 when absent.
	Duration float64
	Version  string
	Metadata map[string]any
	// Errors are the report's global errors (outside any test).
	Errors []string
	Cases  int
}

type location struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

type pwError struct {
	Message  string    `json:"message"`
	Stack    string    `json:"stack"`
	Value    string    `json:"value"`
	Location *location `json:"location"`
}

type output struct {
	Text   *string `json:"text"`
	Buffer *string `json:"buffer"`
}

type attachment struct {
	Name        string  `json:"name"`
	ContentType string  `json:"contentType"`
	Path        string  `json:"path"`
	Body        *string `json:"body"`
}

type result struct {
	Status      string       `json:"status"`
	Duration    float64      `json:"duration"`
	Retry       int          `json:"retry"`
	StartTime   string       `json:"startTime"`
	Error       *pwError     `json:"error"`
	Errors      []pwError    `json:"errors"`
	Stdout      []output     `json:"stdout"`
	Stderr      []output     `json:"stderr"`
	Attachments []attachment `json:"attachments"`
	WorkerIndex int          `json:"workerIndex"`
}

type annotation struct {
	Type        string `json:"type"`
	Description string `json:"description"`
}

type test struct {
	ProjectName    string       `json:"projectName"`
	ProjectID      string       `json:"projectId"`
	ExpectedStatus string       `json:"expectedStatus"`
	Status         string       `json:"status"`
	Timeout        float64      `json:"timeout"`
	Annotations    []annotation `json:"annotations"`
	Results        []result     `json:"results"`
}

type spec struct {
	Title  string   `json:"title"`
	File   string   `json:"file"`
	Line   int      `json:"line"`
	Column int      `json:"column"`
	ID     string   `json:"id"`
	Tags   []string `json:"tags"`
	Tests  []test   `json:"tests"`
}

type parser struct {
	h   tcase.Handler
	dec *jsonscan.Decoder
	run Run
}

// Parse reads one report from r and calls h for every test.
func Parse(r io.Reader, opt Options, h tcase.Handler) (*Run, error) {
	p := &parser{h: h, run: Run{Duration: -1}, dec: jsonscan.New(r, Format, opt.MaxText, opt.MaxValue)}
	if err := p.dec.Wrap(p.document()); err != nil {
		return nil, err
	}
	return &p.run, nil
}

// decode reads one value, refusing one longer than MaxValue.
func (p *parser) decode(v any) error { return p.dec.Value(v, "a value") }

func (p *parser) document() error {
	if err := p.dec.Object(p.member); err != nil {
		return err
	}
	return p.dec.End()
}

// member reads the member k of the report object.
func (p *parser) member(k string) error {
	switch k {
	case "config":
		var cfg struct {
			Version  string         `json:"version"`
			Metadata map[string]any `json:"metadata"`
		}
		if err := p.decode(&cfg); err != nil {
			return err
		}
		p.run.Version, p.run.Metadata = cfg.Version, cfg.Metadata
	case "suites":
		return p.suites(nil)
	case "errors":
		var errs []pwError
		if err := p.decode(&errs); err != nil {
			return err
		}
		for _, e := range errs {
			p.run.Errors = append(p.run.Errors, stripANSI(e.Message))
		}
	case "stats":
		var st struct {
			StartTime string   `json:"startTime"`
			Duration  *float64 `json:"duration"`
		}
		if err := p.decode(&st); err != nil {
			return err
		}
		p.run.StartTime = st.StartTime
		if st.Duration != nil {
			p.run.Duration = *st.Duration
		}
	default:
		return p.dec.Skip()
	}
	return nil
}

// suites reads an array of suites below the title path.
func (p *parser) suites(path []string) error {
	if err := p.dec.Delim('['); err != nil {
		return err
	}
	for p.dec.More() {
		if len(path) > 64 {
			return p.dec.Fail("suites nested deeper than 64")
		}
		if err := p.suite(path); err != nil {
			return err
		}
	}
	return p.dec.Delim(']')
}

func (p *parser) suite(path []string) error {
	var title string
	return p.dec.Object(func(k string) error {
		switch k {
		case "title":
			return p.decode(&title)
		case "specs", "suites":
			sub := path
			if title != "" {
				sub = append(append([]string(nil), path...), title)
			}
			if k == "suites" {
				return p.suites(sub)
			}
			return p.specs(sub)
		}
		return p.dec.Skip()
	})
}

// specs reads an array of specs below the title path and hands over
// their tests.
func (p *parser) specs(path []string) error {
	if err := p.dec.Delim('['); err != nil {
		return err
	}
	for p.dec.More() {
		var s spec
		if err := p.decode(&s); err != nil {
			return err
		}
		for i := range s.Tests {
			p.run.Cases++
			if err := tcase.Call(p.h, p.testCase(path, &s, &s.Tests[i])); err != nil {
				return err
			}
		}
	}
	return p.dec.Delim(']')
}

var ansiRE = regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`)

func stripANSI(s string) string {
	if !strings.Contains(s, "\x1b") {
		return s
	}
	return ansiRE.ReplaceAllString(s, "")
}

// outcome maps a test's status, its expected status and its last
// attempt's status onto Ibutsu's outcomes.
func outcome(t *test, last *result) tcase.Status {
	switch t.Status {
	case "skipped":
		return tcase.Skipped
	case "flaky":
		return tcase.Passed
	case "expected":
		switch t.ExpectedStatus {
		case "failed":
			return tcase.XFailed
		case "skipped":
			return tcase.Skipped
		}
		return tcase.Passed
	}
	// unexpected
	if last == nil {
		return tcase.Failed
	}
	switch {
	case t.ExpectedStatus == "failed" && last.Status == "passed":
		return tcase.XPassed
	case last.Status == "interrupted":
		return tcase.Errored
	case last.Status == "skipped":
		return tcase.Skipped
	}
	return tcase.Failed
}

func (p *parser) testCase(path []string, s *spec, t *test) *tcase.Case {
	titles := append(append([]string(nil), path...), s.Title)
	c := &tcase.Case{Name: s.Title, File: s.File, Line: s.Line, Suite: path, Properties: map[string]any{}}
	c.TestID = strings.Join(titles, " › ")
	if t.ProjectName != "" {
		c.TestID = "[" + t.ProjectName + "] › " + c.TestID
	}
	for _, tg := range s.Tags {
		c.Tags = append(c.Tags, strings.TrimPrefix(tg, "@"))
	}
	pm := map[string]any{"status": t.Status, "expected_status": t.ExpectedStatus}
	if t.ProjectName != "" {
		pm["project"] = t.ProjectName
	}
	if s.ID != "" {
		pm["spec_id"] = s.ID
	}
	c.Properties["playwright"] = pm
	var last *result
	if n := len(t.Results); n > 0 {
		last = &t.Results[n-1]
	}
	c.Status = outcome(t, last)
	if len(t.Annotations) > 0 {
		var ann []any
		for _, a := range t.Annotations {
			ann = append(ann, map[string]any{"type": a.Type, "description": a.Description})
			if (a.Type == "skip" || a.Type == "fixme") && c.SkipReason == "" {
				c.SkipReason = strings.TrimSpace(a.Type + ": " + a.Description)
				c.SkipReason = strings.TrimSuffix(c.SkipReason, ":")
			}
		}
		pm["annotations"] = ann
	}
	if len(t.Results) > 1 || t.Status == "flaky" {
		// Retries are kept as evidence: every attempt's status, duration
		// and first error line.
		var attempts []any
		for _, r := range t.Results {
			a := map[string]any{"retry": r.Retry, "status": r.Status, "duration": r.Duration / 1000}
			if r.Error != nil {
				first, _, _ := strings.Cut(stripANSI(r.Error.Message), "\n")
				a["error"] = first
			}
			attempts = append(attempts, a)
		}
		pm["attempts"] = attempts
		pm["retries"] = len(t.Results) - 1
		if t.Status == "flaky" {
			c.Properties["flaky"] = true
		}
	}
	if last == nil {
		return c
	}
	c.Duration = last.Duration / 1000
	if ts, ok := tcase.ParseTime(last.StartTime); ok {
		c.Start = ts
	}
	if e := last.Error; e != nil && (c.Status == tcase.Failed || c.Status == tcase.Errored || c.Status == tcase.XFailed) {
		msg := stripANSI(e.Message)
		if msg == "" {
			msg = stripANSI(e.Value)
		}
		first, _, _ := strings.Cut(strings.TrimSpace(msg), "\n")
		c.Message = first
		c.ExceptionType, _ = tcase.SplitException(first)
		c.Traceback = stripANSI(e.Stack)
		if c.Traceback == "" {
			c.Traceback = msg
		}
		if e.Location != nil {
			pm["error_location"] = fmt.Sprintf("%s:%d:%d", e.Location.File, e.Location.Line, e.Location.Column)
		}
	}
	if c.Status == tcase.XPassed {
		c.Message = "expected to fail, but passed"
	}
	c.Stdout = joinOutput(last.Stdout)
	c.Stderr = joinOutput(last.Stderr)
	for _, r := range t.Results {
		for _, a := range r.Attachments {
			name := a.Name
			if r.Retry != last.Retry {
				name = fmt.Sprintf("retry%d-%s", r.Retry, name)
			}
			att := tcase.Attachment{Name: name, ContentType: a.ContentType, Path: a.Path}
			if a.Body != nil {
				if jsonlimit.Truncated(*a.Body) {
					att.Truncated = true
				} else if b, err := base64.StdEncoding.DecodeString(*a.Body); err == nil {
					att.Data = b
				} else {
					att.Data = []byte(*a.Body)
				}
			}
			c.Attachments = append(c.Attachments, att)
		}
	}
	return c
}

func joinOutput(out []output) string {
	var b strings.Builder
	for _, o := range out {
		switch {
		case o.Text != nil:
			b.WriteString(*o.Text)
		case o.Buffer != nil:
			if d, err := base64.StdEncoding.DecodeString(*o.Buffer); err == nil {
				b.Write(d)
			}
		}
	}
	return b.String()
}
