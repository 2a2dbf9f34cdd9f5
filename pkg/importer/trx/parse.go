// Package trx reads Visual Studio / dotnet test TRX files (<TestRun>
// documents of the TeamTest/2010 schema) as a stream of tokens, handing
// each <UnitTestResult> out as a tcase.Case.
//
// A result names its test by id; the class, categories, owners and
// properties live in the <TestDefinitions> that `dotnet test` writes after
// the results (Visual Studio before them). The parser keeps those
// definitions in a temporary file (diskmap), not in memory, so that a
// report of any number of tests is read in bounded memory: when they come
// first it reads the file once, otherwise a first pass collects them and a
// second streams the results.
package trx

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/ibutsu-go/ibutsu/pkg/importer/casemeta"
	"github.com/ibutsu-go/ibutsu/pkg/importer/diskmap"
	"github.com/ibutsu-go/ibutsu/pkg/importer/junit"
	"github.com/ibutsu-go/ibutsu/pkg/importer/tcase"
	"github.com/ibutsu-go/ibutsu/pkg/importer/xmlscan"
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

// def is what a <UnitTest> definition tells about its results, kept in the
// diskmap between the passes (hence exported fields, encoded as JSON).
type def struct {
	Class   string         `json:"c,omitempty"`
	Method  string         `json:"m,omitempty"`
	Storage string         `json:"s,omitempty"`
	Extra   map[string]any `json:"x,omitempty"`
	Tags    []string       `json:"t,omitempty"`
}

type parser struct {
	s    *xmlscan.Scanner
	h    tcase.Handler
	run  Run
	defs *diskmap.Map
	// defsDone is set once </TestDefinitions> has been read.
	defsDone bool
	// deferred is set when results came before the definitions.
	deferred bool
	emit     bool
}

// Parse reads the document open returns (once or twice, see the package
// doc) and calls h for every result.
func Parse(open tcase.Opener, opt Options, h tcase.Handler) (*Run, error) {
	p := &parser{h: h, defs: diskmap.New(""), emit: true}
	defer func() { _ = p.defs.Close() }() // a temporary file
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
	p.s = xmlscan.New(r, Format, opt)
	return p.s.Error(p.s.Document([]string{"TestRun"}, p.token))
}

// second reports whether this is the results-only second pass.
func (p *parser) second() bool { return !p.emit }

