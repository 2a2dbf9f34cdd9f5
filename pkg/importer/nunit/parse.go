// Package nunit reads NUnit 3 result XML (nunit3-console's TestResult.xml,
// <test-run> documents) as a stream of tokens, handing each <test-case> out
// as a tcase.Case as soon as it is complete: one case in memory at a time,
// whatever the file's size.
package nunit

import (
	"encoding/xml"
	"io"
	"strconv"
	"strings"

	"github.com/ibutsu-go/ibutsu/pkg/importer/casemeta"
	"github.com/ibutsu-go/ibutsu/pkg/importer/junit"
	"github.com/ibutsu-go/ibutsu/pkg/importer/tcase"
	"github.com/ibutsu-go/ibutsu/pkg/importer/xmlscan"
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
	size                int // of props, in junit.PropertySize
}

type prop struct{ name, value string }

type parser struct {
	s      *xmlscan.Scanner
	h      tcase.Handler
	suites []suite
	run    Run
	// inSuiteProps is set inside the innermost open suite's <properties>.
	inSuiteProps bool
	// inherited is the size of the open suites' properties, which every
	// case below them gets a copy of (at most junit.MaxProperties), and
	// carried its sum over the cases so far (junit.CarriedTooMuch).
	inherited int
	carried   int64
}

// Parse reads one document from r and calls h for every test case.
func Parse(r io.Reader, opt Options, h tcase.Handler) (*Run, error) {
	p := &parser{s: xmlscan.New(r, Format, opt), h: h}
	if err := p.s.Error(p.s.Document([]string{"test-run"}, p.token)); err != nil {
		return nil, err
	}
	return &p.run, nil
}

// token handles a tag outside test cases.
func (p *parser) token(tok xml.Token, root bool) error {
	switch t := tok.(type) {
	case xml.StartElement:
		switch {
		case root:
			p.run.StartTime = tcase.Attr(t, "start-time")
		case t.Name.Local == "test-suite":
			p.suites = append(p.suites, suite{name: tcase.Attr(t, "name"), typ: tcase.Attr(t, "type"), fullname: tcase.Attr(t, "fullname")})
		case t.Name.Local == "properties" && len(p.suites) > 0:
			p.inSuiteProps = true
		case t.Name.Local == "property" && p.inSuiteProps:
			s := &p.suites[len(p.suites)-1]
			pr := prop{tcase.Attr(t, "name"), tcase.Attr(t, "value")}
			n := junit.PropertySize(pr.name, pr.value)
			if p.inherited+n > junit.MaxProperties {
				return p.s.Fail(junit.PropertiesMessage())
			}
			s.props, s.size, p.inherited = append(s.props, pr), s.size+n, p.inherited+n
		case t.Name.Local == "test-case":
			if p.carried += int64(p.inherited); junit.CarriedTooMuch(p.carried, p.s.InputOffset()) {
				return p.s.Fail(junit.CarriedMessage(p.run.Cases + 1))
			}
			c, err := p.testCase(t)
			if err != nil {
				return err
			}
			p.run.Cases++
			return tcase.Call(p.h, c)
		case !p.inSuiteProps:
			// Anything else outside test cases (environment, settings,
			// suite-level failure/reason/output) is skipped whole.
			return p.s.Skip()
		}
	case xml.EndElement:
		switch t.Name.Local {
		case "test-suite":
			if len(p.suites) > 0 {
				p.inherited -= p.suites[len(p.suites)-1].size
				p.suites = p.suites[:len(p.suites)-1]
			}
		case "properties":
			p.inSuiteProps = false
		}
	}
	return nil
}

// testCase reads one <test-case> to its end.
func (p *parser) testCase(se xml.StartElement) (*tcase.Case, error) {
	c := &tcase.Case{Name: tcase.Attr(se, "name"), Classname: tcase.Attr(se, "classname"), Properties: map[string]any{}}
	c.TestID = tcase.Attr(se, "fullname")
	if c.TestID == "" {
		c.TestID = casemeta.Join(".", c.Classname, c.Name)
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
	xmlscan.Attrs(nunit, se, "label", "site", "runstate", "methodname", "id", "seed")
	c.Properties["nunit"] = nunit

	var failMsg, failStack, reason, output string
	var assertions []map[string]any
	var cur map[string]any
	var attach tcase.Attachment
	own := 0 // size of the case's own properties, at most junit.MaxProperties
	start := func(path string, t xml.StartElement) (bool, error) {
		switch path {
		case "properties/property":
			pr := prop{tcase.Attr(t, "name"), tcase.Attr(t, "value")}
			if own += junit.PropertySize(pr.name, pr.value); own > junit.MaxProperties {
				return false, p.s.Fail(junit.PropertiesMessage())
			}
			addProp(c, pr)
		case "assertions/assertion":
			cur = map[string]any{"result": tcase.Attr(t, "result")}
		case "attachments/attachment":
			attach = tcase.Attachment{}
		}
		return false, nil
	}
	end := func(path, text string) {
		switch path {
		case "failure/message":
			failMsg = text
		case "failure/stack-trace":
			failStack = text
		case "reason/message":
			reason = text
		case "output":
			output = text
		case "assertions/assertion/message":
			if cur != nil {
				cur["message"] = text
			}
		case "assertions/assertion/stack-trace":
			if cur != nil {
				cur["stack_trace"] = text
			}
		case "assertions/assertion":
			if cur != nil {
				assertions = append(assertions, cur)
				cur = nil
			}
		case "attachments/attachment/filePath":
			attach.Path = strings.TrimSpace(text)
			attach.Name = casemeta.BaseName(attach.Path)
		case "attachments/attachment/description":
			attach.ContentType = ""
			c.Properties["nunit_attachment_description"] = text
		case "attachments/attachment":
			if attach.Path != "" {
				c.Attachments = append(c.Attachments, attach)
			}
		}
	}
	if err := p.s.Children(1<<26, start, end); err != nil {
		return nil, err
	}
	if failMsg == "" && (c.Status == tcase.Failed || c.Status == tcase.Errored) && !knownLabel(label) {
		// nunit3-console writes a timeout as an empty <failure/> with the
		// reason in the label.
		failMsg = label
	}
	casemeta.SetFailure(c, failMsg, failStack)
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
		casemeta.Add(props, pr.name, pr.value)
	}
}
