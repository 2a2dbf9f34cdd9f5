// Package allure reads Allure results — the allure-results directory that
// the Allure integrations (allure-js, allure-pytest, allure-java...) write,
// uploaded as a .tar.gz — as a stream of archive members: every
// *-result.json is one attempt of a test, *-container.json files hold the
// fixtures of their children, and the other members are attachments the
// results name by file ("source").
//
// Members come in any order, so the archive is read up to three times: a
// first pass decides, per test (historyId), which attempt is the final one
// and which attachments it needs; a second keeps those attachments (each
// cut at the text bound, all within a budget); a third hands out the final
// attempts as tcase.Cases, earlier attempts counted as retries, each with
// its attachments read back. What the passes hand on — attempts per test,
// fixture failures per result, the attachments and their state — is kept
// in a temporary file (diskmap), so memory holds one result and one
// attachment at a time, whatever the number of tests.
package allure

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/importer/casemeta"
	"github.com/ibutsu-go/ibutsu/pkg/importer/diskmap"
	"github.com/ibutsu-go/ibutsu/pkg/importer/jsonlimit"
	"github.com/ibutsu-go/ibutsu/pkg/importer/tcase"
)

// Format is the name the importer knows this format by.
const Format = "Allure results"

// Detect reports whether an archive's first member names are Allure's.
func Detect(names []string) bool {
	for _, n := range names {
		if strings.HasSuffix(n, "-result.json") || strings.HasSuffix(n, "-container.json") {
			return true
		}
	}
	return false
}

// Options bound the read.
type Options struct {
	// MaxText cuts strings and attachments; MaxValue refuses a larger
	// result file.
	MaxText  int
	MaxValue int
	// Budget caps the attachment bytes kept in the spill file (default
	// 48 MiB); attachments past it are listed as not imported.
	Budget int64
	// TempDir holds the spill file (default os.TempDir()). When no file
	// can be created there, what the passes hand on is kept in memory.
	TempDir string
	// MaxMembers caps the archive's members (default 10 million).
	MaxMembers int
}

// Run is what the results say about the whole run.
type Run struct {
	// Start and Stop are the earliest start and latest stop (zero when
	// no result has them).
	Start, Stop time.Time
	// Environment is environment.properties, when present.
	Environment map[string]any
	Cases       int
	Containers  int
	Passes      int
}

type label struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type link struct {
	Name string `json:"name"`
	URL  string `json:"url"`
	Type string `json:"type"`
}

type param struct {
	Name     string `json:"name"`
	Value    string `json:"value"`
	Excluded bool   `json:"excluded"`
	Mode     string `json:"mode"`
}

type attach struct {
	Name   string `json:"name"`
	Source string `json:"source"`
	Type   string `json:"type"`
}

type status struct {
	Message string `json:"message"`
	Trace   string `json:"trace"`
	Known   bool   `json:"known"`
	Muted   bool   `json:"muted"`
	Flaky   bool   `json:"flaky"`
}

type stepT struct {
	Name          string   `json:"name"`
	Status        string   `json:"status"`
	StatusDetails status   `json:"statusDetails"`
	Steps         []stepT  `json:"steps"`
	Attachments   []attach `json:"attachments"`
}

// ident is what every pass reads of a result: which test and attempt it
// is, and how and when it ended.
type ident struct {
	UUID       string `json:"uuid"`
	HistoryID  string `json:"historyId"`
	TestCaseID string `json:"testCaseId"`
	FullName   string `json:"fullName"`
	Status     string `json:"status"`
	Stop       int64  `json:"stop"`
}

type result struct {
	ident
	Name          string   `json:"name"`
	StatusDetails status   `json:"statusDetails"`
	Description   string   `json:"description"`
	Start         int64    `json:"start"`
	Labels        []label  `json:"labels"`
	Links         []link   `json:"links"`
	Parameters    []param  `json:"parameters"`
	Steps         []stepT  `json:"steps"`
	Attachments   []attach `json:"attachments"`
}

type fixture struct {
	Name          string `json:"name"`
	Status        string `json:"status"`
	StatusDetails status `json:"statusDetails"`
}

type container struct {
	Name     string    `json:"name"`
	Children []string  `json:"children"`
	Befores  []fixture `json:"befores"`
	Afters   []fixture `json:"afters"`
}

