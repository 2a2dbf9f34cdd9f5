// Package xunit reads xUnit.net v2 result XML (<assemblies> documents, the
// console and MSBuild runners' -xml output) as a stream of tokens, handing
// each <test> out as a tcase.Case as soon as it is complete. Assembly-level
// <errors> (fixture and cleanup failures) become error cases too.
package xunit

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
const Format = "xUnit.net v2 XML"

// Options bound text and markup (see junit.Options).
type Options = junit.Options

// Detect reports whether a document whose root element is root (with the
// given child element seen first, "" when none yet) is xUnit.net v2 XML.
func Detect(root string) bool { return root == "assemblies" || root == "assembly" }

// Run is what the document says about the whole run.
type Run struct {
	// Timestamp is the <assemblies timestamp> or the first assembly's
	// run-date and run-time ("" when absent).
	Timestamp string
	Cases     int
}

type parser struct {
	s          *xmlscan.Scanner
	h          tcase.Handler
	run        Run
	assembly   map[string]any
	collection string
}

// Parse reads one document from r and calls h for every test.
func Parse(r io.Reader, opt Options, h tcase.Handler) (*Run, error) {
	p := &parser{s: xmlscan.New(r, Format, opt), h: h}
	if err := p.s.Error(p.s.Document([]string{"assemblies", "assembly"}, p.token)); err != nil {
		return nil, err
	}
	return &p.run, nil
}

// token handles a tag outside tests.
func (p *parser) token(tok xml.Token, root bool) error {
	t, ok := tok.(xml.StartElement)
	if !ok {
		return nil
	}
	switch {
	case root:
		p.run.Timestamp = tcase.Attr(t, "timestamp")
		if t.Name.Local == "assembly" {
			p.startAssembly(t)
		}
	case t.Name.Local == "assembly":
		p.startAssembly(t)
	case t.Name.Local == "collection":
		p.collection = tcase.Attr(t, "name")
	case t.Name.Local == "errors":
		// a container: its <error> children are read below
	case t.Name.Local == "test" || t.Name.Local == "error":
		c, err := p.test(t)
		if err != nil {
			return err
		}
		p.run.Cases++
		return tcase.Call(p.h, c)
	default:
		return p.s.Skip()
	}
	return nil
}

// asm is an attribute of the current <assembly>, "" when absent.
func (p *parser) asm(k string) string {
	v, _ := p.assembly[k].(string)
	return v
}

func (p *parser) startAssembly(t xml.StartElement) {
	p.assembly = map[string]any{}
	xmlscan.Attrs(p.assembly, t, "name", "environment", "test-framework", "run-date", "run-time", "config-file", "target-framework")
	if p.run.Timestamp == "" && p.asm("run-date") != "" {
		p.run.Timestamp = strings.TrimSpace(p.asm("run-date") + " " + p.asm("run-time"))
	}
	p.collection = ""
}

// test reads one <test> (or an assembly-level <error>) to its end.
func (p *parser) test(se xml.StartElement) (*tcase.Case, error) {
	c := &tcase.Case{Properties: map[string]any{}}
	x := map[string]any{}
	if asm := p.asm("name"); asm != "" {
		c.Component = casemeta.BaseName(asm)
		x["assembly"] = asm
	}
	for _, k := range []string{"environment", "test-framework", "target-framework"} {
		if v := p.asm(k); v != "" {
			x[k] = v
		}
	}
	if p.collection != "" {
		x["collection"] = p.collection
	}
	c.Properties["xunit"] = x
	result := tcase.Attr(se, "result")
	if se.Name.Local == "error" {
		// <error type="class-cleanup" name="...">: a failure outside any
		// test, kept as an error case so it is not lost.
		typ, name := tcase.Attr(se, "type"), tcase.Attr(se, "name")
		c.Name = "[" + typ + "] " + name
		c.TestID = c.Name
		c.Status = tcase.Errored
		x["error_type"] = typ
	} else {
		c.Name = tcase.Attr(se, "name")
		c.TestID = c.Name
		c.Classname = tcase.Attr(se, "type")
		x["result"] = result
		xmlscan.Attrs(x, se, "method", "id")
		c.File = tcase.Attr(se, "source-file")
		if n, err := strconv.Atoi(tcase.Attr(se, "source-line")); err == nil {
			c.Line = n
		}
		switch result {
		case "Pass":
			c.Status = tcase.Passed
		case "Fail":
			c.Status = tcase.Failed
		default: // Skip, NotRun
			c.Status = tcase.Skipped
		}
	}
	if c.Classname != "" {
		c.Suite = []string{c.Classname}
	}
	if v, err := strconv.ParseFloat(tcase.Attr(se, "time"), 64); err == nil && v >= 0 {
		c.Duration = v
	}
	if t, ok := tcase.ParseTime(tcase.Attr(se, "start-rtf")); ok {
		c.Start = t
	}
	var msg, stack, reason string
	var warnings []any
	traits := map[string]any{}
	start := func(path string, t xml.StartElement) (bool, error) {
		switch path {
		case "traits/trait":
			addTrait(c, traits, tcase.Attr(t, "name"), tcase.Attr(t, "value"))
		case "failure":
			c.ExceptionType = tcase.Attr(t, "exception-type")
		}
		return false, nil
	}
	end := func(path, text string) {
		switch path {
		case "failure/message":
			msg = text
		case "failure/stack-trace":
			stack = text
		case "reason":
			reason = text
		case "output":
			c.Stdout = text
		case "warnings/warning":
			warnings = append(warnings, text)
		}
	}
	if err := p.s.Children(1<<26, start, end); err != nil {
		return nil, err
	}
	casemeta.SetFailure(c, msg, stack)
	c.Traceback = strings.TrimRight(c.Traceback, "\n")
	if c.Status == tcase.Skipped {
		c.SkipReason = reason
	}
	if len(traits) > 0 {
		c.Properties["traits"] = traits
	}
	if len(warnings) > 0 {
		x["warnings"] = warnings
	}
	return c, nil
}

// addTrait files a trait: Category/category into tags, the rest into
// metadata.traits (a repeated name becomes a list).
func addTrait(c *tcase.Case, traits map[string]any, name, value string) {
	if strings.EqualFold(name, "category") {
		c.Tags = append(c.Tags, value)
		return
	}
	casemeta.Add(traits, name, value)
}
