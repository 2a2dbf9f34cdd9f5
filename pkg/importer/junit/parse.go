package junit

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/net/html/charset"
)

// Handler receives a report while it is read. Root is called once, when
// the root element and its <properties> are known (before the first suite
// or case); Case once per <testcase>, in document order. An error from
// either stops the parse and is returned as is.
type Handler interface {
	Root(r *Root) error
	Case(c *Case) error
}

// Report is what the whole document told once it was read to the end.
type Report struct {
	Root *Root
	// SuiteSums sums the attributes of the top-level suites (the source of
	// the summary back-fill, docs/api-compatibility.md#imports); Suites counts
	// them and Cases counts test cases.
	SuiteSums Counts
	Suites    int
	Cases     int
}

// Error is a report that cannot be read, with where it went wrong. Its text
// is meant for the user who uploaded the file.
type Error struct {
	Line   int
	Column int
	Offset int64
	Msg    string
}

func (e *Error) Error() string {
	return fmt.Sprintf("invalid JUnit XML at line %d, column %d (byte offset %d): %s", e.Line, e.Column, e.Offset, e.Msg)
}

// maxSuiteDepth bounds nested <testsuite> elements; real reports nest a
// handful of levels, and the bound keeps recursion shallow on hostile input.
const maxSuiteDepth = 128

// MaxProperties bounds the properties a test case carries, in bytes of
// keys and values plus propertyOverhead each: those of the root and of
// every suite around the case together (each result gets a copy of them
// all), and the case's own apart. Without it 140 KB of report (2000 suite properties, 2000
// cases) took 8 s and 13 MB of stored metadata, and the copies grow with
// the product of the two counts; a suite chain may now hand each case at
// most 64 KiB. Real reports carry a few dozen short properties.
const MaxProperties = 64 << 10

// propertyOverhead is counted per property besides its text, so that
// empty properties are bounded in number too.
const propertyOverhead = 16

// propertiesSize is what props count against MaxProperties.
func propertiesSize(props []Property) int {
	n := 0
	for _, pr := range props {
		n += propertyOverhead + len(pr.Key)
		if pr.Value != nil {
			n += len(*pr.Value)
		}
	}
	return n
}

// PropertySize is what one property counts against MaxProperties, for the
// other XML formats that copy their suites' properties into every case
// (NUnit).
func PropertySize(name, value string) int { return propertyOverhead + len(name) + len(value) }

// CarriedTooMuch reports whether carried bytes of inherited properties,
// summed over the cases of a report read up to offset, are past the bound
// of carriedBase and carriedPerByte.
func CarriedTooMuch(carried, offset int64) bool {
	return carried > carriedBase+carriedPerByte*offset
}

// CarriedMessage is the error text of CarriedTooMuch after cases cases.
func CarriedMessage(cases int) string {
	return fmt.Sprintf("the properties a test case would carry, copied into each of %d test cases, take more than %d times the report's size", cases, carriedPerByte)
}

// PropertiesMessage is the error text of properties past MaxProperties.
func PropertiesMessage() string {
	return fmt.Sprintf("the properties a test case would carry take more than %d bytes", MaxProperties)
}

// inheritedSize is the size of the properties a case of s (nil: before
// any suite) inherits: the root's and those of s and its ancestors (the
// root <testsuite>'s own are the root's, counted once).
func (p *parser) inheritedSize(s *Suite) int {
	if s == nil {
		return p.rootSize
	}
	return p.rootSize + s.chainSize
}

// carriedBase and carriedPerByte bound the copies of inherited properties
// over all the cases of a report: at most carriedBase bytes plus
// carriedPerByte times the report's size so far. Each case alone may
// inherit MaxProperties, but a few KiB of properties over many thousand
// short cases would still cost far more than the report.
const (
	carriedBase    = 64 << 20
	carriedPerByte = 16
)

// carry counts the properties one more case of s inherits.
func (p *parser) carry(s *Suite) error {
	p.carried += int64(p.inheritedSize(s))
	if CarriedTooMuch(p.carried, p.d.InputOffset()) {
		return p.errorf("%s", CarriedMessage(p.rep.Cases+1))
	}
	return nil
}

type parser struct {
	d    *xml.Decoder
	nest Nesting
	// rootSize is the size of the root's properties (propertiesSize) and
	// carried the sum of every case's inherited properties so far.
	rootSize int
	carried  int64
	h        Handler
	rep      Report
	sent     bool
	lim      *limiter
	opt      Options
}

// Parse reads one JUnit XML document from r. The encoding declared in the
// prolog (ISO-8859-1, windows-1252, UTF-16...) is honoured. DTDs are
// skipped and never fetched; entity references other than XML's five
// predefined ones are an error, so neither external entities nor entity
// expansion bombs can do anything.
func Parse(r io.Reader, h Handler) (*Report, error) {
	return ParseWith(r, h, Options{})
}

