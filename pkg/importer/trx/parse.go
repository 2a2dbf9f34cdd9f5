// Package trx reads Visual Studio / dotnet test TRX files (<TestRun>
// documents of the TeamTest/2010 schema) as a stream of tokens, handing
// each <UnitTestResult> out as a tcase.Case.
//
// A result names its test by id; the class, categories, owners and
// properties live in the <TestDefinitions> that `dotnet test` writes after
// the results (Visual Studio before them). The parser keeps only those
// small definitions in memory: when they come first it reads the file
// once, otherwise a first pass collects them and a second streams the
// results.
package trx

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
const Format = "TRX"

// Options bound text and markup (see junit.Options).
type Options = junit.Options

// Detect reports whether a document whose root element is root is TRX.
func Detect(root string) bool { return root == "TestRun" }

// Run is what the document says about the whole run.
type Run struct {
	Name, User string
	// Start is the <Times start> attribute ("" when absent).
	Start string
	// Outcome is the <ResultSummary outcome>.
	Outcome string
	Cases   int
	// Passes is 1 or 2: how often the file was read.
	Passes int
}

type def struct {
	class, method, storage string
	extra                  map[string]any
	tags                   []string
}

type parser struct {
	d       *xml.Decoder
	h       tcase.Handler
	run     Run
	defs    map[string]*def
	interns map[string]string
	// defsDone is set once </TestDefinitions> has been read.
	defsDone bool
	// deferred is set when results came before the definitions.
	deferred bool
	emit     bool
}

// Parse reads the document open returns (once or twice, see the package
// doc) and calls h for every result.
func Parse(open tcase.Opener, opt Options, h tcase.Handler) (*Run, error) {
	p := &parser{h: h, defs: map[string]*def{}, interns: map[string]string{}, emit: true}
	if err := p.pass(open, opt); err != nil {
		return nil, err
	}
	if p.deferred {
		p.emit = false // results only, definitions are known
		if err := p.pass(open, opt); err != nil {
			return nil, err
		}
	}
	return &p.run, nil
}

func (p *parser) pass(open tcase.Opener, opt Options) error {
	r, err := open()
	if err != nil {
		return err
	}
	defer func() { _ = r.Close() }() // read side
	p.run.Passes++
	d := xml.NewDecoder(junit.LimitReader(r, opt))
	d.Strict = true
	d.CharsetReader = charset.NewReaderLabel
	p.d = d
	if err := p.parse(); err != nil {
		return tcase.XMLError(d, Format, err)
	}
	return nil
}

func (p *parser) fail(msg string) error {
	line, _ := p.d.InputPos()
	return &tcase.Error{Format: Format, Line: line, Offset: p.d.InputOffset(), Msg: msg}
}

func (p *parser) intern(s string) string {
	if v, ok := p.interns[s]; ok {
		return v
	}
	p.interns[s] = s
	return s
}

// second reports whether this is the results-only second pass.
func (p *parser) second() bool { return !p.emit }

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
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case !root:
				if t.Name.Local != "TestRun" {
					return p.fail("the root element is <" + t.Name.Local + ">, not <TestRun>")
				}
				root = true
				if !p.second() {
					p.run.Name, p.run.User = tcase.Attr(t, "name"), tcase.Attr(t, "runUser")
				}
			case t.Name.Local == "Times" && !p.second():
				p.run.Start = tcase.Attr(t, "start")
				if err := p.d.Skip(); err != nil {
					return err
				}
			case t.Name.Local == "ResultSummary" && !p.second():
				p.run.Outcome = tcase.Attr(t, "outcome")
				if err := p.d.Skip(); err != nil {
					return err
				}
			case t.Name.Local == "TestDefinitions" || t.Name.Local == "Results":
				// containers
			case t.Name.Local == "UnitTest":
				if p.second() {
					if err := p.d.Skip(); err != nil {
						return err
					}
					continue
				}
				if err := p.definition(t); err != nil {
					return err
				}
			case t.Name.Local == "UnitTestResult" || strings.HasSuffix(t.Name.Local, "TestResult"):
				if !p.defsDone && !p.second() {
					// results before definitions: read them in a second pass
					p.deferred = true
				}
				if p.deferred && !p.second() {
					if err := p.d.Skip(); err != nil {
						return err
					}
					continue
				}
				cases, err := p.result(t, nil)
				if err != nil {
					return err
				}
				for _, c := range cases {
					p.run.Cases++
					if err := tcase.Call(p.h, c); err != nil {
						return err
					}
				}
			default:
				if err := p.d.Skip(); err != nil {
					return err
				}
			}
		case xml.EndElement:
			if t.Name.Local == "TestDefinitions" {
				p.defsDone = true
			}
			if t.Name.Local == "Results" && p.second() {
				// The rest (definitions, summary) was read in the first
				// pass; a broken tail was reported there.
				return nil
			}
		}
	}
}

// definition reads one <UnitTest> of <TestDefinitions>.
func (p *parser) definition(se xml.StartElement) error {
	id := tcase.Attr(se, "id")
	df := &def{storage: p.intern(tcase.Attr(se, "storage"))}
	var path []string
	var text strings.Builder
	var key string
	props := map[string]any{}
	for {
		tok, err := p.d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			path = append(path, t.Name.Local)
			text.Reset()
			switch strings.Join(path, "/") {
			case "TestMethod":
				cls, _, _ := strings.Cut(tcase.Attr(t, "className"), ",")
				df.class = p.intern(strings.TrimSpace(cls))
				df.method = tcase.Attr(t, "name")
			case "TestCategory/TestCategoryItem":
				df.tags = append(df.tags, tcase.Attr(t, "TestCategory"))
			case "Owners/Owner":
				df.setExtra("owner", tcase.Attr(t, "name"))
			}
		case xml.CharData:
			if text.Len() < 1<<20 {
				text.Write(t)
			}
		case xml.EndElement:
			if len(path) == 0 {
				if len(props) > 0 {
					df.setExtra("properties", props)
				}
				if se.Name.Local == "UnitTest" && id != "" {
					p.defs[id] = df
				}
				if pr := tcase.Attr(se, "priority"); pr != "" {
					df.setExtra("priority", pr)
				}
				return nil
			}
			switch strings.Join(path, "/") {
			case "Description":
				df.setExtra("description", text.String())
			case "Properties/Property/Key":
				key = text.String()
			case "Properties/Property/Value":
				props[key] = text.String()
			}
			path = path[:len(path)-1]
			text.Reset()
		}
	}
}

