// Package cucumber reads Cucumber's JSON report (cucumber-js, Cucumber-JVM,
// Ruby Cucumber, SpecFlow/Reqnroll formatters) as a stream, handing out one
// tcase.Case per scenario. Each scenario is decoded on its own, its strings
// cut at the text bound, so a report of any size is read with one scenario
// in memory.
//
// cucumber-js writes a feature's keys in alphabetical order, its scenarios
// ("elements") before its "name", "tags" and "uri". A first pass then
// collects the small feature headers and a second streams the scenarios;
// when every feature names itself first, one pass is enough.
package cucumber

import (
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/ibutsu-go/ibutsu/pkg/importer/casemeta"
	"github.com/ibutsu-go/ibutsu/pkg/importer/jsonlimit"
	"github.com/ibutsu-go/ibutsu/pkg/importer/jsonscan"
	"github.com/ibutsu-go/ibutsu/pkg/importer/tcase"
)

// Format is the name the importer knows this format by.
const Format = "Cucumber JSON"

// Detect reports whether a JSON document's shape is Cucumber's: an array
// whose first element is a feature (keys among uri, elements, keyword).
func Detect(kind byte, elemKeys []string) bool {
	if kind != '[' {
		return false
	}
	has := func(k string) bool {
		for _, x := range elemKeys {
			if x == k {
				return true
			}
		}
		return false
	}
	return has("elements") || (has("uri") && has("keyword"))
}

type tag struct {
	Name string `json:"name"`
}

type feature struct {
	Name, URI, Keyword, ID string
	Tags                   []string
	// streamed is set when the first pass already handed out its scenarios.
	streamed bool
}

type embedding struct {
	Data     string `json:"data"`
	MimeType string `json:"mime_type"`
	Media    *struct {
		Type string `json:"type"`
	} `json:"media"`
	Name string `json:"name"`
}

type step struct {
	Keyword string `json:"keyword"`
	Name    string `json:"name"`
	Line    int    `json:"line"`
	Hidden  bool   `json:"hidden"`
	Match   struct {
		Location string `json:"location"`
	} `json:"match"`
	Result struct {
		Status       string  `json:"status"`
		Duration     float64 `json:"duration"`
		ErrorMessage string  `json:"error_message"`
	} `json:"result"`
	Embeddings []embedding `json:"embeddings"`
	Output     []string    `json:"output"`
}

type element struct {
	ID          string `json:"id"`
	Keyword     string `json:"keyword"`
	Name        string `json:"name"`
	Type        string `json:"type"`
	Line        int    `json:"line"`
	Description string `json:"description"`
	StartTime   string `json:"start_timestamp"`
	Tags        []tag  `json:"tags"`
	Before      []step `json:"before"`
	Steps       []step `json:"steps"`
	After       []step `json:"after"`
}

// Options bound the read: MaxText cuts strings (an embedding longer than
// it is not imported), MaxValue refuses a larger scenario.
type Options struct {
	MaxText  int
	MaxValue int
}

type parser struct {
	opt      Options
	h        tcase.Handler
	features []feature
	deferred bool
	second   bool
	cases    int
	dec      *jsonscan.Decoder
	// background holds the steps of the last Background element (Ruby
	// and JVM formatters write it before each scenario).
	background []step
}

// Parse reads the report that open returns (once or twice, see the package
// doc) and calls h for every scenario; it returns the number of cases.
func Parse(open tcase.Opener, opt Options, h tcase.Handler) (int, error) {
	p := &parser{opt: opt, h: h}
	if err := p.pass(open); err != nil {
		return 0, err
	}
	if p.deferred {
		p.second = true
		if err := p.pass(open); err != nil {
			return 0, err
		}
	}
	return p.cases, nil
}

func (p *parser) pass(open tcase.Opener) error {
	r, err := open()
	if err != nil {
		return err
	}
	defer func() { _ = r.Close() }() // read side
	p.dec = jsonscan.New(r, Format, p.opt.MaxText, p.opt.MaxValue)
	return p.dec.Wrap(p.document())
}

