// Package ctrf reads CTRF reports (Common Test Report Format, JSON, as the
// ctrf-io reporters for jest, mocha, playwright, cypress, vitest... write
// them) as a stream: the tests array is decoded one test at a time.
//
// status passed, failed and skipped map to themselves; pending and other
// become skipped (their rawStatus is kept, and a rawStatus of xfail/xpass,
// as pytest's reporter writes, becomes xfailed/xpassed; error/broken
// become error). duration and start are milliseconds; message, trace,
// stdout/stderr, a base64 screenshot, tags, retries/flaky, suite, filePath
// and line are mapped (docs/importing.md). results.environment is the
// run's metadata.environment, its appName the run's component default and
// testEnvironment its env; summary.start/stop give the run's start and
// duration. The summary's counts are not trusted: the cases are counted.
package ctrf

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"

	"github.com/ibutsu-go/ibutsu/pkg/importer/ingest"
	"github.com/ibutsu-go/ibutsu/pkg/importer/jsonlimit"
	"github.com/ibutsu-go/ibutsu/pkg/importer/jsonscan"
)

// Name is the format's name in errors.
const Name = "CTRF JSON"

// Detect recognises a JSON object whose keys are CTRF's (reportFormat "CTRF", or a
// results object holding tool).
func Detect(h *ingest.Head) ingest.Match {
	kind, keys, _ := h.JSON()
	if kind != '{' || len(keys) == 0 {
		return ingest.No
	}
	if ingest.HasKey(keys, "reportFormat") && bytes.Contains(h.Bytes, []byte(`"CTRF"`)) {
		return ingest.Sure
	}
	if keys[0] == "results" && bytes.Contains(h.Bytes, []byte(`"tool"`)) {
		return ingest.Sure
	}
	return ingest.No
}

type test struct {
	Name       string          `json:"name"`
	Status     string          `json:"status"`
	RawStatus  string          `json:"rawStatus"`
	Duration   *float64        `json:"duration"`
	Start      *float64        `json:"start"`
	Message    string          `json:"message"`
	Trace      string          `json:"trace"`
	Line       *int            `json:"line"`
	FilePath   string          `json:"filePath"`
	Suite      json.RawMessage `json:"suite"`
	Tags       []string        `json:"tags"`
	Type       string          `json:"type"`
	Retries    *int            `json:"retries"`
	Flaky      *bool           `json:"flaky"`
	Stdout     []string        `json:"stdout"`
	Stderr     []string        `json:"stderr"`
	Browser    string          `json:"browser"`
	Device     string          `json:"device"`
	Screenshot string          `json:"screenshot"`
	Parameters map[string]any  `json:"parameters"`
	Extra      map[string]any  `json:"extra"`
	Attachment []struct {
		Name        string `json:"name"`
		ContentType string `json:"contentType"`
		Path        string `json:"path"`
	} `json:"attachments"`
}

type summary struct {
	Start *float64 `json:"start"`
	Stop  *float64 `json:"stop"`
}

// counting bounds how much the JSON decoder may read for one value: it
// buffers a whole value (a test, a string) before handing it over.
type counting struct {
	r     io.Reader
	n     int64
	limit int64
	total int64
}

var errValueTooLarge = errors.New("value too large")

func (c *counting) Read(p []byte) (int, error) {
	if c.n > c.limit {
		return 0, errValueTooLarge
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	c.total += int64(n)
	return n, err
}

type parser struct {
	d    *json.Decoder
	in   *counting
	sink ingest.Sink
	opt  ingest.Options
	seen bool
	// depth counts the arrays and objects open at the token level, at most
	// jsonlimit.MaxDepth: json.Decoder.Token keeps a stack entry for each
	// (8 bytes a byte of "["), and counting bounds one token, not the
	// stack; 50 MiB of "[" under a skipped key held 800 MiB.
	depth int
}

// Parse reads a CTRF report from r.
func Parse(r io.Reader, sink ingest.Sink, opt ingest.Options) error {
	in := &counting{r: r, limit: int64(opt.LineCap())}
	p := &parser{d: json.NewDecoder(in), in: in, sink: sink, opt: opt}
	err := p.object("the report must be a JSON object", "the report object is not closed", func(k string) error {
		if k == "results" {
			return p.results()
		}
		return p.skip()
	})
	if err != nil {
		return err
	}
	if !p.seen {
		return p.errorf("the report has no results object")
	}
	return nil
}

func (p *parser) errorf(msg string, args ...any) error {
	return ingest.Errorf(Name, 0, p.d.InputOffset(), msg, args...)
}

// wrap turns a decoder failure into an *ingest.Error at its offset.
func (p *parser) wrap(err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.Is(err, errValueTooLarge):
		return p.errorf("a value is larger than %d bytes", p.opt.LineCap())
	case errors.As(err, &se):
		return ingest.Errorf(Name, 0, se.Offset, "%s", se.Error())
	case errors.As(err, &te):
		return ingest.Errorf(Name, 0, te.Offset, "%s has the wrong type (%s)", te.Field, te.Value)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return p.errorf("the JSON ends too early")
	}
	var ie *ingest.Error
	if errors.As(err, &ie) {
		return err
	}
	return p.errorf("%v", err)
}

