package importer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ibutsu-go/ibutsu/pkg/importer/allure"
	"github.com/ibutsu-go/ibutsu/pkg/importer/cucumber"
	"github.com/ibutsu-go/ibutsu/pkg/importer/ingest"
	"github.com/ibutsu-go/ibutsu/pkg/importer/jsonlimit"
	"github.com/ibutsu-go/ibutsu/pkg/importer/junit"
	"github.com/ibutsu-go/ibutsu/pkg/importer/nunit"
	"github.com/ibutsu-go/ibutsu/pkg/importer/playwright"
	"github.com/ibutsu-go/ibutsu/pkg/importer/tcase"
	"github.com/ibutsu-go/ibutsu/pkg/importer/trx"
	"github.com/ibutsu-go/ibutsu/pkg/importer/xunit"
)

// The formats whose parsers hand out tcase.Case (NUnit 3, xUnit.net v2,
// TRX, Cucumber JSON, Playwright JSON, Allure results): detection and the
// adapter onto the neutral sink.
const (
	FormatNUnit      = "nunit3"
	FormatXUnit      = "xunit2"
	FormatTRX        = "trx"
	FormatCucumber   = "cucumber"
	FormatPlaywright = "playwright"
	FormatAllure     = "allure"
)

func detectXMLRoot(roots ...string) func(h *ingest.Head) ingest.Match {
	return func(h *ingest.Head) ingest.Match {
		root, _ := h.XMLRoot()
		for _, r := range roots {
			if root == r {
				return ingest.Sure
			}
		}
		return ingest.No
	}
}

// xmlOptions are the XML parsers' bounds: text at MaxText, one tag at the
// line cap.
func xmlOptions(opt ingest.Options) junit.Options {
	return junit.Options{MaxText: opt.TextCap(), MaxMarkup: opt.LineCap()}
}

// toIngest unwraps a broken file's *ingest.Error from what a parser
// returned; other errors (the sink's) pass unchanged.
func toIngest(err error) error {
	var e *tcase.Error
	if errors.As(err, &e) {
		return e
	}
	return err
}

// caseHandler hands each case to the sink.
func caseHandler(sink ingest.Sink) tcase.Handler {
	return func(c *tcase.Case) error { return sink.Case(neutralCase(c)) }
}

func truncatedText(s string) bool {
	return strings.Contains(s, jsonlimit.Marker) || strings.HasSuffix(strings.TrimRight(s, "\n"), "the text was longer than the import limit]")
}