// ParseWith is Parse with bounds on text and markup (see Options): with
// them, memory stays bounded whatever a single element holds.
func ParseWith(r io.Reader, h Handler, opt Options) (*Report, error) {
	p := &parser{h: h, opt: opt}
	if opt.MaxText > 0 || opt.MaxMarkup > 0 {
		p.lim = newLimiter(r, opt)
		r = p.lim
	}
	d := xml.NewDecoder(r)
	d.Strict = true
	d.CharsetReader = charset.NewReaderLabel
	p.d = d
	for {
		tok, err := p.token()
		if errors.Is(err, io.EOF) {
			return nil, p.errorf("the document has no root element")
		}
		if err != nil {
			return nil, err
		}
		if se, ok := tok.(xml.StartElement); ok {
			if err := p.root(se); err != nil {
				return nil, err
			}
			return &p.rep, p.trailer()
		}
	}
}

// token reads the next token, turning decoder failures into *Error.
func (p *parser) token() (xml.Token, error) {
	tok, err := p.d.Token()
	if err == nil {
		if !p.nest.Track(tok) {
			return nil, p.errorf("%s", TooDeep())
		}
		return tok, nil
	}
	if errors.Is(err, io.EOF) {
		return nil, io.EOF
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		e := p.errorf("%s", se.Msg)
		e.Line = se.Line
		return nil, e
	}
	return nil, p.errorf("%v", err)
}

// next is token where the end of input is an error (inside an element).
func (p *parser) next() (xml.Token, error) {
	tok, err := p.token()
	if errors.Is(err, io.EOF) {
		return nil, p.errorf("unexpected end of document")
	}
	return tok, err
}

func (p *parser) errorf(format string, args ...any) *Error {
	line, col := p.d.InputPos()
	return &Error{Line: line, Column: col, Offset: p.d.InputOffset(), Msg: fmt.Sprintf(format, args...)}
}

// trailer checks that nothing but comments and whitespace follow the root.
func (p *parser) trailer() error {
	for {
		tok, err := p.token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if se, ok := tok.(xml.StartElement); ok {
			return p.errorf("element <%s> after the root element", se.Name.Local)
		}
	}
}

// skip consumes the rest of an element (see SkipRest).
func (p *parser) skip() error { return SkipRest(p.next) }

// children reads the children of the element whose start tag was just
// read, up to and including its end tag. start gets each child's start tag
// and must consume that child to its end; text and comments between the
// children are passed over.
func (p *parser) children(start func(xml.StartElement) error) error {
	for {
		tok, err := p.next()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := start(t); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}

// text returns the character data inside the current element (CDATA
// included, nested elements' text too) and consumes its end tag. cut is
// true when some of it was dropped for Options.MaxText: a single run by
// the limiter (which reads ahead, so its cut shows as the marker in the
// text), or the element's runs together here.
func (p *parser) text() (txt string, cut bool, err error) {
	var b strings.Builder
	depth := 1
	for depth > 0 {
		tok, err := p.next()
		if err != nil {
			return "", false, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if p.opt.MaxText > 0 && b.Len()+len(t) > p.opt.MaxText {
				if !cut {
					b.Write(t[:max(0, p.opt.MaxText-b.Len())])
					b.WriteString(textMarker)
				}
				cut = true
				continue
			}
			if p.lim != nil && !cut && bytes.Contains(t, markerBytes) {
				cut = true
			}
			b.Write(t)
		}
	}
	return b.String(), cut, nil
}

func attr(se xml.StartElement, name string) (string, bool) {
	for _, a := range se.Attr {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value, true
		}
	}
	return "", false
}

func (p *parser) counts(se xml.StartElement) (Counts, error) {
	var c Counts
	fields := []struct {
		name string
		dst  *int64
	}{{"tests", &c.Tests}, {"failures", &c.Failures}, {"errors", &c.Errors}, {"skipped", &c.Skipped},
		{"xfailures", &c.XFailures}, {"xpasses", &c.XPasses}}
	for _, f := range fields {
		v, _ := attr(se, f.name)
		n, err := parseCount(f.name, v)
		if err != nil {
			return c, p.errorf("<%s>: %v", se.Name.Local, err)
		}
		*f.dst = n
	}
	v, _ := attr(se, "time")
	t, err := parseSeconds(v)
	if err != nil {
		return c, p.errorf("<%s>: %v", se.Name.Local, err)
	}
	c.Time = t
	return c, nil
}

// jvmDump names properties only a JVM's system-properties dump holds:
// a <properties> block with one of them (Surefire writes the whole dump
// into every suite) keeps only its key= properties.
var jvmDump = map[string]bool{"java.version": true, "java.vm.version": true, "java.home": true, "java.vendor": true, "java.class.path": true}