func (p *parser) token() (json.Token, error) {
	p.in.n = 0
	t, err := p.d.Token()
	if err != nil {
		return nil, p.wrap(err)
	}
	switch t {
	case json.Delim('['), json.Delim('{'):
		if p.depth++; p.depth > jsonlimit.MaxDepth {
			return nil, p.errorf("arrays and objects nested deeper than %d levels", jsonlimit.MaxDepth)
		}
	case json.Delim(']'), json.Delim('}'):
		p.depth--
	}
	return t, nil
}

func (p *parser) decode(v any) error {
	p.in.n = 0
	if err := p.d.Decode(v); err != nil {
		return p.wrap(err)
	}
	return nil
}

func (p *parser) expect(d json.Delim, msg string) error {
	t, err := p.token()
	if err != nil {
		return err
	}
	if got, ok := t.(json.Delim); !ok || got != d {
		return p.errorf("%s", msg)
	}
	return nil
}

func (p *parser) key() (string, error) {
	return jsonscan.Key(p.token, func(json.Token) error { return p.errorf("expected an object key") })
}

// skip consumes one value token by token (never holding a whole array or
// object).
func (p *parser) skip() error { return jsonscan.Skip(p.token) }

// object reads a JSON object member by member: member gets each key and
// must consume its value. open and closed are the errors for a value that
// is not an object and for one that is not closed.
func (p *parser) object(open, closed string, member func(k string) error) error {
	if err := p.expect('{', open); err != nil {
		return err
	}
	for p.d.More() {
		k, err := p.key()
		if err != nil {
			return err
		}
		if err := member(k); err != nil {
			return err
		}
	}
	return p.expect('}', closed)
}

func (p *parser) results() error {
	p.seen = true
	return p.object("results must be an object", "results is not closed", p.resultsMember)
}

// resultsMember reads the member k of the results object.
func (p *parser) resultsMember(k string) error {
	switch k {
	case "tool":
		var tool struct {
			Name    string `json:"name"`
			Version string `json:"version"`
		}
		if err := p.decode(&tool); err != nil {
			return err
		}
		md := map[string]any{"tool": tool.Name}
		if tool.Version != "" {
			md["tool_version"] = tool.Version
		}
		return p.sink.Run(ingest.Run{Metadata: md})
	case "summary":
		var s summary
		if err := p.decode(&s); err != nil {
			return err
		}
		var run ingest.Run
		if s.Start != nil && *s.Start > 0 {
			t := millis(*s.Start)
			run.Start = &t
			if s.Stop != nil && *s.Stop >= *s.Start {
				d := (*s.Stop - *s.Start) / 1000
				run.Duration = &d
			}
		}
		return p.sink.Run(run)
	case "environment":
		var env map[string]any
		if err := p.decode(&env); err != nil {
			return err
		}
		run := ingest.Run{Metadata: map[string]any{"environment": env}}
		if s, ok := env["appName"].(string); ok {
			run.Component = s
		}
		if s, ok := env["testEnvironment"].(string); ok {
			run.Env = s
		}
		return p.sink.Run(run)
	case "tests":
		return p.tests()
	}
	return p.skip()
}

func millis(ms float64) time.Time {
	return time.UnixMilli(int64(ms)).UTC()
}

func (p *parser) tests() error {
	if err := p.expect('[', "results.tests must be an array"); err != nil {
		return err
	}
	for i := 0; p.d.More(); i++ {
		off := p.d.InputOffset()
		var t test
		if err := p.decode(&t); err != nil {
			return err
		}
		c, err := p.toCase(&t)
		if err != nil {
			return ingest.Errorf(Name, 0, off, "tests[%d]: %v", i, err)
		}
		if err := p.sink.Case(c); err != nil {
			return err
		}
	}
	return p.expect(']', "results.tests is not closed")
}

