// Package xunit reads xUnit.net v2 result XML (<assemblies> documents, the
// console and MSBuild runners' -xml output) as a stream of tokens, handing
// each <test> out as a tcase.Case as soon as it is complete. Assembly-level
// <errors> (fixture and cleanup failures) become error cases too.
package xunit

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
	d          *xml.Decoder
	h          tcase.Handler
	run        Run
	assembly   map[string]string
	collection string
}

// Parse reads one document from r and calls h for every test.
func Parse(r io.Reader, opt Options, h tcase.Handler) (*Run, error) {
	d := xml.NewDecoder(junit.LimitReader(r, opt))
	d.Strict = true
	d.CharsetReader = charset.NewReaderLabel
	p := &parser{d: d, h: h}
	if err := p.parse(); err != nil {
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
		t, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch {
		case !root:
			if !Detect(t.Name.Local) {
				return p.fail("the root element is <" + t.Name.Local + ">, not <assemblies>")
			}
			root = true
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
			if err := tcase.Call(p.h, c); err != nil {
				return err
			}
		default:
			if err := p.d.Skip(); err != nil {
				return err
			}
		}
	}
}

func (p *parser) startAssembly(t xml.StartElement) {
	p.assembly = map[string]string{}
	for _, k := range []string{"name", "environment", "test-framework", "run-date", "run-time", "config-file", "target-framework"} {
		if v := tcase.Attr(t, k); v != "" {
			p.assembly[k] = v
		}
	}
	if p.run.Timestamp == "" && p.assembly["run-date"] != "" {
		p.run.Timestamp = strings.TrimSpace(p.assembly["run-date"] + " " + p.assembly["run-time"])
	}
	p.collection = ""
}

// test reads one <test> (or an assembly-level <error>) to its end.
func (p *parser) test(se xml.StartElement) (*tcase.Case, error) {
	c := &tcase.Case{Properties: map[string]any{}}
	x := map[string]any{}
	if asm := p.assembly["name"]; asm != "" {
		c.Component = baseName(asm)
		x["assembly"] = asm
	}
	for _, k := range []string{"environment", "test-framework", "target-framework"} {
		if v := p.assembly[k]; v != "" {
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
		if m := tcase.Attr(se, "method"); m != "" {
			x["method"] = m
		}
		if id := tcase.Attr(se, "id"); id != "" {
			x["id"] = id
		}
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
	var path []string
	var text strings.Builder
	var msg, stack, reason string
	var warnings []any
	traits := map[string]any{}
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
			case "traits/trait":
				addTrait(c, traits, tcase.Attr(t, "name"), tcase.Attr(t, "value"))
			case "failure":
				c.ExceptionType = tcase.Attr(t, "exception-type")
			}
		case xml.CharData:
			if text.Len() < 1<<26 {
				text.Write(t)
			}
		case xml.EndElement:
			if len(path) == 0 {
				if msg != "" || stack != "" {
					c.Message = msg
					if c.ExceptionType == "" {
						c.ExceptionType, _ = tcase.SplitException(msg)
					}
					c.Traceback = strings.TrimRight(strings.Join(nonEmpty(msg, stack), "\n"), "\n")
				}
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
			switch strings.Join(path, "/") {
			case "failure/message":
				msg = text.String()
			case "failure/stack-trace":
				stack = text.String()
			case "reason":
				reason = text.String()
			case "output":
				c.Stdout = text.String()
			case "warnings/warning":
				warnings = append(warnings, text.String())
			}
			path = path[:len(path)-1]
			text.Reset()
		}
	}
}

// addTrait files a trait: Category/category into tags, the rest into
// metadata.traits (a repeated name becomes a list).
func addTrait(c *tcase.Case, traits map[string]any, name, value string) {
	if strings.EqualFold(name, "category") {
		c.Tags = append(c.Tags, value)
		return
	}
	switch old := traits[name].(type) {
	case nil:
		traits[name] = value
	case string:
		traits[name] = []any{old, value}
	case []any:
		traits[name] = append(old, value)
	}
}

func nonEmpty(parts ...string) []string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}