// neutralCase turns a tcase.Case into the sink's case: properties, tags and
// the class into metadata, stdout into the output artifact, stderr and
// attachments with bytes into artifacts; attachments the report only names
// by path are listed in metadata.attachments_not_imported.
func neutralCase(c *tcase.Case) *ingest.Case {
	md := make(map[string]any, len(c.Properties)+3)
	for k, v := range c.Properties {
		md[k] = v
	}
	if c.Classname != "" {
		md["classname"] = c.Classname
	}
	if len(c.Tags) > 0 {
		md["tags"] = anyList(c.Tags)
	}
	out := &ingest.Case{TestID: c.TestID, Outcome: ingest.Outcome(c.Status), Duration: c.Duration, Component: c.Component,
		Suite: c.Suite, File: c.File, Metadata: md, Message: c.Message, Exception: c.ExceptionType, Trace: c.Traceback,
		SkipReason: c.SkipReason, Output: c.Stdout}
	if c.Stdout != "" {
		out.OutputName = "stdout.log"
	}
	if !c.Start.IsZero() {
		t := c.Start
		out.Start = &t
	}
	if c.Line > 0 {
		l := c.Line
		out.Line = &l
	}
	out.Truncated = truncatedText(c.Traceback) || truncatedText(c.Stdout) || truncatedText(c.Stderr)
	if c.Stderr != "" {
		out.Attachments = append(out.Attachments, ingest.Attachment{Name: "stderr.log", Text: c.Stderr})
	}
	var missing []any
	for _, a := range c.Attachments {
		switch {
		case a.Data != nil && !a.Truncated:
			out.Attachments = append(out.Attachments, ingest.Attachment{Name: a.Name, ContentType: a.ContentType, Body: bytes.NewReader(a.Data)})
		default:
			name := a.Name
			if a.Path != "" {
				name = a.Path
			}
			if a.Truncated {
				out.Truncated = true
			}
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		md["attachments_not_imported"] = missing
	}
	return out
}

func runStart(sink ingest.Sink, ts string, md map[string]any) error {
	r := ingest.Run{Metadata: md}
	if t, ok := tcase.ParseTime(ts); ok {
		r.Start = &t
	}
	if r.Start == nil && len(md) == 0 {
		return nil
	}
	return sink.Run(r)
}

func parseNUnit(r io.Reader, sink ingest.Sink, opt ingest.Options) error {
	run, err := nunit.Parse(r, xmlOptions(opt), caseHandler(sink))
	if err != nil {
		return toIngest(err)
	}
	return runStart(sink, run.StartTime, nil)
}

func parseXUnit(r io.Reader, sink ingest.Sink, opt ingest.Options) error {
	run, err := xunit.Parse(r, xmlOptions(opt), caseHandler(sink))
	if err != nil {
		return toIngest(err)
	}
	return runStart(sink, run.Timestamp, nil)
}

// readCloser adapts the importer's opener to the parsers'.
func tcaseOpener(open func() (io.Reader, error)) tcase.Opener {
	return func() (tcase.ReadCloser, error) {
		r, err := open()
		if err != nil {
			return nil, err
		}
		return io.NopCloser(r), nil
	}
}

func parseTRX(open func() (io.Reader, error), sink ingest.Sink, opt ingest.Options) error {
	run, err := trx.Parse(tcaseOpener(open), xmlOptions(opt), caseHandler(sink))
	if err != nil {
		return toIngest(err)
	}
	md := map[string]any{}
	if run.Name != "" {
		md["trx_run_name"] = run.Name
	}
	return runStart(sink, run.Start, md)
}

func detectCucumber(h *ingest.Head) ingest.Match {
	if kind, _, elem := h.JSON(); cucumber.Detect(kind, elem) {
		return ingest.Sure
	}
	return ingest.No
}

func parseCucumber(open func() (io.Reader, error), sink ingest.Sink, opt ingest.Options) error {
	_, err := cucumber.Parse(tcaseOpener(open), cucumber.Options{MaxText: opt.TextCap(), MaxValue: opt.LineCap()}, caseHandler(sink))
	return toIngest(err)
}

func detectPlaywright(h *ingest.Head) ingest.Match {
	if kind, keys, _ := h.JSON(); playwright.Detect(kind, keys) {
		return ingest.Sure
	}
	return ingest.No
}

func parsePlaywright(r io.Reader, sink ingest.Sink, opt ingest.Options) error {
	run, err := playwright.Parse(r, playwright.Options{MaxText: opt.TextCap(), MaxValue: opt.LineCap()}, caseHandler(sink))
	if err != nil {
		return toIngest(err)
	}
	pm := map[string]any{}
	if run.Version != "" {
		pm["version"] = run.Version
	}
	if len(run.Metadata) > 0 {
		pm["metadata"] = run.Metadata
	}
	if len(run.Errors) > 0 {
		pm["errors"] = anyList(run.Errors)
	}
	info := ingest.Run{}
	if len(pm) > 0 {
		info.Metadata = map[string]any{"playwright": pm}
	}
	if t, ok := tcase.ParseTime(run.StartTime); ok {
		info.Start = &t
	}
	if run.Duration >= 0 {
		d := run.Duration / 1000
		info.Duration = &d
	}
	return sink.Run(info)
}

func detectAllure(h *ingest.Head) ingest.Match {
	if h.Gzip() && allure.Detect(h.TarNames()) {
		return ingest.Sure
	}
	return ingest.No
}

func parseAllure(open func() (io.Reader, error), sink ingest.Sink, opt ingest.Options) error {
	run, err := allure.Parse(tcaseOpener(open), allure.Options{MaxText: opt.TextCap(), MaxValue: opt.LineCap()}, caseHandler(sink))
	if err != nil {
		return toIngest(err)
	}
	info := ingest.Run{}
	if !run.Start.IsZero() {
		t := run.Start
		info.Start = &t
		if run.Stop.After(t) {
			d := run.Stop.Sub(t).Seconds()
			info.Duration = &d
		}
	}
	if len(run.Environment) > 0 {
		info.Metadata = map[string]any{"environment": run.Environment}
	}
	return sink.Run(info)
}

// anyList is xs as the []any a metadata value holds once it has been
// through JSON.
func anyList[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// ParseReport runs the parser of a registered neutral-path format on data
// and hands its cases to sink, as an import would (for the benchmark).
func ParseReport(format string, data []byte, sink ingest.Sink, opt ingest.Options) error {
	f := formatByName(format)
	switch {
	case f == nil:
		return fmt.Errorf("no format %q", format)
	case f.ParseReopen != nil:
		return f.ParseReopen(func() (io.Reader, error) { return bytes.NewReader(data), nil }, sink, opt)
	case f.Parse != nil:
		return f.Parse(bytes.NewReader(data), sink, opt)
	}
	return fmt.Errorf("format %q has no neutral-path parser", format)
}