func (p *parser) toCase(t *test) (*ingest.Case, error) {
	if strings.TrimSpace(t.Name) == "" {
		return nil, errors.New("a test without a name")
	}
	c := &ingest.Case{TestID: t.Name, Metadata: map[string]any{}, File: t.FilePath, Line: t.Line}
	raw := strings.ToLower(t.RawStatus)
	switch strings.ToLower(t.Status) {
	case "passed":
		c.Outcome = ingest.Passed
	case "failed":
		c.Outcome = ingest.Failed
	case "skipped":
		c.Outcome = ingest.Skipped
	case "pending", "other":
		c.Outcome = ingest.Skipped
		c.SkipReason = t.Status
		if raw != "" && raw != t.Status {
			c.SkipReason = t.Status + " (" + t.RawStatus + ")"
		}
	default:
		return nil, fmt.Errorf("status %q is not one of passed, failed, skipped, pending, other", t.Status)
	}
	switch raw {
	case "xfail", "xfailed":
		c.Outcome, c.SkipReason = ingest.XFailed, ""
	case "xpass", "xpassed":
		c.Outcome, c.SkipReason = ingest.XPassed, ""
	case "error", "errored", "broken":
		c.Outcome = ingest.Errored
	}
	if t.RawStatus != "" && !strings.EqualFold(t.RawStatus, t.Status) {
		c.Metadata["raw_status"] = t.RawStatus
	}
	if t.Duration != nil && *t.Duration > 0 {
		c.Duration = *t.Duration / 1000
	}
	if t.Start != nil && *t.Start > 0 {
		s := millis(*t.Start)
		c.Start = &s
	}
	c.Suite = suitePath(t.Suite)
	c.Message = strings.TrimSpace(t.Message)
	c.Exception = exceptionOf(c.Message)
	trace := t.Trace
	if c.Message != "" && !strings.Contains(trace, c.Message) && trace != "" {
		trace = c.Message + "\n" + trace
	}
	var cut bool
	c.Trace, cut = ingest.Cut(trace, p.opt.TextCap())
	c.Output, c.Truncated = ingest.Cut(strings.Join(t.Stdout, "\n"), p.opt.TextCap())
	c.Truncated = c.Truncated || cut
	if c.Output != "" {
		c.OutputName = "stdout.log"
	}
	if len(t.Stderr) > 0 {
		s, cut := ingest.Cut(strings.Join(t.Stderr, "\n"), p.opt.TextCap())
		c.Truncated = c.Truncated || cut
		c.Attachments = append(c.Attachments, ingest.Attachment{Name: "stderr.log", Text: s})
	}
	if t.Screenshot != "" {
		c.Attachments = append(c.Attachments, ingest.Attachment{Name: "screenshot.png", ContentType: "image/png",
			Body: base64.NewDecoder(base64.StdEncoding, strings.NewReader(t.Screenshot))})
	}
	for _, a := range t.Attachment {
		// The files themselves are not in the report: their names and
		// paths are kept.
		list, _ := c.Metadata["attachments"].([]any)
		c.Metadata["attachments"] = append(list, map[string]any{"name": a.Name, "contentType": a.ContentType, "path": a.Path})
	}
	if len(t.Tags) > 0 {
		c.Metadata["tags"] = t.Tags
	}
	if t.Type != "" {
		c.Metadata["type"] = t.Type
	}
	if t.Retries != nil && *t.Retries > 0 {
		c.Metadata["retries"] = *t.Retries
	}
	if t.Flaky != nil && *t.Flaky {
		c.Metadata["flaky"] = true
	}
	if t.Browser != "" {
		c.Metadata["browser"] = t.Browser
	}
	if t.Device != "" {
		c.Metadata["device"] = t.Device
	}
	if len(t.Parameters) > 0 {
		c.Metadata["parameters"] = t.Parameters
	}
	if len(t.Extra) > 0 {
		c.Metadata["extra"] = t.Extra
	}
	return c, nil
}

// suitePath reads suite as a string ("a > b", as the reporters write it)
// or an array of strings (newer spec versions).
func suitePath(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		var out []string
		for _, p := range strings.Split(s, " > ") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
		return out
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return list
	}
	return nil
}

// exceptionOf reads the exception's name at the start of a message:
// "TypeError: bad input" (jest) or "TypeError Cannot read…" (mocha).
func exceptionOf(msg string) string {
	end := strings.IndexAny(msg, ": \n")
	if end <= 0 || end > 100 {
		return ""
	}
	head := msg[:end]
	for _, r := range head {
		if !(r == '.' || r == '_' || r == '$' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return ""
		}
	}
	if msg[end] == ':' || strings.HasSuffix(head, "Error") || strings.HasSuffix(head, "Exception") {
		return head
	}
	return ""
}
