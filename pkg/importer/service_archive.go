package importer

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/importer/archive"
	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// maxJSONBytes caps run.json and result.json; both are a few KiB in practice.
const maxJSONBytes = 16 << 20

// archiveScan is what the first pass over an archive learns.
type archiveScan struct {
	runDir    uuid.UUID
	runJSON   map[string]any
	minStart  string
	hasResult bool
}

// importArchive imports an Ibutsu archive (docs/api-compatibility.md#imports) in three
// streaming passes over the stored bytes: (1) validate every member name
// and the limits, read run.json and the earliest result start; (2) write
// the run, the results and the run artifacts; (3) write result artifacts,
// which a tar may list before their result.json. Result ids are kept from
// the archive (upstream generates new ones), which makes a
// re-import idempotent: known results are re-pointed and their artifacts
// replaced instead of duplicated. The summary is then recomputed in the
// same transaction.
func (s *Service) importArchive(ctx context.Context, imp *model.Import, src *content) (uuid.UUID, error) {
	sc, err := s.scanArchive(ctx, src)
	if err != nil {
		return uuid.Nil, err
	}
	f := formOf(imp)
	rt, err := s.rightsOf(ctx, imp)
	if err != nil {
		return uuid.Nil, err
	}
	r, existed, err := s.archiveRun(ctx, sc, f, rt)
	if err != nil {
		return uuid.Nil, err
	}
	w := s.newWriter(true, nil)
	w.guard = func(id uuid.UUID, project *uuid.UUID) error { return existingResult(ctx, rt, r, id, project) }
	results := map[uuid.UUID]bool{}
	err = s.walkArchive(ctx, src, func(m archive.Member) error {
		switch m.Kind {
		case archive.ResultJSON:
			res, err := s.archiveResult(ctx, m, r, f)
			if err != nil {
				return err
			}
			results[res.ID] = true
			return w.addResult(ctx, *res)
		case archive.RunArtifact:
			if existed {
				if err := s.store.dropArtifact(ctx, "run_id", r.ID, m.Name); err != nil {
					return err
				}
			}
			a, err := s.artifactOf(ctx, m, "runId", r.ID)
			if err != nil {
				return err
			}
			a.RunID = &r.ID
			return w.addArtifacts(ctx, a)
		}
		return nil
	})
	if err != nil {
		return uuid.Nil, err
	}
	if err := w.flush(ctx); err != nil {
		return uuid.Nil, err
	}
	err = s.walkArchive(ctx, src, func(m archive.Member) error {
		if m.Kind != archive.ResultArtifact || !results[m.Result] {
			return nil
		}
		if w.existing[m.Result] {
			if err := s.store.dropArtifact(ctx, "result_id", m.Result, m.Name); err != nil {
				return err
			}
		}
		a, err := s.artifactOf(ctx, m, "resultId", m.Result)
		if err != nil {
			return err
		}
		id := m.Result
		a.ResultID = &id
		return w.addArtifacts(ctx, a)
	})
	if err != nil {
		return uuid.Nil, err
	}
	if err := w.flush(ctx); err != nil {
		return uuid.Nil, err
	}
	if err := s.summaries.Recompute(ctx, r.ID); err != nil {
		return uuid.Nil, err
	}
	return r.ID, nil
}

// walkArchive is one streaming pass over the stored archive.
func (s *Service) walkArchive(ctx context.Context, src *content, fn func(archive.Member) error) error {
	r, err := src.open(ctx)
	if err != nil {
		return err
	}
	return r.cause(archive.Walk(r, s.limits.Archive, fn))
}

