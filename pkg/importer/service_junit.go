package importer

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/importer/ingest"
	"github.com/ibutsu-go/ibutsu/pkg/importer/junit"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/run"
)

// uuid4RE finds a version-4 UUID in a file name; upstream names the run
// after the first one (so CI can choose the run id).
var uuid4RE = regexp.MustCompile(`(?i)[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}`)

// form is what the upload form contributed, as stored in the import's data.
type form struct {
	projectID *uuid.UUID
	metadata  map[string]any
	source    *string
}

func formOf(imp *model.Import) form {
	var f form
	if v, ok := imp.Data["project_id"].(string); ok {
		if id, err := uuid.Parse(v); err == nil {
			f.projectID = &id
		}
	}
	if m, ok := imp.Data["metadata"].(map[string]any); ok {
		f.metadata = m
	}
	if v, ok := imp.Data["source"].(string); ok {
		f.source = &v
	}
	return f
}

// junitImport is the state of one JUnit import: the file's import and
// the property maps every case inherits.
type junitImport struct {
	*fileImport
	// base is root properties + form metadata, the start of every case's
	// merged properties.
	base      map[string]any
	suite     *junit.Suite
	suiteMeta map[string]any
}

// importJUnit imports one XML file (docs/api-compatibility.md#imports).
func (s *Service) importJUnit(ctx context.Context, imp *model.Import, src *content) (uuid.UUID, error) {
	f, err := s.newFileImport(ctx, imp, src)
	if err != nil {
		return uuid.Nil, err
	}
	// Whatever happens, nothing is left writing when the transaction ends.
	defer func() { _ = f.w.settle() }()
	j := &junitImport{fileImport: f}
	r, err := src.open(ctx)
	if err != nil {
		return uuid.Nil, err
	}
	rep, err := junit.ParseWith(r, j, s.junitOptions())
	if err := r.cause(err); err != nil {
		return uuid.Nil, err
	}
	if err := j.w.flush(ctx); err != nil {
		return uuid.Nil, err
	}
	return j.run.ID, j.finish(rep)
}

func propsMap(dst map[string]any, props []junit.Property) map[string]any {
	for _, p := range props {
		if p.Value == nil {
			dst[p.Key] = nil
		} else {
			dst[p.Key] = *p.Value
		}
	}
	return dst
}

// Root creates the run as soon as the root is known, so results can
// reference it; its summary is completed in finish.
func (j *junitImport) Root(r *junit.Root) error {
	if err := j.w.settle(); err != nil {
		return err
	}
	now := j.s.now()
	id, err := j.s.runIDFromName(j.ctx, deref(j.imp.Filename))
	if err != nil {
		return err
	}
	md := propsMap(map[string]any{}, r.Properties)
	j.base = propsMap(map[string]any{}, r.Properties)
	for k, v := range j.form.metadata {
		md[k], j.base[k] = v, v
	}
	start, ok := junit.ParseTimestamp(r.Timestamp)
	if !ok {
		start = now
	}
	run := &model.Run{ID: id, Created: now, StartTime: start, Data: md,
		Env: scalar(md["env"]), Component: scalar(md["component"]), Source: scalar(md["source"])}
	if j.form.source != nil {
		run.Source = j.form.source
	}
	if run.ProjectID, err = j.s.runProject(j.ctx, j.rights, j.form, md, j.project); err != nil {
		return err
	}
	j.run = run
	if err := checkResultFields("the report's properties", nil, run.Source, run.Env, run.Component); err != nil {
		return err
	}
	return j.s.store.createRun(j.ctx, run)
}

// suiteProps merges the properties of a case's suite chain (outermost
// first) onto base; cached for consecutive cases of one suite.
func (j *junitImport) suiteProps(s *junit.Suite) map[string]any {
	if s == j.suite && j.suiteMeta != nil {
		return j.suiteMeta
	}
	var chain []*junit.Suite
	for p := s; p != nil; p = p.Parent {
		chain = append(chain, p)
	}
	m := make(map[string]any, len(j.base))
	for k, v := range j.base {
		m[k] = v
	}
	for i := len(chain) - 1; i >= 0; i-- {
		propsMap(m, chain[i].Properties)
	}
	j.suite, j.suiteMeta = s, m
	return m
}

