// Package nunit reads NUnit 3 result XML (nunit3-console's TestResult.xml,
// <test-run> documents) as a stream of tokens, handing each <test-case> out
// as a tcase.Case as soon as it is complete: one case in memory at a time,
// whatever the file's size.
package nunit

import (
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"

	"golang.org/x/net/html/charset"

	"github.com/ibutsu-go/ibutsu/pkg/importer/junit"
	"github.com/ibutsu-go/ibutsu/pkg/importer/tcase"
)

// Format is the name the importer knows this format by.
const Format = "NUnit 3 XML"

// Options bound text and markup (see junit.Options).
type Options = junit.Options

// Detect reports whether the start of a document is NUnit 3 XML: its root
// element is <test-run>.
func Detect(root string) bool { return root == "test-run" }

// Run is what the <test-run> element says about the whole run.
type Run struct {
	// Start is the run's start-time; zero when absent.
	StartTime string
	Cases     int
}

type suite struct {
	name, typ, fullname string
	props               []prop
}

type prop struct{ name, value string }

type parser struct {
	d      *xml.Decoder
	h      tcase.Handler
	suites []suite
	run    Run
}

// Parse reads one document from r and calls h for every test case.
func Parse(r io.Reader, opt Options, h tcase.Handler) (*Run, error) {
	d := xml.NewDecoder(junit.LimitReader(r, opt))
	d.Strict = true
	d.CharsetReader = charset.NewReaderLabel
	p := &parser{d: d, h: h}
	err := p.parse()
	if err != nil {
		return nil, tcase.XMLError(d, Format, err)
	}
	return &p.run, nil
}

func (p *parser) fail(msg string) error {
	line, _ := p.d.InputPos()
	return &tcase.Error{Format: Format, Line: line, Offset: p.d.InputOffset(), Msg: msg}
}

func (p *parser) parse() error {
	root := false
	// props collects <property> of the innermost open suite's <properties>.
	inSuiteProps := false
	for {
		tok, err := p.d.Token()
		if errors.Is(err, io.EOF) {
			if !root {
				return p.fail("the document has no root element")
			}
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case !root:
				if t.Name.Local != "test-run" {
					return p.fail("the root element is <" + t.Name.Local + ">, not <test-run>")
				}
				root = true
				p.run.StartTime = tcase.Attr(t, "start-time")
			case t.Name.Local == "test-suite":
				p.suites = append(p.suites, suite{name: tcase.Attr(t, "name"), typ: tcase.Attr(t, "type"), fullname: tcase.Attr(t, "fullname")})
			case t.Name.Local == "properties" && len(p.suites) > 0:
				inSuiteProps = true
			case t.Name.Local == "property" && inSuiteProps:
				s := &p.suites[len(p.suites)-1]
				s.props = append(s.props, prop{tcase.Attr(t, "name"), tcase.Attr(t, "value")})
			case t.Name.Local == "test-case":
				c, err := p.testCase(t)
				if err != nil {
					return err
				}
				p.run.Cases++
				if err := tcase.Call(p.h, c); err != nil {
					return err
				}
			default:
				// Anything else outside test cases (environment,
				// settings, suite-level failure/reason/output) is
				// skipped whole.
				if !inSuiteProps {
					if err := p.d.Skip(); err != nil {
						return err
					}
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "test-suite":
				if len(p.suites) > 0 {
					p.suites = p.suites[:len(p.suites)-1]
				}
			case "properties":
				inSuiteProps = false
			}
		}
	}
}