func (df *def) setExtra(k string, v any) {
	if df.extra == nil {
		df.extra = map[string]any{}
	}
	df.extra[k] = v
}

// result reads one <UnitTestResult> to its end; a data-driven result is
// handed out as its rows (<InnerResults>), each a case of its own.
func (p *parser) result(se xml.StartElement, parent *tcase.Case) ([]*tcase.Case, error) {
	c := &tcase.Case{Name: tcase.Attr(se, "testName"), Properties: map[string]any{}}
	outcome := tcase.Attr(se, "outcome")
	tm := map[string]any{"outcome": outcome}
	for _, k := range []string{"computerName", "executionId", "testId", "resultType", "dataRowInfo"} {
		if v := tcase.Attr(se, k); v != "" {
			tm[k] = v
		}
	}
	c.Properties["trx"] = tm
	if df := p.defs[tcase.Attr(se, "testId")]; df != nil {
		c.Classname = df.class
		c.Component = baseName(df.storage)
		c.Tags = append(c.Tags, df.tags...)
		for k, v := range df.extra {
			c.Properties[k] = v
		}
		if df.method != "" {
			tm["method"] = df.method
		}
	} else if parent != nil {
		c.Classname, c.Component, c.Tags = parent.Classname, parent.Component, parent.Tags
	}
	switch {
	case c.Classname == "" || strings.HasPrefix(c.Name, c.Classname+"."):
		c.TestID = c.Name
	default:
		c.TestID = c.Classname + "." + c.Name
	}
	if c.Classname != "" {
		c.Suite = []string{c.Classname}
	}
	c.Status = status(outcome)
	c.Duration = duration(tcase.Attr(se, "duration"))
	if t, ok := tcase.ParseTime(tcase.Attr(se, "startTime")); ok {
		c.Start = t
	}
	var path []string
	var text strings.Builder
	var msg, stack string
	var messages []any
	var inner []*tcase.Case
	for {
		tok, err := p.d.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if strings.Join(path, "/") == "InnerResults" {
				rows, err := p.result(t, c)
				if err != nil {
					return nil, err
				}
				inner = append(inner, rows...)
				continue
			}
			path = append(path, t.Name.Local)
			text.Reset()
			if strings.Join(path, "/") == "ResultFiles/ResultFile" {
				if pth := tcase.Attr(t, "path"); pth != "" {
					c.Attachments = append(c.Attachments, tcase.Attachment{Name: baseName(pth), Path: pth})
				}
			}
		case xml.CharData:
			if text.Len() < 1<<26 {
				text.Write(t)
			}
		case xml.EndElement:
			if len(path) == 0 {
				if msg != "" || stack != "" {
					c.Message = msg
					c.ExceptionType, _ = tcase.SplitException(msg)
					c.Traceback = strings.Join(nonEmpty(msg, stack), "\n")
				}
				if c.Status == tcase.Skipped && c.SkipReason == "" {
					c.SkipReason = msg
				}
				if len(messages) > 0 {
					tm["messages"] = messages
				}
				if len(inner) > 0 {
					return inner, nil
				}
				return []*tcase.Case{c}, nil
			}
			switch strings.Join(path, "/") {
			case "Output/StdOut":
				c.Stdout = text.String()
			case "Output/StdErr":
				c.Stderr = text.String()
			case "Output/DebugTrace":
				tm["debug_trace"] = text.String()
			case "Output/ErrorInfo/Message":
				msg = text.String()
			case "Output/ErrorInfo/StackTrace":
				stack = text.String()
			case "Output/TextMessages/Message":
				messages = append(messages, text.String())
			}
			path = path[:len(path)-1]
			text.Reset()
		}
	}
}

// status maps a TRX outcome onto Ibutsu's outcomes.
func status(outcome string) tcase.Status {
	switch outcome {
	case "Passed", "PassedButRunAborted", "Completed", "Warning":
		return tcase.Passed
	case "Failed":
		return tcase.Failed
	case "Error", "Timeout", "Aborted", "NotRunnable", "Disconnected":
		return tcase.Errored
	}
	// NotExecuted, Inconclusive, Pending, InProgress and unknown outcomes
	return tcase.Skipped
}

// duration reads "hh:mm:ss.fffffff" (days may precede as "d.hh:...").
func duration(s string) float64 {
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return 0
	}
	hp := parts[0]
	days := 0.0
	if d, h, ok := strings.Cut(hp, "."); ok {
		v, err := strconv.ParseFloat(d, 64)
		if err != nil {
			return 0
		}
		days, hp = v, h
	}
	h, err1 := strconv.ParseFloat(hp, 64)
	m, err2 := strconv.ParseFloat(parts[1], 64)
	sec, err3 := strconv.ParseFloat(parts[2], 64)
	if err1 != nil || err2 != nil || err3 != nil || h < 0 || m < 0 || sec < 0 {
		return 0
	}
	return days*86400 + h*3600 + m*60 + sec
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
