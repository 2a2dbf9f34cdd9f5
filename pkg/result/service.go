package result

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/fingerprint"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/project"
)

// Statuses are the values `result` may take.
var Statuses = []string{"passed", "failed", "error", "skipped", "xpassed", "xfailed", "manual", "blocked"}

// RunNotifier is told when a run's results changed so its summary gets
// recomputed (package run implements it; an interface avoids a cycle).
type RunNotifier interface {
	RunChanged(ctx context.Context, runID uuid.UUID)
}

// Announcer is a RunNotifier that also announces each new result on
// the live streams (run.Summarizer); it must not block.
type Announcer interface {
	ResultAdded(ctx context.Context, r *model.Result)
}

// Service creates and updates results with upstream's rules.
type Service struct {
	db       *db.DB
	store    store
	projects *project.Store
	runs     RunNotifier
	log      *slog.Logger
	writes   *batcher
	// quarantine marks quarantined failures (nil: none are).
	quarantine Quarantine
	// flaky marks results of currently flaky tests (nil: none are).
	flaky FlakyMarks
	// afterRunCheck, when not nil, runs between the run rule's check and
	// the write (POST /result's insert, PUT /result's save): the gap in
	// which a move of the run could commit, which tests try to fill with
	// one (export_test.go). Nil outside tests.
	afterRunCheck func(ctx context.Context)
}

