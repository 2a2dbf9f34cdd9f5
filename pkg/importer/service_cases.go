package importer

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/importer/ingest"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/run"
)

// importCases imports a file of a format read through the neutral path:
// the format's parser streams cases into a caseSink, which writes them.
func (s *Service) importCases(ctx context.Context, imp *model.Import, src *content) (uuid.UUID, error) {
	name, _ := imp.Data[formatKey].(string)
	f := formatByName(name)
	if f == nil || (f.Parse == nil && f.ParseReopen == nil) {
		return uuid.Nil, badInputf("the import names no format this server reads (%q)", name)
	}
	fi, err := s.newFileImport(ctx, imp, src)
	if err != nil {
		return uuid.Nil, err
	}
	// Whatever happens, nothing is left writing when the transaction ends.
	defer func() { _ = fi.w.settle() }()
	k := &caseSink{fileImport: fi}
	if f.ParseReopen != nil {
		err = s.parseReopen(ctx, f, src, k)
	} else {
		var r *stream
		if r, err = src.open(ctx); err != nil {
			return uuid.Nil, err
		}
		err = r.cause(f.Parse(r, k, s.ingestOptions()))
	}
	if err != nil {
		return uuid.Nil, err
	}
	if err := k.ensureRun(); err != nil {
		return uuid.Nil, err
	}
	if err := k.w.flush(ctx); err != nil {
		return uuid.Nil, err
	}
	return k.run.ID, k.finish()
}

// parseReopen runs a format that may read the stored file more than once;
// a read failure of any pass is reported as such, not as a broken file.
func (s *Service) parseReopen(ctx context.Context, f *Format, src *content, k *caseSink) error {
	var streams []*stream
	open := func() (io.Reader, error) {
		r, err := src.open(ctx)
		if err != nil {
			return nil, err
		}
		streams = append(streams, r)
		return r, nil
	}
	err := f.ParseReopen(open, k, s.ingestOptions())
	if err != nil {
		for _, r := range streams {
			if r.err != nil {
				return r.err
			}
		}
	}
	return err
}

// ingestOptions bound one file: captured text is cut so its artifact
// (text and marker) fits the artifact cap.
func (s *Service) ingestOptions() ingest.Options {
	return ingest.Options{MaxText: int(max(s.artifactCap()-int64(len(ingest.CutMarker)), 1)), MaxLine: maxLineBytes}
}

// maxLineBytes bounds one line or JSON value of a line-based or JSON
// report: one test's record, with its output already bounded by MaxText
// several times over.
const maxLineBytes = 32 << 20

// caseSink turns the cases of one file into a run, results, artifacts
// and fingerprints (ingest.Sink). The run is created at the first case
// (results reference it) or at the end for a file without cases; what
// the file tells about the run later is written at the end.
type caseSink struct {
	*fileImport
	info ingest.Run
	// first is the earliest case start seen, the run's start when the file
	// names none.
	first *time.Time
}

// Run records what the file tells about the run; later values win.
func (k *caseSink) Run(r ingest.Run) error {
	if r.Start != nil && model.TimeFits(*r.Start) {
		k.info.Start = r.Start
	}
	if r.Duration != nil {
		k.info.Duration = r.Duration
	}
	if r.Component != "" {
		k.info.Component = r.Component
	}
	if r.Env != "" {
		k.info.Env = r.Env
	}
	if len(r.Metadata) > 0 {
		if err := checkJSON("the report's run metadata", any(r.Metadata)); err != nil {
			return err
		}
		if k.info.Metadata == nil {
			k.info.Metadata = map[string]any{}
		}
		for key, v := range r.Metadata {
			k.info.Metadata[key] = v
		}
	}
	return nil
}

// runMetadata is the file's run metadata under the form's.
func (k *caseSink) runMetadata() map[string]any {
	md := map[string]any{}
	for key, v := range k.info.Metadata {
		md[key] = v
	}
	if k.info.Component != "" {
		md["component"] = k.info.Component
	}
	if k.info.Env != "" {
		md["env"] = k.info.Env
	}
	for key, v := range k.form.metadata {
		md[key] = v
	}
	return md
}