// scanArchive is the first pass.
func (s *Service) scanArchive(ctx context.Context, src *content) (*archiveScan, error) {
	sc := &archiveScan{}
	err := s.walkArchive(ctx, src, func(m archive.Member) error {
		if sc.runDir == uuid.Nil {
			sc.runDir = m.Run
		} else if sc.runDir != m.Run {
			return badInputf("the archive holds more than one run directory (%s, %s)", sc.runDir, m.Run)
		}
		switch m.Kind {
		case archive.RunJSON:
			obj, err := readJSON(m)
			if err != nil {
				return err
			}
			sc.runJSON = obj
		case archive.ResultJSON:
			var r struct {
				StartTime any `json:"start_time"`
			}
			b, err := readBounded(m)
			if err != nil {
				return err
			}
			if err := json.Unmarshal(b, &r); err != nil {
				return badInputf("%s/%s/%s is not valid JSON: %v", m.Run, m.Result, m.Name, err)
			}
			sc.hasResult = true
			if st, ok := r.StartTime.(string); ok && st != "" && (sc.minStart == "" || st < sc.minStart) {
				sc.minStart = st
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if sc.runDir == uuid.Nil {
		return nil, badInputf("the archive holds no files")
	}
	return sc, nil
}

func readBounded(m archive.Member) ([]byte, error) {
	if m.Size > maxJSONBytes {
		return nil, badInputf("%s is larger than %d bytes", m.Name, maxJSONBytes)
	}
	b, err := io.ReadAll(io.LimitReader(m.Body, maxJSONBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: reading %s: %v", archive.ErrInvalid, m.Name, err)
	}
	return b, nil
}

func readJSON(m archive.Member) (map[string]any, error) {
	b, err := readBounded(m)
	if err != nil {
		return nil, err
	}
	obj := map[string]any{}
	if err := json.Unmarshal(b, &obj); err != nil {
		return nil, badInputf("%s is not a JSON object: %v", m.Name, err)
	}
	if err := checkJSON(m.Path, obj); err != nil {
		return nil, err
	}
	return obj, nil
}

// artifactOf reads a member into an artifact, at most the artifact cap of
// it (see readCapped); a truncation is noted in the import's report.
func (s *Service) artifactOf(ctx context.Context, m archive.Member, key string, owner uuid.UUID) (model.Artifact, error) {
	b, size, cut, err := readCapped(m.Body, s.artifactCap())
	if err != nil {
		return model.Artifact{}, fmt.Errorf("%w: reading %s: %v", archive.ErrInvalid, m.Name, err)
	}
	if cut {
		reportFrom(ctx).truncate(m.Path, size)
	}
	name := m.Name
	return model.Artifact{ID: uuid.New(), Filename: &name, Content: b,
		UploadDate: time.Now().UTC().Truncate(time.Microsecond),
		Data:       model.JSON{"contentType": "text/plain", key: owner.String()}}, nil
}

// archiveRun creates the run from run.json (or updates the run with that
// id). Without run.json, or without an id in it, the run directory's name
// is the id (upstream crashes there).
func (s *Service) archiveRun(ctx context.Context, sc *archiveScan, f form, rt *rights) (*model.Run, bool, error) {
	rj := sc.runJSON
	if rj == nil {
		rj = map[string]any{"duration": 0.0, "summary": map[string]any{"errors": 0, "failures": 0, "skips": 0,
			"tests": 0, "xfailures": 0, "xpasses": 0}}
	}
	id := sc.runDir
	if v, ok := rj["id"].(string); ok {
		if parsed, err := uuid.Parse(v); err == nil {
			id = parsed
		}
	}
	md, _ := rj["metadata"].(map[string]any)
	if md == nil {
		md = map[string]any{}
	}
	for k, v := range f.metadata {
		md[k] = v
	}
	r := &model.Run{ID: id, Data: md, Env: scalar(rj["env"]), Component: scalar(rj["component"]), Source: scalar(rj["source"])}
	if f.source != nil {
		r.Source = f.source
	}
	if v, ok := md["component"]; ok {
		r.Component = scalar(v)
	}
	if v, ok := md["env"]; ok {
		r.Env = scalar(v)
	}
	// named is the project as the upload gave it: a refusal repeats it,
	// never the id a name resolved to.
	var named string
	switch {
	case f.projectID != nil:
		r.ProjectID = f.projectID
		named = f.projectID.String()
	case md["project"] != nil:
		if ref := scalar(md["project"]); ref != nil {
			p, err := s.projects.Resolve(ctx, *ref)
			if err == nil {
				r.ProjectID, named = &p.ID, *ref
			}
		}
	default:
		if ref := scalar(rj["project_id"]); ref != nil {
			if p, err := s.projects.Resolve(ctx, *ref); err == nil {
				r.ProjectID, named = &p.ID, *ref
			}
		}
	}
	if r.ProjectID != nil {
		if err := rt.requireProject(ctx, r.ProjectID, "project "+named+" of run "+id.String()); err != nil {
			return nil, false, err
		}
	} else if len(rt.watched) > 0 {
		return nil, false, badInputf("run %s names none of the projects its S3 bucket is bound to", id)
	}
	if v, ok := rj["duration"].(float64); ok {
		v = model.ClampDuration(v)
		r.Duration = &v
	}
	if sm, ok := rj["summary"].(map[string]any); ok {
		r.Summary = sm
	}
	start, hasStart := archiveTime(rj["start_time"])
	created, hasCreated := archiveTime(rj["created"])
	switch {
	case hasStart && !hasCreated:
		created = start
	case hasCreated && !hasStart:
		start = created
	case !hasStart && !hasCreated:
		start, hasStart = archiveTime(sc.minStart)
		if !hasStart {
			start = s.now()
		}
		created = start
	}
	r.StartTime, r.Created = start, created
	if err := checkResultFields("run.json", nil, r.Source, r.Env, r.Component); err != nil {
		return nil, false, err
	}

	old, err := s.store.runForMerge(ctx, id)
	if err != nil {
		return nil, false, err
	}
	if old == nil {
		if err := s.store.createRun(ctx, r); err != nil {
			return nil, false, err
		}
		return r, false, nil
	}
	if err := rt.requireProject(ctx, old.ProjectID, "run "+id.String()+" already exists"); err != nil {
		return nil, false, err
	}
	if old.ProjectID != nil && (r.ProjectID == nil || *old.ProjectID != *r.ProjectID) {
		return nil, false, badInputf("run %s already exists in another project", id)
	}
	r.Data = model.DeepMerge(old.Data.OrEmpty(), md)
	if err := s.store.saveRun(ctx, r); err != nil {
		return nil, false, err
	}
	return r, true, nil
}

// archiveResult builds a result from result.json; its id is its directory.
func (s *Service) archiveResult(ctx context.Context, m archive.Member, r *model.Run, f form) (*model.Result, error) {
	obj, err := readJSON(m)
	if err != nil {
		return nil, err
	}
	md, _ := obj["metadata"].(map[string]any)
	if md == nil {
		md = map[string]any{}
	}
	for k, v := range f.metadata {
		md[k] = v
	}
	md = model.FlattenUserProperties(md)
	res := &model.Result{ID: m.Result, RunID: &r.ID, ProjectID: r.ProjectID, Data: md,
		TestID: scalar(obj["test_id"]), Result: scalar(obj["result"]), Source: scalar(obj["source"]),
		Env: scalar(md["env"]), Component: scalar(md["component"]), Params: model.JSON{}}
	if res.ProjectID == nil {
		res.ProjectID = f.projectID
	}
	if p, ok := obj["params"].(map[string]any); ok {
		res.Params = p
	}
	if d, ok := obj["duration"].(float64); ok {
		d = model.ClampDuration(d)
		res.Duration = &d
	}
	st, ok := archiveTime(obj["start_time"])
	if !ok {
		st = r.StartTime
	}
	res.StartTime = st
	if err := checkResultFields(m.Path, res.TestID, res.Source, res.Env, res.Component); err != nil {
		return nil, err
	}
	return res, nil
}

// archiveTime reads an ISO-8601 string; empty or malformed values count as absent.
func archiveTime(v any) (time.Time, bool) {
	s, ok := v.(string)
	if !ok || s == "" {
		return time.Time{}, false
	}
	t, err := model.ParseTime(s)
	return t, err == nil
}