// NewService builds the service; Close stops its insert workers.
func NewService(d *db.DB, projects *project.Store, runs RunNotifier, log *slog.Logger, opts ...Option) *Service {
	workers := 4
	if d.Dialect == db.SQLite {
		workers = 1
	}
	s := &Service{db: d, store: store{db: d}, projects: projects, runs: runs, log: log, writes: newBatcher(d, workers, 128)}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Close finishes queued inserts and stops the insert workers.
func (s *Service) Close() { s.writes.close() }

// ErrNotFound is returned for an unknown result id.
var ErrNotFound = errors.New("result not found")

// Get loads a result.
func (s *Service) Get(ctx context.Context, id uuid.UUID) (*model.Result, error) {
	return s.store.get(ctx, id)
}

// ResolveProject finds the project a write names in metadata.project
// (preferred) or project_id — each a name or a UUID — and checks access.
func ResolveProject(ctx context.Context, projects *project.Store, u *model.User, md map[string]any, projectID any) (*model.Project, error) {
	ref := ""
	if s, ok := md["project"].(string); ok && s != "" {
		ref = s
	} else if s, ok := projectID.(string); ok && s != "" {
		ref = s
	}
	if ref == "" {
		return nil, apperr.BadRequest("Bad request, project or project_id is required")
	}
	p, err := projects.Resolve(ctx, ref)
	if errors.Is(err, project.ErrNotFound) {
		return nil, apperr.BadRequest("Invalid project")
	}
	if err != nil {
		return nil, err
	}
	if err := apperr.ForbiddenUnless(projects.CanAccess(ctx, u, p.ID)); err != nil {
		return nil, err
	}
	return p, nil
}

// MovedTo is the project an update's metadata moves its row to: its
// "project" key resolved as ResolveProject does, nil when it names none.
// PUT /result and PUT /run share it.
func MovedTo(ctx context.Context, projects *project.Store, u *model.User, md map[string]any) (*model.Project, error) {
	if ref, ok := md["project"].(string); !ok || ref == "" {
		return nil, nil
	}
	return ResolveProject(ctx, projects, u, md, nil)
}

// Create applies POST /result (docs/api-compatibility.md#endpoint-behaviour).
func (s *Service) Create(ctx context.Context, u *model.User, req CreateRequest) (*model.Result, error) {
	r, _, err := s.create(ctx, u, req, false)
	return r, err
}

// CreateView is Create and the view POST /result answers with (RenderOne).
func (s *Service) CreateView(ctx context.Context, u *model.User, req CreateRequest) (View, error) {
	r, v, err := s.create(ctx, u, req, true)
	if err != nil {
		return View{}, err
	}
	if v != nil {
		return *v, nil
	}
	return s.RenderOne(ctx, r)
}

// create is Create; with render set it also returns the result's view
// when checkAndMark could read its markers before the insert (nil: the
// caller renders it).
func (s *Service) create(ctx context.Context, u *model.User, req CreateRequest, render bool) (*model.Result, *View, error) {
	r := &model.Result{TestID: req.TestID, Result: req.Result, Duration: req.Duration, Source: req.Source, Params: req.Params}
	md := req.Metadata
	if sid := req.ID; sid != nil {
		id, ok := model.ParseUUID(*sid)
		if !ok {
			return nil, nil, apperr.BadRequest("Result ID %s is not in UUID format", *sid)
		}
		r.ID = id
		// PostgreSQL reports a duplicate through the insert's unique
		// violation; SQLite's driver errors are not classified, so ask first.
		if s.db.Dialect == db.SQLite {
			if _, err := s.Get(ctx, id); err == nil {
				return nil, nil, apperr.BadRequest("Result id %s already exist", id)
			}
		}
	} else {
		r.ID = uuid.New()
	}
	p, err := ResolveProject(ctx, s.projects, u, md, Deref(req.ProjectID))
	if err != nil {
		return nil, nil, err
	}
	r.ProjectID = &p.ID
	if md != nil {
		md = model.FlattenUserProperties(md)
	}
	r.Data = md
	r.Env, r.Component = model.MetaString(md, "env"), model.MetaString(md, "component")
	runRef := model.MetaString(md, "run")
	if runRef == nil {
		runRef = req.RunID
	}
	if r.RunID, err = s.runRef(ctx, runRef); err != nil {
		return nil, nil, err
	}
	// The start time is parsed before the run is checked, since a
	// failure's marks read with that check depend on it, but its error is
	// still reported after the check's, as before.
	start, startErr := startTime(req.StartTime)
	r.StartTime = start
	marks, fp, err := s.checkAndMark(ctx, u, r, render && startErr == nil)
	if err != nil {
		return nil, nil, err
	}
	if startErr != nil {
		return nil, nil, startErr
	}
	if s.afterRunCheck != nil {
		s.afterRunCheck(ctx)
	}
	if err := s.writes.insert(ctx, r, fp); err != nil {
		switch {
		case errors.Is(err, fingerprint.ErrRunMoved):
			return nil, nil, s.runMoved(ctx, u, r)
		case isDuplicate(err):
			return nil, nil, apperr.BadRequest("Result id %s already exist", r.ID)
		case isMissingReference(err) && r.RunID != nil:
			return nil, nil, apperr.BadRequest("Run ID %s not found", *r.RunID)
		}
		return nil, nil, fmt.Errorf("create result: %w", err)
	}
	if r.RunID != nil && s.runs != nil {
		s.runs.RunChanged(ctx, *r.RunID)
		if p, ok := s.runs.(Announcer); ok {
			p.ResultAdded(ctx, r)
		}
	}
	if marks == nil {
		return r, nil, nil
	}
	views := Views([]model.Result{*r})
	marks(views)
	return r, &views[0], nil
}

// checkAndMark applies the run rule (checkRun) to a new result and, with
// render set, reads the markers of its answer in the same statement, before
// the insert: on PostgreSQL (the look-up reads the run's project as text).
// A failure's triage marks are read for the fingerprint its insert will
// write (fingerprint.PendingAnnotationLookups). That is one round trip
// fewer for every POST /result request: cmd/bench counted each such
// request's statements at about 0.1 ms of the backend's CPU and as much of
// PostgreSQL's, against a few tenths of a millisecond for the insert it
// serves; for a failure, reading its marks after the insert was about a
// sixth of what it cost beyond a passed result (BenchmarkFailedAnswer,
// docs/performance.md). marks, when
// not nil, adds the markers read to the result's view; fp, when not nil, is
// fingerprint.Of(r), for the insert. r.StartTime must be set.
func (s *Service) checkAndMark(ctx context.Context, u *model.User, r *model.Result, render bool) (marks func([]View), fp *fingerprint.Row, err error) {
	if !render || s.db.Dialect != db.Postgres {
		return nil, nil, s.checkRun(ctx, u, r)
	}
	ls, fp, apply := s.pendingMarkLookups(r)
	var run project.RunProjectRead
	if r.RunID != nil {
		ls = append([]db.Lookup{s.projects.RunProjectLookup(*r.RunID, &run)}, ls...)
	}
	if err := s.db.Lookups(ctx, ls...); err != nil {
		return nil, nil, err
	}
	if r.RunID != nil {
		if err := s.projects.CheckRunInProject(ctx, u, *r.RunID, r.ProjectID, run); err != nil {
			return nil, nil, err
		}
	}
	return apply, fp, nil
}

// runMoved answers a result whose run moved to another project after
// checkAndMark's read (the insert checked it on the locked run and wrote
// nothing): the check again, on the run as it is now, so the answer is the
// one a result posted into that run now gets (403, or 400 for a project
// other than the result's). A run moved back meanwhile still gets a 409:
// the client may post again.
func (s *Service) runMoved(ctx context.Context, u *model.User, r *model.Result) error {
	if err := s.projects.RequireRunInProject(ctx, u, *r.RunID, r.ProjectID); err != nil {
		return err
	}
	return apperr.Conflict("Run %s moved to another project while the result was written", *r.RunID)
}

// runRef checks that a referenced run exists, so a bad reference is a 400
// rather than a foreign-key failure.
func (s *Service) runRef(ctx context.Context, ref *string) (*uuid.UUID, error) {
	if ref == nil || *ref == "" {
		return nil, nil
	}
	id, ok := model.ParseUUID(*ref)
	if !ok {
		return nil, apperr.BadRequest("Run ID %s is not in UUID format", *ref)
	}
	if s.db.Dialect == db.Postgres {
		return &id, nil // the foreign key answers on insert (see Create)
	}
	exists, err := s.store.runExists(ctx, id)
	if err != nil {
		return nil, err
	}
	if !exists {
		return nil, apperr.BadRequest("Run ID %s not found", id)
	}
	return &id, nil
}

func startTime(s *string) (time.Time, error) {
	if s == nil || *s == "" {
		return time.Now().UTC().Truncate(time.Microsecond), nil
	}
	t, err := model.ParseTime(*s)
	if err != nil {
		return time.Time{}, apperr.Problem(400, "'%s' is not a 'date-time' - 'start_time'", *s)
	}
	return t, nil
}

// Update applies PUT /result/{id} as one transaction that holds the result's
// row from load to save, so concurrent PUTs merging different metadata keys
// serialise and none is lost: PostgreSQL takes a row lock (SELECT ... FOR
// UPDATE), SQLite's immediate transactions already admit one writer at a time.
func (s *Service) Update(ctx context.Context, u *model.User, id uuid.UUID, req UpdateRequest) (*model.Result, error) {
	return db.Tx(ctx, s.db, func(ctx context.Context) (*model.Result, error) {
		r, err := s.update(ctx, u, id, req)
		if err == nil {
			// The fingerprint follows the result (docs/triage.md).
			err = fingerprint.Refresh(ctx, s.db, r)
		}
		return r, err
	})
}

// update applies PUT /result/{id} (docs/api-compatibility.md#update-merge-semantics) inside Update's
// transaction.
func (s *Service) update(ctx context.Context, u *model.User, id uuid.UUID, req UpdateRequest) (*model.Result, error) {
	md := req.Metadata
	newProject, err := MovedTo(ctx, s.projects, u, md)
	if err != nil {
		return nil, err
	}
	held, err := s.store.lockRunsOf(ctx, id, targetRun(req))
	if err != nil {
		return nil, err
	}
	r, err := s.store.getForUpdate(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.projects.RequireAccess(ctx, u, r.ProjectID); err != nil {
		return nil, err
	}
	if err := runHeld(r, held); err != nil {
		return nil, err
	}
	oldRun, oldProject := r.RunID, r.ProjectID
	oldClass := fingerprint.Classification(r.Data)
	if v := req.TestID; v != nil {
		r.TestID = v
	}
	if v := req.Result; v != nil {
		r.Result = v
	}
	if v := req.Duration; v != nil {
		r.Duration = v
	}
	if v := req.Source; v != nil {
		r.Source = v
	}
	if req.Params != nil {
		r.Params = req.Params
	}
	if v := req.StartTime; v != nil && *v != "" {
		if r.StartTime, err = startTime(v); err != nil {
			return nil, err
		}
	}
	if req.RunID.Set {
		ref := Deref(req.RunID.Value)
		if r.RunID, err = s.runRef(ctx, &ref); err != nil {
			return nil, err
		}
	}
	if newProject != nil {
		r.ProjectID = &newProject.ID
	} else if v := req.ProjectID; v != nil {
		p, err := ResolveProject(ctx, s.projects, u, nil, *v)
		if err != nil {
			return nil, err
		}
		r.ProjectID = &p.ID
	}
	if md != nil {
		r.Data = model.DeepMerge(r.Data, model.FlattenUserProperties(md))
	}
	r.Env, r.Component = model.MetaString(r.Data, "env"), model.MetaString(r.Data, "component")
	if err := s.checkMove(ctx, u, r, oldRun, oldProject); err != nil {
		return nil, err
	}
	if s.afterRunCheck != nil {
		s.afterRunCheck(ctx)
	}
	if err := s.store.save(ctx, r); err != nil {
		return nil, err
	}
	if h, changed := fingerprint.Change(r.ID, oldClass, fingerprint.Classification(r.Data), u, time.Now()); changed {
		if err := fingerprint.RecordChanges(ctx, s.db, []fingerprint.HistoryRow{h}); err != nil {
			return nil, err
		}
	}
	if s.runs != nil {
		for _, rid := range []*uuid.UUID{oldRun, r.RunID} {
			if rid != nil {
				s.runs.RunChanged(ctx, *rid)
			}
		}
	}
	return r, nil
}

// CheckRead enforces project access on a loaded result (403 otherwise).
func (s *Service) CheckRead(ctx context.Context, u *model.User, r *model.Result) error {
	return s.projects.RequireAccess(ctx, u, r.ProjectID)
}

// Readable loads result id for u under the rule of GET /api/result/{id}:
// ErrNotFound when there is none, 403 outside its project. Every read of
// one result on a caller's behalf goes through it.
func (s *Service) Readable(ctx context.Context, u *model.User, id uuid.UUID) (*model.Result, error) {
	return project.LoadAccessible(ctx, s.projects, u, id, s.Get, func(r *model.Result) *uuid.UUID { return r.ProjectID })
}
