package run

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/listing"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/result"
)

// ErrNotFound is returned for an unknown run id.
var ErrNotFound = errors.New("run not found")

// Service creates, updates and lists runs.
type Service struct {
	db        *db.DB
	store     store
	projects  *project.Store
	summaries *Summarizer
	log       *slog.Logger
	// quarantine counts quarantined failures (nil: none are).
	quarantine Quarantine
	// flaky marks runs that are evidence of flaky tests (nil: none).
	flaky FlakyMarks
}

// NewService builds the service.
func NewService(d *db.DB, projects *project.Store, summaries *Summarizer, log *slog.Logger, opts ...Option) *Service {
	s := &Service{db: d, store: store{db: d}, projects: projects, summaries: summaries, log: log}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Get loads a run.
func (s *Service) Get(ctx context.Context, id uuid.UUID) (*model.Run, error) {
	return s.store.get(ctx, id)
}

// CheckAccess enforces project access on a loaded run (403 otherwise).
func (s *Service) CheckAccess(ctx context.Context, u *model.User, r *model.Run) error {
	return s.projects.RequireAccess(ctx, u, r.ProjectID)
}

// Readable loads run id for u under the rule of GET /api/run/{id}:
// ErrNotFound when there is none, 403 outside its project. Every read of
// one run on a caller's behalf goes through it.
func (s *Service) Readable(ctx context.Context, u *model.User, id uuid.UUID) (*model.Run, error) {
	return project.LoadAccessible(ctx, s.projects, u, id, s.Get, func(r *model.Run) *uuid.UUID { return r.ProjectID })
}

func timeField(s *string, k string, def time.Time) (time.Time, error) {
	if s == nil || *s == "" {
		return def, nil
	}
	t, err := model.ParseTime(*s)
	if err != nil {
		return time.Time{}, apperr.Problem(400, "'%s' is not a 'date-time' - '%s'", *s, k)
	}
	return t, nil
}

// checkSummary rejects a summary.pass_percent that is not an integer: the
// shared schema indexes it cast to integer, so PostgreSQL would refuse the
// row; both dialects answer the same 400.
func checkSummary(summary map[string]any) error {
	v, ok := summary["pass_percent"]
	if !ok || v == nil {
		return nil
	}
	if n, isNum := v.(json.Number); isNum {
		if _, err := n.Int64(); err == nil {
			return nil
		}
	}
	return apperr.Problem(400, "summary.pass_percent must be an integer")
}

// Create applies POST /run (docs/api-compatibility.md#endpoint-behaviour).
func (s *Service) Create(ctx context.Context, u *model.User, req CreateRequest) (*model.Run, error) {
	if err := checkSummary(req.summary()); err != nil {
		return nil, err
	}
	md := req.Metadata
	if len(md) == 0 {
		return nil, apperr.BadRequest("Bad request, no data supplied")
	}
	r := &model.Run{Data: md, Duration: req.Duration, Source: req.Source.Value, Summary: req.summary()}
	if sid := req.ID; sid != nil {
		id, ok := model.ParseUUID(*sid)
		if !ok {
			return nil, apperr.BadRequest("Run ID %s is not in UUID format", *sid)
		}
		r.ID = id
	} else {
		r.ID = uuid.New()
	}
	p, err := result.ResolveProject(ctx, s.projects, u, md, result.Deref(req.ProjectID))
	if err != nil {
		return nil, err
	}
	r.ProjectID = &p.ID
	r.Env, r.Component = model.MetaString(md, "env"), model.MetaString(md, "component")
	now := time.Now().UTC().Truncate(time.Microsecond)
	if r.StartTime, err = timeField(req.StartTime, "start_time", now); err != nil {
		return nil, err
	}
	if r.Created, err = timeField(req.Created, "created", now); err != nil {
		return nil, err
	}
	if _, err := s.Get(ctx, r.ID); err == nil {
		return nil, apperr.BadRequest("Run id %s already exist", r.ID)
	}
	if err := s.store.create(ctx, r); err != nil {
		if errors.Is(err, errDuplicate) {
			return nil, apperr.BadRequest("Run id %s already exist", r.ID)
		}
		return nil, err
	}
	s.summaries.started(ctx, r)
	s.summaries.RunChanged(ctx, r.ID)
	return r, nil
}

// Update applies PUT /run/{id} as one transaction that holds the run's row
// from load to save, so concurrent PUTs (and the summary task, which locks
// the same row) merging different metadata keys serialise and none is lost.
func (s *Service) Update(ctx context.Context, u *model.User, id uuid.UUID, req UpdateRequest) (*model.Run, error) {
	return db.Tx(ctx, s.db, func(ctx context.Context) (*model.Run, error) { return s.update(ctx, u, id, req) })
}

// update applies PUT /run/{id}: metadata deep-merged, other keys replaced,
// env/component not re-derived (docs/api-compatibility.md#endpoint-behaviour), summary recomputation queued;
// it runs inside Update's transaction.
func (s *Service) update(ctx context.Context, u *model.User, id uuid.UUID, req UpdateRequest) (*model.Run, error) {
	if err := checkSummary(req.summary()); err != nil {
		return nil, err
	}
	md := req.Metadata
	newProject, err := result.MovedTo(ctx, s.projects, u, md)
	if err != nil {
		return nil, err
	}
	r, err := s.store.getForUpdate(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.CheckAccess(ctx, u, r); err != nil {
		return nil, err
	}
	oldProject := r.ProjectID
	for _, f := range []struct {
		in  model.Nullable[string]
		dst **string
	}{{req.Source, &r.Source}, {req.Component, &r.Component}, {req.Env, &r.Env}} {
		if f.in.Set {
			*f.dst = f.in.Value
		}
	}
	if v := req.Duration; v != nil {
		r.Duration = v
	}
	if req.Summary.Set {
		r.Summary = req.summary()
	}
	if r.StartTime, err = timeField(req.StartTime, "start_time", r.StartTime); err != nil {
		return nil, err
	}
	if r.Created, err = timeField(req.Created, "created", r.Created); err != nil {
		return nil, err
	}
	if newProject != nil {
		r.ProjectID = &newProject.ID
	} else if v := req.ProjectID; v != nil {
		p, err := result.ResolveProject(ctx, s.projects, u, nil, *v)
		if err != nil {
			return nil, err
		}
		r.ProjectID = &p.ID
	}
	if md != nil {
		r.Data = model.DeepMerge(r.Data, md)
	}
	if err := s.save(ctx, u, r, oldProject); err != nil {
		return nil, err
	}
	s.summaries.RunChanged(ctx, r.ID)
	return r, nil
}

// List runs a scoped, filtered runs page ordered by p.Sort (default
// start_time DESC).
func (s *Service) List(ctx context.Context, u *model.User, p result.ListParams) ([]View, result.ListInfo, error) {
	rows, total, estimated, err := s.list(ctx, u, p)
	if err != nil {
		return nil, result.ListInfo{}, err
	}
	views, err := s.Render(ctx, rows)
	if err != nil {
		return nil, result.ListInfo{}, err
	}
	return views, result.ListInfo{Page: p.Page, PageSize: p.PageSize, Total: total, Estimated: estimated}, nil
}

// View loads a run the caller may see and renders it with its live state.
func (s *Service) View(ctx context.Context, u *model.User, id uuid.UUID) (View, error) {
	r, err := s.Readable(ctx, u, id)
	if err != nil {
		return View{}, err
	}
	return s.RenderOne(ctx, r)
}

// Finish applies POST /run/{id}/finish: the client says the run is
// complete. Finishing a finished run changes nothing.
func (s *Service) Finish(ctx context.Context, u *model.User, id uuid.UUID) (View, error) {
	if _, err := s.Readable(ctx, u, id); err != nil {
		return View{}, err
	}
	if _, err := s.summaries.Finish(ctx, id, FinishedByClient, time.Time{}); err != nil {
		return View{}, err
	}
	return s.View(ctx, u, id)
}

// SortFields are the fields GET /run may sort by: columns and numeric
// summary keys (summary.failures, summary.pass_percent, ...).
var SortFields = listing.SortFields{
	Columns:     []string{"start_time", "duration", "component", "env", "created"},
	NumericJSON: map[string]string{"summary": "summary"},
}

func (s *Service) list(ctx context.Context, u *model.User, p result.ListParams) ([]model.Run, int64, bool, error) {
	sort, err := listing.ParseSort(p.Sort, SortFields)
	if err != nil {
		return nil, 0, false, err
	}
	if err := filter.CheckFields(filter.Runs, p.Filters); err != nil {
		return nil, 0, false, err
	}
	scope, err := s.projects.ListScope(ctx, u, p.Filters)
	if err != nil {
		return nil, 0, false, err
	}
	return s.store.list(ctx, scope, sort, p)
}

// BulkUpdate applies POST /runs/bulk-update: the first pageSize runs the
// filters select (scoped like GET /run) get the metadata added under their
// own (existing keys win), and project_id fills a null one.
func (s *Service) BulkUpdate(ctx context.Context, u *model.User, filters []string, pageSize int, md map[string]any) ([]model.Run, error) {
	var newProject *uuid.UUID
	if ref, ok := md["project"].(string); ok && ref != "" {
		p, err := result.ResolveProject(ctx, s.projects, u, md, nil)
		if err != nil {
			return nil, err
		}
		newProject = &p.ID
	}
	var runs []model.Run
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		var err error
		runs, _, _, err = s.list(ctx, u, result.ListParams{Filters: filters, Page: 1, PageSize: pageSize})
		if err != nil {
			return err
		}
		if runs, err = s.store.relock(ctx, runs); err != nil {
			return err
		}
		for i := range runs {
			r := &runs[i]
			r.Data = model.FillMissing(r.Data, md)
			if r.ProjectID == nil && newProject != nil {
				r.ProjectID = newProject
			}
			if err := s.store.saveBulk(ctx, r); err != nil {
				return err
			}
		}
		return nil
	})
	return runs, err
}