// testCase reads one <test-case> to its end.
func (p *parser) testCase(se xml.StartElement) (*tcase.Case, error) {
	c := &tcase.Case{Name: tcase.Attr(se, "name"), Classname: tcase.Attr(se, "classname"), Properties: map[string]any{}}
	full := tcase.Attr(se, "fullname")
	c.TestID = full
	if c.TestID == "" {
		c.TestID = joinNonEmpty(".", c.Classname, c.Name)
	}
	for _, s := range p.suites {
		c.Suite = append(c.Suite, s.name)
		if s.typ == "Assembly" && c.Component == "" {
			c.Component = s.name
		}
		for _, pr := range s.props {
			addProp(c, pr)
		}
	}
	result, label, site := tcase.Attr(se, "result"), tcase.Attr(se, "label"), tcase.Attr(se, "site")
	c.Status = status(result, label, site)
	if v, err := strconv.ParseFloat(tcase.Attr(se, "duration"), 64); err == nil && v >= 0 {
		c.Duration = v
	}
	if t, ok := tcase.ParseTime(tcase.Attr(se, "start-time")); ok {
		c.Start = t
	}
	nunit := map[string]any{"result": result}
	for _, k := range []string{"label", "site", "runstate", "methodname", "id", "seed"} {
		if v := tcase.Attr(se, k); v != "" {
			nunit[k] = v
		}
	}
	c.Properties["nunit"] = nunit

	var path []string
	var text strings.Builder
	var failMsg, failStack, reason, output string
	var assertions []map[string]any
	var cur map[string]any
	var attach tcase.Attachment
	for {
		tok, err := p.d.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			path = append(path, t.Name.Local)
			text.Reset()
			switch strings.Join(path, "/") {
			case "properties/property":
				addProp(c, prop{tcase.Attr(t, "name"), tcase.Attr(t, "value")})
			case "assertions/assertion":
				cur = map[string]any{"result": tcase.Attr(t, "result")}
			case "attachments/attachment":
				attach = tcase.Attachment{}
			}
		case xml.CharData:
			if text.Len() < 1<<26 {
				text.Write(t)
			}
		case xml.EndElement:
			if len(path) == 0 {
				// </test-case>
				if failMsg == "" && (c.Status == tcase.Failed || c.Status == tcase.Errored) && !knownLabel(label) {
					// nunit3-console writes a timeout as an empty
					// <failure/> with the reason in the label.
					failMsg = label
				}
				c.Message = failMsg
				if failMsg != "" || failStack != "" {
					c.ExceptionType, _ = tcase.SplitException(failMsg)
					c.Traceback = joinNonEmpty("\n", failMsg, failStack)
				}
				if c.Status == tcase.Skipped {
					c.SkipReason = reason
				} else if reason != "" {
					nunit["reason"] = reason
				}
				c.Stdout = output
				if len(assertions) > 0 {
					nunit["assertions"] = assertions
				}
				return c, nil
			}
			switch strings.Join(path, "/") {
			case "failure/message":
				failMsg = text.String()
			case "failure/stack-trace":
				failStack = text.String()
			case "reason/message":
				reason = text.String()
			case "output":
				output = text.String()
			case "assertions/assertion/message":
				if cur != nil {
					cur["message"] = text.String()
				}
			case "assertions/assertion/stack-trace":
				if cur != nil {
					cur["stack_trace"] = text.String()
				}
			case "assertions/assertion":
				if cur != nil {
					assertions = append(assertions, cur)
					cur = nil
				}
			case "attachments/attachment/filePath":
				attach.Path = strings.TrimSpace(text.String())
				attach.Name = baseName(attach.Path)
			case "attachments/attachment/description":
				attach.ContentType = ""
				c.Properties["nunit_attachment_description"] = text.String()
			case "attachments/attachment":
				if attach.Path != "" {
					c.Attachments = append(c.Attachments, attach)
				}
			}
			path = path[:len(path)-1]
			text.Reset()
		}
	}
}

// status maps NUnit's result/label/site onto Ibutsu's outcomes.
func status(result, label, site string) tcase.Status {
	switch result {
	case "Passed":
		return tcase.Passed
	case "Warning":
		return tcase.Passed
	case "Failed":
		switch label {
		case "Error", "Invalid", "Cancelled":
			return tcase.Errored
		}
		if site == "SetUp" || site == "TearDown" || site == "Parent" {
			return tcase.Errored
		}
		return tcase.Failed
	case "Skipped", "Inconclusive":
		return tcase.Skipped
	}
	return tcase.Skipped
}

func knownLabel(l string) bool {
	switch l {
	case "", "Error", "Invalid", "Cancelled", "Ignored", "Explicit":
		return true
	}
	return false
}

// addProp puts a property into the case: Category into tags, the
// framework's own (_SKIPREASON, _PID...) nowhere, the rest into
// metadata.properties (repeated names become lists).
func addProp(c *tcase.Case, pr prop) {
	switch {
	case pr.name == "Category":
		for _, t := range c.Tags {
			if t == pr.value {
				return
			}
		}
		c.Tags = append(c.Tags, pr.value)
	case strings.HasPrefix(pr.name, "_") || pr.name == "":
	default:
		props, _ := c.Properties["properties"].(map[string]any)
		if props == nil {
			props = map[string]any{}
			c.Properties["properties"] = props
		}
		switch old := props[pr.name].(type) {
		case nil:
			props[pr.name] = pr.value
		case string:
			props[pr.name] = []any{old, pr.value}
		case []any:
			props[pr.name] = append(old, pr.value)
		}
	}
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}