// properties reads a <properties> element: <property key=… value=…>
// (upstream's form) and <property name=… value=…> (the common one: pytest's
// record_property, go-junit-report, Ant), except in a JVM system-properties
// dump. key= wins when a property has both.
//
// used is the size (propertiesSize) of the properties the element's test
// cases already carry; past MaxProperties in all the report is refused.
func (p *parser) properties(used int) ([]Property, error) {
	var out, named []Property
	dump := false
	err := p.children(func(t xml.StartElement) error {
		if t.Name.Local == "property" {
			if used += propertyOverhead; used > MaxProperties {
				return p.errorf("%s", PropertiesMessage())
			}
			var prop Property
			k, ok := attr(t, "key")
			if !ok {
				if k, ok = attr(t, "name"); ok {
					dump = dump || jvmDump[k]
				}
			}
			if ok {
				prop.Key = k
				if v, ok := attr(t, "value"); ok {
					prop.Value = &v
				} else if txt, ok := attr(t, "text"); ok {
					prop.Value = &txt
				}
				if used += propertiesSize([]Property{prop}) - propertyOverhead; used > MaxProperties {
					return p.errorf("%s", PropertiesMessage())
				}
				if _, keyed := attr(t, "key"); keyed {
					out = append(out, prop)
				} else {
					named = append(named, prop)
				}
			}
		}
		return p.skip()
	})
	if err != nil {
		return nil, err
	}
	if !dump {
		out = append(out, named...)
	}
	return out, nil
}

// sendRoot hands the root to the handler once.
func (p *parser) sendRoot() error {
	if p.sent {
		return nil
	}
	p.sent = true
	return p.h.Root(p.rep.Root)
}

func (p *parser) root(se xml.StartElement) error {
	name := se.Name.Local
	if name != "testsuites" && name != "testsuite" {
		return p.errorf("the root element is <%s>; expected <testsuites> or <testsuite>", name)
	}
	c, err := p.counts(se)
	if err != nil {
		return err
	}
	r := &Root{Element: name, Counts: c}
	r.Name, _ = attr(se, "name")
	r.Timestamp, _ = attr(se, "timestamp")
	p.rep.Root = r
	if name == "testsuite" {
		s := newSuite(se, nil, c, true)
		if err := p.suiteBody(s, 1, func(props []Property) {
			r.Properties = append(r.Properties, props...)
			p.rootSize += propertiesSize(props)
		}); err != nil {
			return err
		}
		p.rep.SuiteSums = c
		p.rep.Suites = 1
		return p.sendRoot()
	}
	err = p.children(func(t xml.StartElement) error {
		if t.Name.Local == "properties" {
			props, err := p.properties(p.inheritedSize(nil))
			r.Properties = append(r.Properties, props...)
			p.rootSize += propertiesSize(props)
			return err
		}
		if err := p.sendRoot(); err != nil {
			return err
		}
		if t.Name.Local != "testsuite" {
			return p.skip()
		}
		return p.suite(t, nil, true, 1)
	})
	if err != nil {
		return err
	}
	if p.rep.Suites == 0 {
		return p.errorf("<testsuites> holds no <testsuite>")
	}
	return p.sendRoot()
}

func newSuite(se xml.StartElement, parent *Suite, c Counts, top bool) *Suite {
	s := &Suite{Parent: parent, Counts: c, TopLevel: top}
	if parent != nil {
		s.chainSize = parent.chainSize
	}
	s.Name, _ = attr(se, "name")
	s.File, _ = attr(se, "file")
	return s
}

// suite reads a <testsuite> below the root.
func (p *parser) suite(se xml.StartElement, parent *Suite, top bool, depth int) error {
	if depth > maxSuiteDepth {
		return p.errorf("<testsuite> nested deeper than %d levels", maxSuiteDepth)
	}
	c, err := p.counts(se)
	if err != nil {
		return err
	}
	if top {
		p.rep.SuiteSums = p.rep.SuiteSums.Add(c)
		p.rep.Suites++
	}
	return p.suiteBody(newSuite(se, parent, c, top), depth, nil)
}

// suiteBody reads a suite's children up to its end tag. onProps, when set,
// also receives the suite's properties (the root <testsuite> case, whose
// properties are the run's too).
func (p *parser) suiteBody(s *Suite, depth int, onProps func([]Property)) error {
	return p.children(func(t xml.StartElement) error {
		if t.Name.Local == "properties" {
			props, err := p.properties(p.inheritedSize(s))
			if err != nil {
				return err
			}
			s.Properties = append(s.Properties, props...)
			if onProps != nil {
				onProps(props) // the root <testsuite>: the root's properties
			} else {
				s.chainSize += propertiesSize(props)
			}
			return nil
		}
		if err := p.sendRoot(); err != nil {
			return err
		}
		switch t.Name.Local {
		case "testcase":
			if err := p.carry(s); err != nil {
				return err
			}
			c, err := p.testcase(t, s)
			if err != nil {
				return err
			}
			p.rep.Cases++
			return p.h.Case(c)
		case "testsuite":
			return p.suite(t, s, false, depth+1)
		}
		return p.skip()
	})
}