// attempt is what the first pass keeps of one test's attempts: the final
// one's uuid, stop and order, and every attempt's status.
type attempt struct {
	UUID     string   `json:"u"`
	Stop     int64    `json:"s,omitempty"`
	Order    int      `json:"o"`
	Statuses []string `json:"st"`
}

// The spill's keys: a prefix byte, then the test key, uuid or source.
const (
	keyTest    = "t\x00" // a test's attempt (JSON)
	keyFixture = "f\x00" // a result's failed fixtures (JSON list)
	keyAttach  = "a\x00" // an attachment: its state byte, then its bytes when kept
	keyEmitted = "e\x00" // a uuid handed out already (empty)
)

// The states of an attachment.
const (
	attNeeded byte = 'n' // a result names it
	attKept   byte = 'k' // its bytes follow
	attCut    byte = 'c' // longer than the text bound or past the budget
	attTaken  byte = 'g' // handed out with a case
)

type parser struct {
	opt   Options
	h     tcase.Handler
	run   Run
	spill *diskmap.Map
	// needed counts the attachments a result names; used the bytes kept.
	needed int
	used   int64
	member string
	jl     *jsonlimit.Reader
}

// slim is what the first pass needs of a result.
type slim struct {
	ident
	Steps       []slimStep   `json:"steps"`
	Attachments []slimAttach `json:"attachments"`
}

type slimAttach struct {
	Source string `json:"source"`
}

type slimStep struct {
	Steps       []slimStep   `json:"steps"`
	Attachments []slimAttach `json:"attachments"`
}

// Parse reads the archive that open returns (see the package doc) and
// calls h for the final attempt of every test.
func Parse(open tcase.Opener, opt Options, h tcase.Handler) (*Run, error) {
	if opt.Budget <= 0 {
		opt.Budget = 48 << 20
	}
	if opt.MaxMembers <= 0 {
		opt.MaxMembers = 10_000_000
	}
	p := &parser{opt: opt, h: h, spill: diskmap.New(opt.TempDir)}
	defer func() { _ = p.spill.Close() }() // a temporary file
	n := 0
	if err := p.walk(open, p.scan(&n)); err != nil {
		return nil, err
	}
	if p.needed > 0 {
		if err := p.walk(open, p.keep); err != nil {
			return nil, err
		}
	}
	if err := p.walk(open, p.emit); err != nil {
		return nil, err
	}
	return &p.run, nil
}

// getJSON reads the spilled value of key into v; false when absent.
func (p *parser) getJSON(key string, v any) (bool, error) {
	b, ok, err := p.spill.Get(key)
	if err != nil || !ok {
		return false, err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, fmt.Errorf("read back %q: %w", key, err)
	}
	return true, nil
}

func (p *parser) putJSON(key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return p.spill.Put(key, b)
}

// attachState is an attachment's state (0 when no result names it) and,
// when kept, its bytes.
func (p *parser) attachState(source string) (byte, []byte, error) {
	b, ok, err := p.spill.Get(keyAttach + source)
	if err != nil || !ok || len(b) == 0 {
		return 0, nil, err
	}
	return b[0], b[1:], nil
}

func (p *parser) setAttach(source string, state byte, data []byte) error {
	return p.spill.Put(keyAttach+source, append([]byte{state}, data...))
}

// take returns a kept attachment's bytes and forgets them (a second
// mention of the same file is listed as not imported); cut reports an
// attachment cut at a bound.
func (p *parser) take(source string) (data []byte, kept, cut bool, err error) {
	st, b, err := p.attachState(source)
	if err != nil || st != attKept {
		return nil, false, st == attCut, err
	}
	return b, true, false, p.setAttach(source, attTaken, nil)
}

func (p *parser) fail(offset int64, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if p.member != "" {
		msg = p.member + ": " + msg
	}
	return &tcase.Error{Format: Format, Offset: offset, Msg: msg}
}

// countingReader counts the archive bytes read, for error offsets.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	return n, err
}