func (p *parser) document() error {
	if err := p.dec.Delim('['); err != nil {
		return err
	}
	for i := 0; p.dec.More(); i++ {
		if err := p.feature(i); err != nil {
			return err
		}
	}
	if err := p.dec.Delim(']'); err != nil {
		return err
	}
	return p.dec.End()
}

// feature reads feature i; in the first pass it records the header, and
// streams the scenarios when the header came first.
func (p *parser) feature(i int) error {
	if err := p.dec.Delim('{'); err != nil {
		return err
	}
	if !p.second {
		p.features = append(p.features, feature{})
	}
	f := &p.features[i]
	named := false
	for p.dec.More() {
		tok, err := p.dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		switch {
		case key == "elements":
			if (p.second && !f.streamed) || (!p.second && named) {
				f.streamed = true
				if err := p.elements(f); err != nil {
					return err
				}
				continue
			}
			if p.second {
				if err := p.skipElements(); err != nil {
					return err
				}
				continue
			}
			p.deferred = true
			if err := p.skipElements(); err != nil {
				return err
			}
		case p.second:
			if err := p.dec.Skip(); err != nil {
				return err
			}
		case key == "name" || key == "uri" || key == "keyword" || key == "id":
			var s string
			if err := p.dec.Decode(&s); err != nil {
				return err
			}
			switch key {
			case "name":
				f.Name = s
				named = true
			case "uri":
				f.URI = s
				named = true
			case "keyword":
				f.Keyword = s
			case "id":
				f.ID = s
			}
		case key == "tags":
			var tags []tag
			if err := p.dec.Decode(&tags); err != nil {
				return err
			}
			for _, t := range tags {
				f.Tags = append(f.Tags, strings.TrimPrefix(t.Name, "@"))
			}
		default:
			if err := p.dec.Skip(); err != nil {
				return err
			}
		}
	}
	return p.dec.Delim('}')
}

// skipElements reads past an elements array one scenario at a time
// (decoding into nothing is far cheaper than walking tokens).
func (p *parser) skipElements() error {
	if err := p.dec.Delim('['); err != nil {
		return err
	}
	for p.dec.More() {
		var none struct{}
		if err := p.dec.Value(&none, "a scenario"); err != nil {
			return err
		}
	}
	return p.dec.Delim(']')
}

func (p *parser) elements(f *feature) error {
	if err := p.dec.Delim('['); err != nil {
		return err
	}
	p.background = nil
	for p.dec.More() {
		var el element
		if err := p.dec.Value(&el, "a scenario"); err != nil {
			return err
		}
		if el.Type == "background" {
			p.background = el.Steps
			continue
		}
		c := p.scenario(f, &el)
		p.background = nil
		p.cases++
		if err := tcase.Call(p.h, c); err != nil {
			return err
		}
	}
	return p.dec.Delim(']')
}