// Case turns one test case into a result and its artifacts.
func (j *junitImport) Case(c *junit.Case) error {
	props := j.suiteProps(c.Suite)
	merged := make(map[string]any, len(props)+len(c.Properties)+4)
	for k, v := range props {
		merged[k] = v
	}
	propsMap(merged, c.Properties)
	md := map[string]any{"run": j.run.ID.String(), "fspath": fspath(c), "line": nil}
	if c.Line != nil {
		md["line"] = *c.Line
	}
	for k, v := range merged {
		md[k] = v
	}
	if c.Status == ingest.Skipped && c.SkipReason != "" {
		md["skip_reason"] = c.SkipReason
	}
	failureSummary(md, c)
	status := string(c.Status)
	dur := model.ClampDuration(c.Time)
	j.tally(status, dur)
	res := model.Result{ID: uuid.New(), RunID: &j.run.ID, TestID: ptr(testID(c)), Result: &status, Data: md,
		Params: model.JSON{}, Duration: &dur, StartTime: j.run.StartTime, ProjectID: j.run.ProjectID}
	if c.Suite.Name != "" {
		res.Source = ptr(c.Suite.Name)
	}
	if j.form.source != nil {
		res.Source = j.form.source
	}
	if v := scalar(merged["source"]); v != nil {
		res.Source = v
	}
	if v := scalar(merged["project_id"]); v != nil {
		if _, err := uuid.Parse(*v); err == nil {
			pid, err := j.project(*v)
			if err != nil {
				return err
			}
			if pid != nil {
				// A result's project is its run's project: a file cannot
				// send results to a project other than its run's.
				if j.run.ProjectID == nil || *pid != *j.run.ProjectID {
					return badInputf("project_id %s named by the file is not the project of the run", *v)
				}
				res.ProjectID = pid
			}
		}
	}
	if len(merged) > 0 {
		res.Env, res.Component = j.run.Env, j.run.Component
	}
	if err := checkResultFields(fmt.Sprintf("test case %q", preview(c.Name)), res.TestID, res.Source, res.Env, res.Component); err != nil {
		return err
	}
	j.s.noteTruncated(j.ctx, c, *res.TestID)
	var arts []model.Artifact
	add := func(name, text string) {
		arts = append(arts, model.Artifact{ID: uuid.New(), ResultID: &res.ID, Filename: &name, Content: []byte(text),
			UploadDate: j.s.now(), Data: model.JSON{"contentType": "text/plain", "resultId": res.ID.String()}})
	}
	if c.Traceback != "" {
		add("traceback.log", c.Traceback)
	}
	if c.SystemOut != nil {
		add("system-out.log", *c.SystemOut)
	}
	if c.SystemErr != nil {
		add("system-err.log", *c.SystemErr)
	}
	return j.w.addResult(j.ctx, res, arts...)
}

// finish writes the summary and duration (docs/api-compatibility.md#imports).
// The summary counts the imported cases — the same 10 keys a recomputation
// writes, with collected = the cases imported — because count attributes
// are often missing (many reporters omit them) or wrong; upstream trusts
// them and shows such runs as all-passing. The duration is the root's time
// attribute, else the top-level suites' sum, else the cases' sum.
func (j *junitImport) finish(rep *junit.Report) error {
	root, sums := rep.Root.Counts, rep.SuiteSums
	pick := func(r, s int64) int64 {
		if r == 0 {
			return s
		}
		return r
	}
	attrs := run.Counts{Tests: pick(root.Tests, sums.Tests), Failures: pick(root.Failures, sums.Failures),
		Errors: pick(root.Errors, sums.Errors), Skips: pick(root.Skipped, sums.Skipped),
		XFailures: pick(root.XFailures, sums.XFailures), XPasses: pick(root.XPasses, sums.XPasses)}
	counted := j.cases
	counted.Duration = 0
	if attrs != counted {
		j.s.log.InfoContext(j.ctx, "JUnit count attributes disagree with the imported cases; the summary counts the cases",
			"run_id", j.run.ID, "attributes", attrs, "cases", counted)
	}
	j.run.Summary = run.Summary(j.cases, j.cases.Tests)
	d := root.Time
	if d == 0 {
		d = sums.Time
	}
	if d == 0 {
		d = j.cases.Duration
	}
	d = model.ClampDuration(d)
	j.run.Duration = &d
	return j.s.store.setRunSummary(j.ctx, j.run.ID, j.run.Summary, d)
}

// testID is upstream's rule: the last dotted segment of classname, a dot,
// and the last dotted segment of name (dots inside parameters split too).
func testID(c *junit.Case) string {
	n := lastSegment(c.Name)
	if c.Classname != "" {
		return lastSegment(c.Classname) + "." + n
	}
	return n
}

func lastSegment(s string) string {
	if i := strings.LastIndexByte(s, '.'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// fspath is the suite's file (innermost suite that has one), else the
// case's, else the classname's module path; null without any.
func fspath(c *junit.Case) any {
	for s := c.Suite; s != nil; s = s.Parent {
		if s.File != "" {
			return s.File
		}
	}
	if c.File != "" {
		return c.File
	}
	if c.Classname == "" {
		return nil
	}
	segs := strings.Split(c.Classname, ".")
	return strings.Join(segs[:len(segs)-1], "/")
}

// scalar renders a metadata value for a text column: strings as they are,
// numbers and booleans as text, anything else (objects, null) as nil.
func scalar(v any) *string {
	switch x := v.(type) {
	case string:
		return &x
	case float64:
		s := strconv.FormatFloat(x, 'f', -1, 64)
		return &s
	case bool:
		s := strconv.FormatBool(x)
		return &s
	}
	return nil
}

func ptr[T any](v T) *T { return &v }

// failureSummary puts a failed or errored case's message and exception
// type where pytest-ibutsu puts them (metadata short_tb and exception_name),
// so the run's failure list, its classification view and filters such as
// metadata.exception_name work for JUnit imports too. Without a message
// attribute the failure text stands in (bounded; the whole is the artifact). Upstream's importer
// keeps them only inside the traceback artifact. Properties of the same
// name win.
func failureSummary(md map[string]any, c *junit.Case) {
	if c.Status != ingest.Failed && c.Status != ingest.Errored {
		return
	}
	if _, set := md["short_tb"]; !set {
		// Many reporters (Go, Rust, Surefire for errors) leave the message
		// attribute empty and put everything in the element's text: its
		// start is then the best reason to show without opening the log.
		if msg := shortReason(c.Message, c.Traceback); msg != "" {
			md["short_tb"] = msg
		}
	}
	if _, set := md["exception_name"]; !set && strings.TrimSpace(c.Type) != "" {
		md["exception_name"] = strings.TrimSpace(c.Type)
	}
}