// ensureRun creates the run once.
func (k *caseSink) ensureRun() error {
	if k.run != nil {
		return nil
	}
	if err := k.w.settle(); err != nil {
		return err
	}
	now := k.s.now()
	start := now
	switch {
	case k.info.Start != nil:
		start = k.info.Start.UTC().Truncate(time.Microsecond)
	case k.first != nil:
		start = *k.first
	}
	id, err := k.s.runIDFromName(k.ctx, deref(k.imp.Filename))
	if err != nil {
		return err
	}
	md := k.runMetadata()
	r := &model.Run{ID: id, Created: now, StartTime: start, Data: md,
		Env: scalar(md["env"]), Component: scalar(md["component"]), Source: scalar(md["source"])}
	if k.form.source != nil {
		r.Source = k.form.source
	}
	pid, err := k.s.runProject(k.ctx, k.rights, k.form, md, k.project)
	if err != nil {
		return err
	}
	r.ProjectID = pid
	if err := checkResultFields("the report's run", nil, r.Source, r.Env, r.Component); err != nil {
		return err
	}
	k.run = r
	return k.s.store.createRun(k.ctx, r)
}

// Case writes one case as a result and its artifacts.
func (k *caseSink) Case(c *ingest.Case) error {
	if strings.TrimSpace(c.TestID) == "" {
		return badInputf("a test case has no name")
	}
	if !c.Outcome.Valid() {
		return badInputf("test case %q: outcome %q is not one Ibutsu knows", preview(c.TestID), c.Outcome)
	}
	if c.Start != nil && !model.TimeFits(*c.Start) {
		c.Start = nil // beyond what the API reads back: the run's start, as when absent
	}
	if c.Start != nil && k.first == nil {
		t := c.Start.UTC().Truncate(time.Microsecond)
		k.first = &t
	}
	if err := k.ensureRun(); err != nil {
		return err
	}
	md := make(map[string]any, len(c.Metadata)+len(k.form.metadata)+8)
	for key, v := range c.Metadata {
		md[key] = v
	}
	for key, v := range k.form.metadata {
		md[key] = v
	}
	md["run"] = k.run.ID.String()
	if c.File != "" {
		md["fspath"] = c.File
	}
	if c.Line != nil {
		md["line"] = *c.Line
	}
	if len(c.Suite) > 0 {
		md["suite"] = strings.Join(c.Suite, " › ")
	}
	if c.Outcome == ingest.Skipped && c.SkipReason != "" {
		setDefault(md, "skip_reason", c.SkipReason)
	}
	if c.Outcome == ingest.Failed || c.Outcome == ingest.Errored {
		if msg := shortReason(c.Message, c.Trace); msg != "" {
			setDefault(md, "short_tb", msg)
		}
		if e := strings.TrimSpace(c.Exception); e != "" {
			setDefault(md, "exception_name", e)
		}
	}
	component := k.run.Component
	if component == nil && c.Component != "" {
		component = ptr(c.Component)
		md["component"] = c.Component
	}
	if err := checkJSON(fmt.Sprintf("test case %q", preview(c.TestID)), any(md)); err != nil {
		return err
	}
	start := k.run.StartTime
	if c.Start != nil {
		start = c.Start.UTC().Truncate(time.Microsecond)
	}
	status := string(c.Outcome)
	dur := model.ClampDuration(max(c.Duration, 0))
	k.tally(status, dur)
	res := model.Result{ID: uuid.New(), RunID: &k.run.ID, TestID: ptr(c.TestID), Result: &status, Data: md,
		Params: model.JSON{}, Duration: &dur, StartTime: start, ProjectID: k.run.ProjectID,
		Source: k.run.Source, Env: k.run.Env, Component: component}
	if err := checkResultFields(fmt.Sprintf("test case %q", preview(c.TestID)), res.TestID, res.Source, res.Env, res.Component); err != nil {
		return err
	}
	arts, err := k.artifacts(c, res.ID)
	if err != nil {
		return err
	}
	return k.w.addResult(k.ctx, res, arts...)
}