// scenario maps one scenario. Its outcome comes from its steps (hooks
// included): a failed step fails it (a failed hook is an error), an
// undefined or ambiguous step makes it an error, a pending step skips it,
// all-skipped steps skip it.
func (p *parser) scenario(f *feature, el *element) *tcase.Case {
	c := &tcase.Case{Name: el.Name, File: f.URI, Line: el.Line, Properties: map[string]any{}}
	c.TestID = casemeta.Join(" › ", f.Name, el.Name)
	if c.TestID == "" {
		c.TestID = el.ID
	}
	c.Suite = casemeta.NonEmpty(f.Name)
	c.Classname = f.Name
	seen := map[string]bool{}
	for _, t := range f.Tags {
		if !seen[t] {
			seen[t] = true
			c.Tags = append(c.Tags, t)
		}
	}
	for _, t := range el.Tags {
		n := strings.TrimPrefix(t.Name, "@")
		if !seen[n] {
			seen[n] = true
			c.Tags = append(c.Tags, n)
		}
	}
	cm := map[string]any{"keyword": strings.TrimSpace(el.Keyword), "feature": f.Name}
	if el.ID != "" {
		cm["id"] = el.ID
	}
	if d := strings.TrimSpace(el.Description); d != "" {
		cm["description"] = d
	}
	c.Properties["cucumber"] = cm
	if t, ok := tcase.ParseTime(el.StartTime); ok {
		c.Start = t
	}
	var all []step
	all = append(all, p.background...)
	all = append(all, el.Before...)
	all = append(all, el.Steps...)
	all = append(all, el.After...)
	var failed, undefined, pending *step
	passed, skipped := 0, 0
	var out strings.Builder
	var dur float64
	for i := range all {
		s := &all[i]
		dur += s.Result.Duration
		switch s.Result.Status {
		case "passed":
			if !s.Hidden {
				passed++
			}
		case "failed":
			if failed == nil {
				failed = s
			}
		case "undefined", "ambiguous":
			if undefined == nil {
				undefined = s
			}
		case "pending":
			if pending == nil {
				pending = s
			}
		default:
			skipped++
		}
		for _, o := range s.Output {
			out.WriteString(o)
			out.WriteByte('\n')
		}
		for j, e := range s.Embeddings {
			p.embed(c, &out, e, i, j)
		}
	}
	c.Duration = dur / 1e9
	c.Stdout = out.String()
	switch {
	case failed != nil:
		c.Status = tcase.Failed
		if failed.Hidden || failed.Keyword == "Before" || failed.Keyword == "After" {
			c.Status = tcase.Errored
		}
		stepName := stepText(failed)
		first, _, _ := strings.Cut(strings.TrimSpace(failed.Result.ErrorMessage), "\n")
		c.Message = strings.TrimSpace(stepName + ": " + first)
		c.ExceptionType, _ = tcase.SplitException(first)
		c.Traceback = "Step: " + stepName
		if failed.Match.Location != "" {
			c.Traceback += " (" + failed.Match.Location + ")"
		}
		c.Traceback += "\n" + failed.Result.ErrorMessage
		cm["failing_step"] = stepName
	case undefined != nil:
		c.Status = tcase.Errored
		c.Message = undefined.Result.Status + " step: " + stepText(undefined)
		cm["failing_step"] = stepText(undefined)
	case pending != nil:
		c.Status = tcase.Skipped
		c.SkipReason = "pending step: " + stepText(pending)
	case passed == 0 && skipped > 0:
		c.Status = tcase.Skipped
		c.SkipReason = "all steps skipped"
	default:
		c.Status = tcase.Passed
	}
	return c
}

// embed turns an embedding into an attachment; cucumber-js's log lines
// (text/x.cucumber.log+plain) go to the output instead.
func (p *parser) embed(c *tcase.Case, out *strings.Builder, e embedding, stepIdx, j int) {
	ct := e.MimeType
	if ct == "" && e.Media != nil {
		ct = e.Media.Type
	}
	truncated := jsonlimit.Truncated(e.Data)
	data, err := base64.StdEncoding.DecodeString(e.Data)
	if err != nil && !truncated {
		// Some formatters write text embeddings as plain text.
		data = []byte(e.Data)
	}
	if ct == "text/x.cucumber.log+plain" && !truncated {
		out.Write(data)
		out.WriteByte('\n')
		return
	}
	name := e.Name
	if name == "" {
		name = fmt.Sprintf("step%d-attachment%d%s", stepIdx+1, j+1, extension(ct))
	}
	a := tcase.Attachment{Name: name, ContentType: ct, Truncated: truncated}
	if !truncated {
		a.Data = data
	}
	c.Attachments = append(c.Attachments, a)
}

func extension(ct string) string {
	switch ct {
	case "image/png":
		return ".png"
	case "image/jpeg":
		return ".jpg"
	case "application/json":
		return ".json"
	case "text/html":
		return ".html"
	case "text/plain":
		return ".txt"
	}
	return ""
}

func stepText(s *step) string {
	return strings.TrimSpace(strings.TrimSpace(s.Keyword) + " " + s.Name)
}