// walk reads the archive once, calling fn for every regular member.
func (p *parser) walk(open tcase.Opener, fn func(name string, r io.Reader) error) error {
	rc, err := open()
	if err != nil {
		return err
	}
	defer func() { _ = rc.Close() }() // read side
	p.run.Passes++
	cr := &countingReader{r: rc}
	br := bufio.NewReader(cr)
	var src io.Reader = br
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return p.fail(cr.n, "not a gzip stream: %v", err)
		}
		defer func() { _ = zr.Close() }() // read side
		src = zr
	}
	tr := tar.NewReader(src)
	for count := 0; ; count++ {
		p.member = ""
		hd, err := tr.Next()
		if errors.Is(err, io.EOF) {
			if count == 0 {
				return p.fail(cr.n, "the archive is empty")
			}
			return nil
		}
		if err != nil {
			return p.fail(cr.n, "not a tar archive: %v", err)
		}
		if count >= p.opt.MaxMembers {
			return p.fail(cr.n, "the archive has more than %d members", p.opt.MaxMembers)
		}
		if hd.Typeflag != tar.TypeReg {
			continue
		}
		p.member = path.Base(strings.ReplaceAll(hd.Name, `\`, "/"))
		if err := fn(p.member, tr); err != nil {
			if herr := tcase.HandlerError(err); herr != nil {
				return herr
			}
			var e *tcase.Error
			if errors.As(err, &e) {
				return err
			}
			return p.fail(cr.n, "%v", err)
		}
	}
}

// decode reads one JSON member into v, strings cut at MaxText and the
// member refused past MaxValue.
func (p *parser) decode(r io.Reader, v any) error {
	lr := io.LimitReader(r, int64(p.opt.MaxValue)+1)
	if p.opt.MaxValue <= 0 {
		lr = r
	}
	cr := &countingReader{r: lr}
	if p.jl == nil {
		p.jl = jsonlimit.New(cr, p.opt.MaxText)
	} else {
		p.jl.Reset(cr)
	}
	if err := json.NewDecoder(p.jl).Decode(v); err != nil {
		if p.opt.MaxValue > 0 && cr.n > int64(p.opt.MaxValue) {
			return fmt.Errorf("the file is larger than %d bytes", p.opt.MaxValue)
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return errors.New("unexpected end of JSON")
		}
		return err
	}
	return nil
}

func testKey(r *ident) string {
	for _, k := range []string{r.HistoryID, r.TestCaseID, r.FullName} {
		if k != "" {
			return k
		}
	}
	return "uuid:" + r.UUID
}

func walkAttachments(r *result, fn func(a attach)) {
	for _, a := range r.Attachments {
		fn(a)
	}
	var steps func(ss []stepT)
	steps = func(ss []stepT) {
		for _, s := range ss {
			for _, a := range s.Attachments {
				fn(a)
			}
			steps(s.Steps)
		}
	}
	steps(r.Steps)
}

// scan is the first pass: attempts per test, fixture failures, the
// environment.
func (p *parser) scan(n *int) func(name string, r io.Reader) error {
	return func(name string, r io.Reader) error {
		switch {
		case strings.HasSuffix(name, "-result.json"):
			var sl slim
			if err := p.decode(r, &sl); err != nil {
				return err
			}
			res := sl.ident
			if res.UUID == "" {
				res.UUID = strings.TrimSuffix(name, "-result.json")
			}
			*n++
			key := keyTest + testKey(&res)
			var a attempt
			if _, err := p.getJSON(key, &a); err != nil {
				return err
			}
			a.Statuses = append(a.Statuses, res.Status)
			if a.UUID == "" || res.Stop > a.Stop || (res.Stop == a.Stop && *n > a.Order) {
				a.UUID, a.Stop, a.Order = res.UUID, res.Stop, *n
			}
			if err := p.putJSON(key, &a); err != nil {
				return err
			}
			return p.need(sl.Attachments, sl.Steps)
		case strings.HasSuffix(name, "-container.json"):
			var c container
			if err := p.decode(r, &c); err != nil {
				return err
			}
			p.run.Containers++
			var failed []string
			for _, f := range append(c.Befores, c.Afters...) {
				if f.Status == "failed" || f.Status == "broken" {
					msg := strings.TrimSpace(f.Name + ": " + f.StatusDetails.Message)
					failed = append(failed, msg)
				}
			}
			if len(failed) > 0 {
				for _, ch := range c.Children {
					var ff []string
					if _, err := p.getJSON(keyFixture+ch, &ff); err != nil {
						return err
					}
					if err := p.putJSON(keyFixture+ch, append(ff, failed...)); err != nil {
						return err
					}
				}
			}
		case name == "environment.properties":
			b, err := io.ReadAll(io.LimitReader(r, 1<<20))
			if err != nil {
				return err
			}
			p.run.Environment = map[string]any{}
			for _, line := range strings.Split(string(b), "\n") {
				line = strings.TrimSpace(line)
				if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "!") {
					continue
				}
				k, v, ok := strings.Cut(line, "=")
				if !ok {
					k, v, _ = strings.Cut(line, ":")
				}
				if k = strings.TrimSpace(k); k != "" {
					p.run.Environment[k] = strings.TrimSpace(v)
				}
			}
		}
		return nil
	}
}

func (p *parser) need(atts []slimAttach, steps []slimStep) error {
	for _, a := range atts {
		if a.Source == "" {
			continue
		}
		st, _, err := p.attachState(a.Source)
		if err != nil {
			return err
		}
		if st == 0 {
			p.needed++
			if err := p.setAttach(a.Source, attNeeded, nil); err != nil {
				return err
			}
		}
	}
	for _, s := range steps {
		if err := p.need(s.Attachments, s.Steps); err != nil {
			return err
		}
	}
	return nil
}

// keep is the second pass: the needed attachments' bytes within budget.
func (p *parser) keep(name string, r io.Reader) error {
	// A member whose base name repeats is tried again while the earlier
	// one was cut.
	if st, _, err := p.attachState(name); err != nil || (st != attNeeded && st != attCut) {
		return err
	}
	limit := int64(p.opt.MaxText)
	if limit <= 0 {
		limit = 1 << 20
	}
	if p.used+limit > p.opt.Budget {
		limit = p.opt.Budget - p.used
	}
	if limit <= 0 {
		return nil
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return err
	}
	if int64(len(b)) > limit {
		return p.setAttach(name, attCut, nil)
	}
	p.used += int64(len(b))
	if err := p.setAttach(name, attKept, b); err != nil {
		return fmt.Errorf("spill attachment: %w", err)
	}
	return nil
}

// emit is the third pass: the final attempts as cases.
func (p *parser) emit(name string, r io.Reader) error {
	if !strings.HasSuffix(name, "-result.json") {
		return nil
	}
	var res result
	if err := p.decode(r, &res); err != nil {
		return err
	}
	if res.UUID == "" {
		res.UUID = strings.TrimSuffix(name, "-result.json")
	}
	var a attempt
	if _, err := p.getJSON(keyTest+testKey(&res.ident), &a); err != nil || a.UUID != res.UUID {
		return err
	}
	if _, done, err := p.spill.Get(keyEmitted + res.UUID); err != nil || done {
		return err
	}
	if err := p.spill.Put(keyEmitted+res.UUID, nil); err != nil {
		return err
	}
	c, err := p.toCase(&res, &a)
	if err != nil {
		return err
	}
	p.run.Cases++
	if res.Start > 0 {
		if t := time.UnixMilli(res.Start).UTC(); p.run.Start.IsZero() || t.Before(p.run.Start) {
			p.run.Start = t
		}
	}
	if res.Stop > 0 {
		if t := time.UnixMilli(res.Stop).UTC(); t.After(p.run.Stop) {
			p.run.Stop = t
		}
	}
	return tcase.Call(p.h, c)
}

func (p *parser) toCase(res *result, a *attempt) (*tcase.Case, error) {
	c := &tcase.Case{Name: res.Name, Properties: map[string]any{}}
	labels := map[string]any{}
	var suite [3]string
	var pkg, class, method string
	for _, l := range res.Labels {
		switch l.Name {
		case "parentSuite":
			suite[0] = l.Value
		case "suite":
			suite[1] = l.Value
		case "subSuite":
			suite[2] = l.Value
		case "tag":
			c.Tags = append(c.Tags, l.Value)
			continue
		case "package":
			pkg = l.Value
		case "testClass":
			class = l.Value
		case "testMethod":
			method = l.Value
		}
		if strings.HasPrefix(l.Name, "_") || l.Name == "" {
			continue
		}
		casemeta.Add(labels, l.Name, l.Value)
	}
	for _, s := range suite {
		if s != "" {
			c.Suite = append(c.Suite, s)
		}
	}
	c.Classname = class
	if c.Classname == "" {
		c.Classname = pkg
	}
	c.TestID = res.FullName
	if c.TestID == "" && class != "" && method != "" {
		c.TestID = class + "." + method
	}
	if c.TestID == "" {
		c.TestID = strings.Join(append(append([]string(nil), c.Suite...), res.Name), " › ")
	}
	if len(labels) > 0 {
		c.Properties["labels"] = labels
	}
	if len(res.Links) > 0 {
		var links []any
		for _, l := range res.Links {
			links = append(links, map[string]any{"name": l.Name, "url": l.URL, "type": l.Type})
		}
		c.Properties["links"] = links
	}
	params := map[string]any{}
	for _, pr := range res.Parameters {
		if !pr.Excluded && pr.Mode != "hidden" {
			v := pr.Value
			if pr.Mode == "masked" {
				v = "******"
			}
			params[pr.Name] = v
		}
	}
	if len(params) > 0 {
		c.Properties["parameters"] = params
	}
	if d := strings.TrimSpace(res.Description); d != "" {
		c.Properties["description"] = d
	}
	am := map[string]any{"status": res.Status, "uuid": res.UUID}
	if res.HistoryID != "" {
		am["history_id"] = res.HistoryID
	}
	c.Properties["allure"] = am
	sd := res.StatusDetails
	switch res.Status {
	case "passed":
		c.Status = tcase.Passed
	case "failed":
		c.Status = tcase.Failed
		if sd.Known {
			c.Status = tcase.XFailed
		}
	case "broken":
		c.Status = tcase.Errored
		if sd.Known {
			c.Status = tcase.XFailed
		}
	default: // skipped, unknown
		c.Status = tcase.Skipped
		c.SkipReason = strings.TrimSpace(sd.Message)
		if res.Status != "skipped" {
			c.SkipReason = strings.TrimSpace("status " + res.Status + " " + c.SkipReason)
		}
	}
	for k, v := range map[string]bool{"known": sd.Known, "muted": sd.Muted, "flaky": sd.Flaky} {
		if v {
			am[k] = true
		}
	}
	if c.Status == tcase.Failed || c.Status == tcase.Errored || c.Status == tcase.XFailed {
		msg := strings.TrimSpace(sd.Message)
		first, _, _ := strings.Cut(msg, "\n")
		c.Message = first
		traceFirst, _, _ := strings.Cut(strings.TrimSpace(sd.Trace), "\n")
		if c.ExceptionType, _ = tcase.SplitException(traceFirst); c.ExceptionType == "" {
			c.ExceptionType, _ = tcase.SplitException(first)
		}
		c.Traceback = strings.TrimSpace(casemeta.Join("\n", msg, sd.Trace))
	}
	var failures []string
	if _, err := p.getJSON(keyFixture+res.UUID, &failures); err != nil {
		return nil, err
	}
	if len(failures) > 0 {
		ff := make([]any, len(failures))
		for i, x := range failures {
			ff[i] = x
		}
		am["fixture_failures"] = ff
	}
	if res.Start > 0 {
		c.Start = time.UnixMilli(res.Start).UTC()
		if res.Stop >= res.Start {
			c.Duration = float64(res.Stop-res.Start) / 1000
		}
	}
	if len(a.Statuses) > 1 {
		// Earlier attempts (same historyId) are retries.
		var st []any
		failedBefore := false
		for _, s := range a.Statuses {
			st = append(st, s)
			if s == "failed" || s == "broken" {
				failedBefore = true
			}
		}
		am["attempts"] = st
		am["retries"] = len(a.Statuses) - 1
		if c.Status == tcase.Passed && failedBefore {
			c.Properties["flaky"] = true
		}
	}
	seen := map[string]int{}
	var firstErr error
	walkAttachments(res, func(at attach) {
		name := at.Name
		if name == "" {
			name = at.Source
		}
		if ext := path.Ext(at.Source); ext != "" && path.Ext(name) == "" {
			name += ext
		}
		if n := seen[name]; n > 0 {
			name = fmt.Sprintf("%d-%s", n+1, name)
		}
		seen[at.Name]++
		t := tcase.Attachment{Name: name, ContentType: at.Type, Source: at.Source}
		b, kept, cut, err := p.take(at.Source)
		if err != nil && firstErr == nil {
			firstErr = err
		}
		if kept {
			t.Data = b
		} else {
			t.Path = at.Source
			t.Truncated = cut
		}
		c.Attachments = append(c.Attachments, t)
	})
	return c, firstErr
}