// artifacts are a case's failure text, captured output and attachments,
// each within the artifact cap.
func (k *caseSink) artifacts(c *ingest.Case, resultID uuid.UUID) ([]model.Artifact, error) {
	var arts []model.Artifact
	limit := k.s.artifactCap()
	add := func(name, ctype string, b []byte) {
		if ctype == "" {
			ctype = "text/plain"
		}
		arts = append(arts, model.Artifact{ID: uuid.New(), ResultID: &resultID, Filename: &name, Content: b,
			UploadDate: k.s.now(), Data: model.JSON{"contentType": ctype, "resultId": resultID.String()}})
	}
	if c.Truncated {
		reportFrom(k.ctx).truncate(c.TestID+"/text", 0)
	}
	if c.Trace != "" {
		add("traceback.log", "", capText(c.Trace, limit))
	}
	if c.Output != "" {
		name := c.OutputName
		if name == "" {
			name = "output.log"
		}
		add(name, "", capText(c.Output, limit))
	}
	for _, a := range c.Attachments {
		name := strings.TrimSpace(a.Name)
		if name == "" {
			name = "attachment"
		}
		if err := checkIndexed(fmt.Sprintf("test case %q: attachment name", preview(c.TestID)), 255, &name); err != nil {
			return nil, err
		}
		if a.Body == nil {
			add(name, a.ContentType, capText(a.Text, limit))
			continue
		}
		b, size, cut, err := readCapped(a.Body, limit)
		if err != nil {
			return nil, fmt.Errorf("read attachment %s: %w", name, err)
		}
		if cut {
			reportFrom(k.ctx).truncate(c.TestID+"/"+name, size)
		}
		add(name, a.ContentType, b)
	}
	return arts, nil
}

// capText is s as artifact bytes, cut with a marker to fit limit.
func capText(s string, limit int64) []byte {
	if int64(len(s)) <= limit {
		return []byte(s)
	}
	marker := truncationMarker(int64(len(s)), limit)
	keep := max(limit-int64(len(marker)), 0)
	return append([]byte(strings.ToValidUTF8(s[:keep], "")), marker...)
}

func setDefault(md map[string]any, key string, v any) {
	if _, set := md[key]; !set {
		md[key] = v
	}
}

// finish writes the summary counted from the cases, the duration (the
// file's, else the cases' sum) and a start the file told after the first
// case.
func (k *caseSink) finish() error {
	k.run.Summary = run.Summary(k.cases, k.cases.Tests)
	d := k.cases.Duration
	if k.info.Duration != nil && *k.info.Duration >= 0 {
		d = *k.info.Duration
	}
	d = model.ClampDuration(d)
	k.run.Duration = &d
	if k.info.Start != nil {
		k.run.StartTime = k.info.Start.UTC().Truncate(time.Microsecond)
	}
	md := k.runMetadata()
	for key, v := range md {
		k.run.Data[key] = v
	}
	// What the file told after its first case reaches the run (the
	// results written before keep theirs).
	if k.run.Env == nil {
		k.run.Env = scalar(md["env"])
	}
	if k.run.Component == nil {
		k.run.Component = scalar(md["component"])
	}
	if err := checkResultFields("the report's run", nil, k.run.Source, k.run.Env, k.run.Component); err != nil {
		return err
	}
	return k.s.store.saveRun(k.ctx, k.run)
}

// runIDFromName is upstream's rule: a version-4 UUID in the file name
// names the run (so CI can choose its id); otherwise a new one.
func (s *Service) runIDFromName(ctx context.Context, filename string) (uuid.UUID, error) {
	m := uuid4RE.FindString(filename)
	if m == "" {
		return uuid.New(), nil
	}
	id := uuid.MustParse(m)
	taken, err := s.store.runExists(ctx, id)
	if err != nil {
		return uuid.Nil, err
	}
	if taken {
		return uuid.Nil, badInputf("a run with id %s (from the file name) already exists", id)
	}
	return id, nil
}

// runProject is the project an imported run lands in: the form's, else
// the one the file's run metadata names (`project`), each checked against
// what the uploader may write.
func (s *Service) runProject(ctx context.Context, rt *rights, f form, md map[string]any, resolve func(string) (*uuid.UUID, error)) (*uuid.UUID, error) {
	if f.projectID != nil {
		if err := rt.requireProject(ctx, f.projectID, "project "+f.projectID.String()); err != nil {
			return nil, err
		}
		return f.projectID, nil
	}
	name := scalar(md["project"])
	if name == nil {
		return nil, nil
	}
	pid, err := resolve(*name)
	if err != nil || pid == nil {
		return nil, err
	}
	if err := rt.requireProject(ctx, pid, "project "+*name+" named by the file"); err != nil {
		return nil, err
	}
	return pid, nil
}