// token handles a tag outside definitions and results.
func (p *parser) token(tok xml.Token, root bool) error {
	switch t := tok.(type) {
	case xml.StartElement:
		switch {
		case root:
			if !p.second() {
				p.run.Name, p.run.User = tcase.Attr(t, "name"), tcase.Attr(t, "runUser")
			}
		case t.Name.Local == "Times" && !p.second():
			p.run.Start = tcase.Attr(t, "start")
			return p.s.Skip()
		case t.Name.Local == "ResultSummary" && !p.second():
			p.run.Outcome = tcase.Attr(t, "outcome")
			return p.s.Skip()
		case t.Name.Local == "TestDefinitions" || t.Name.Local == "Results":
			// containers
		case t.Name.Local == "UnitTest":
			if p.second() {
				return p.s.Skip()
			}
			return p.definition(t)
		case t.Name.Local == "UnitTestResult" || strings.HasSuffix(t.Name.Local, "TestResult"):
			if !p.defsDone && !p.second() {
				// results before definitions: read them in a second pass
				p.deferred = true
			}
			if p.deferred && !p.second() {
				return p.s.Skip()
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
			return p.s.Skip()
		}
	case xml.EndElement:
		if t.Name.Local == "TestDefinitions" {
			p.defsDone = true
		}
		if t.Name.Local == "Results" && p.second() {
			// The rest (definitions, summary) was read in the first
			// pass; a broken tail was reported there.
			return xmlscan.Stop()
		}
	}
	return nil
}

// definition reads one <UnitTest> of <TestDefinitions> into the diskmap.
func (p *parser) definition(se xml.StartElement) error {
	id := tcase.Attr(se, "id")
	df := &def{Storage: tcase.Attr(se, "storage")}
	var key string
	props := map[string]any{}
	start := func(path string, t xml.StartElement) (bool, error) {
		switch path {
		case "TestMethod":
			cls, _, _ := strings.Cut(tcase.Attr(t, "className"), ",")
			df.Class = strings.TrimSpace(cls)
			df.Method = tcase.Attr(t, "name")
		case "TestCategory/TestCategoryItem":
			df.Tags = append(df.Tags, tcase.Attr(t, "TestCategory"))
		case "Owners/Owner":
			df.setExtra("owner", tcase.Attr(t, "name"))
		}
		return false, nil
	}
	end := func(path, text string) {
		switch path {
		case "Description":
			df.setExtra("description", text)
		case "Properties/Property/Key":
			key = text
		case "Properties/Property/Value":
			props[key] = text
		}
	}
	if err := p.s.Children(1<<20, start, end); err != nil {
		return err
	}
	if len(props) > 0 {
		df.setExtra("properties", props)
	}
	if pr := tcase.Attr(se, "priority"); pr != "" {
		df.setExtra("priority", pr)
	}
	if id == "" {
		return nil
	}
	b, err := json.Marshal(df)
	if err != nil {
		return err
	}
	return p.defs.Put(id, b)
}

func (df *def) setExtra(k string, v any) {
	if df.Extra == nil {
		df.Extra = map[string]any{}
	}
	df.Extra[k] = v
}

// lookup returns the definition of test id, nil when there is none.
func (p *parser) lookup(id string) (*def, error) {
	b, ok, err := p.defs.Get(id)
	if err != nil || !ok {
		return nil, err
	}
	df := &def{}
	if err := json.Unmarshal(b, df); err != nil {
		return nil, fmt.Errorf("read back a test definition: %w", err)
	}
	return df, nil
}

// result reads one <UnitTestResult> to its end; a data-driven result is
// handed out as its rows (<InnerResults>), each a case of its own.
func (p *parser) result(se xml.StartElement, parent *tcase.Case) ([]*tcase.Case, error) {
	c := &tcase.Case{Name: tcase.Attr(se, "testName"), Properties: map[string]any{}}
	outcome := tcase.Attr(se, "outcome")
	tm := map[string]any{"outcome": outcome}
	xmlscan.Attrs(tm, se, "computerName", "executionId", "testId", "resultType", "dataRowInfo")
	c.Properties["trx"] = tm
	df, err := p.lookup(tcase.Attr(se, "testId"))
	if err != nil {
		return nil, err
	}
	if df != nil {
		c.Classname = df.Class
		c.Component = casemeta.BaseName(df.Storage)
		c.Tags = append(c.Tags, df.Tags...)
		for k, v := range df.Extra {
			c.Properties[k] = v
		}
		if df.Method != "" {
			tm["method"] = df.Method
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
	var msg, stack string
	var messages []any
	var inner []*tcase.Case
	start := func(pth string, t xml.StartElement) (bool, error) {
		switch {
		case path.Dir(pth) == "InnerResults":
			rows, err := p.result(t, c)
			if err != nil {
				return false, err
			}
			inner = append(inner, rows...)
			return true, nil
		case pth == "ResultFiles/ResultFile":
			if f := tcase.Attr(t, "path"); f != "" {
				c.Attachments = append(c.Attachments, tcase.Attachment{Name: casemeta.BaseName(f), Path: f})
			}
		}
		return false, nil
	}
	end := func(pth, text string) {
		switch pth {
		case "Output/StdOut":
			c.Stdout = text
		case "Output/StdErr":
			c.Stderr = text
		case "Output/DebugTrace":
			tm["debug_trace"] = text
		case "Output/ErrorInfo/Message":
			msg = text
		case "Output/ErrorInfo/StackTrace":
			stack = text
		case "Output/TextMessages/Message":
			messages = append(messages, text)
		}
	}
	if err := p.s.Children(1<<26, start, end); err != nil {
		return nil, err
	}
	casemeta.SetFailure(c, msg, stack)
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
