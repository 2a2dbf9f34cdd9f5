// Package flaky finds flaky tests (docs/triage.md#flaky-tests): tests that
// both passed and failed within one run or Jenkins build, or whose outcome
// flipped at least K times over their last N runs of a job. The tests found
// are kept in our own tables, refreshed when a run's summary is computed and
// by a periodic task, so the list, the widget and the markers on results and
// runs are index reads.
package flaky

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/paging"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
	"github.com/ibutsu-go/ibutsu/pkg/project"
)

// TypeRefresh is the periodic task that re-examines every project's tests.
const TypeRefresh = "triage.refresh_flaky"

// Settings are a project's detection thresholds.
type Settings struct {
	// MinFlips is K: the outcome changes over the last runs that make a test flaky.
	MinFlips int `json:"min_flips"`
	// LastRuns is N: how many of the test's latest runs of a job are read.
	LastRuns int `json:"last_runs"`
	// WindowDays: only results that started in the last this many days count.
	WindowDays int `json:"window_days"`
}

// Defaults are the thresholds of a project without its own.
var Defaults = Settings{MinFlips: 3, LastRuns: 10, WindowDays: 14}

// Bounds of the settings.
const (
	maxLastRuns   = 100
	maxWindowDays = 365
)

// Validate checks the thresholds (400 with the reason otherwise).
func (st Settings) Validate() error {
	switch {
	case st.LastRuns < 2 || st.LastRuns > maxLastRuns:
		return apperr.BadRequest("last_runs must be between 2 and %d", maxLastRuns)
	case st.MinFlips < 1 || st.MinFlips > st.LastRuns-1:
		return apperr.BadRequest("min_flips must be between 1 and last_runs - 1")
	case st.WindowDays < 1 || st.WindowDays > maxWindowDays:
		return apperr.BadRequest("window_days must be between 1 and %d", maxWindowDays)
	}
	return nil
}

// Service detects flaky tests and answers questions about them.
type Service struct {
	db       *db.DB
	store    store
	projects project.Lookup
	log      *slog.Logger
	now      func() time.Time
	// turned is told about each newly flaky test (OnTurnedFlaky).
	turned func(ctx context.Context, t TestRow) error
	// examining, when set, is told the test ids each refresh examines (nil:
	// all of the project's); tests count them with it.
	examining func(testIDs []string)
	// afterTouched, when set, runs in RefreshRun's transaction on
	// PostgreSQL once the run's touched rows are taken; tests fail the
	// refresh with it.
	afterTouched func(ctx context.Context) error
}

// Option adjusts a Service as NewService builds it.
type Option func(*Service)

// OnTurnedFlaky has fn called for every test newly detected as flaky (the
// webhooks send test.flaky from it); its error is logged.
func OnTurnedFlaky(fn func(ctx context.Context, t TestRow) error) Option {
	return func(s *Service) { s.turned = fn }
}

// NewService builds the service.
func NewService(d *db.DB, projects project.Lookup, log *slog.Logger, opts ...Option) *Service {
	s := &Service{db: d, store: store{db: d}, projects: projects, log: log, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	return s
}

// readable loads a project the caller can read: 404 unknown, 403 foreign.
func (s *Service) readable(ctx context.Context, u *model.User, id uuid.UUID) (*model.Project, error) {
	return project.LoadReadable(ctx, s.projects, u, id, apperr.Forbidden())
}

// settings are a project's thresholds, the defaults where it has none.
func (s *Service) settings(ctx context.Context, projectID uuid.UUID) (Settings, error) {
	st, ok, err := s.store.settings(ctx, projectID)
	if err != nil || !ok {
		return Defaults, err
	}
	return st, nil
}

// GetSettings is GET /api/project/{id}/flaky-settings: anyone who can read
// the project.
func (s *Service) GetSettings(ctx context.Context, u *model.User, id uuid.UUID) (Settings, error) {
	if _, err := s.readable(ctx, u, id); err != nil {
		return Settings{}, err
	}
	return s.settings(ctx, id)
}

// PutSettings is PUT /api/project/{id}/flaky-settings: the project's owner
// or a superadmin, as PUT /api/project/{id}. Missing fields keep their
// value. The project's flaky tests are re-examined with the new thresholds.
func (s *Service) PutSettings(ctx context.Context, u *model.User, id uuid.UUID, req SettingsRequest) (Settings, error) {
	p, err := s.projects.ByID(ctx, id)
	if err != nil {
		return Settings{}, apperr.NotFoundIf(err, project.ErrNotFound, "Project not found")
	}
	if !u.IsSuperadmin && (p.OwnerID == nil || *p.OwnerID != u.ID) {
		return Settings{}, apperr.Forbidden()
	}
	st, err := s.mergeSettings(ctx, id, req)
	if err != nil {
		return Settings{}, err
	}
	if err := s.RefreshProject(ctx, id); err != nil {
		return Settings{}, err
	}
	return st, nil
}

// mergeSettings writes req's fields over the project's settings as they
// are: they are read after the project's settings lock, in the
// transaction that writes them, so two PUTs of different fields together
// keep both (saveSettings writes all three).
func (s *Service) mergeSettings(ctx context.Context, id uuid.UUID, req SettingsRequest) (Settings, error) {
	return db.Tx(ctx, s.db, func(ctx context.Context) (Settings, error) {
		if err := s.store.lockSettings(ctx, id); err != nil {
			return Settings{}, err
		}
		st, err := s.settings(ctx, id)
		if err != nil {
			return Settings{}, err
		}
		for dst, v := range map[*int]*int{&st.MinFlips: req.MinFlips, &st.LastRuns: req.LastRuns, &st.WindowDays: req.WindowDays} {
			if v != nil {
				*dst = *v
			}
		}
		if err := st.Validate(); err != nil {
			return Settings{}, err
		}
		return st, s.store.saveSettings(ctx, id, st)
	})
}

// ListRequest is GET /api/flaky's query.
type ListRequest struct {
	Project             uuid.UUID
	Component, Env, Job *string
	WindowDays          *int
	Page                paging.Page
}

// Entry is one flaky test with its evidence.
type Entry struct {
	TestRow
	Evidence []EvidenceRow
}

// List is GET /api/flaky: a project's flaky tests by score.
func (s *Service) List(ctx context.Context, u *model.User, req ListRequest) ([]Entry, int64, error) {
	if _, err := s.readable(ctx, u, req.Project); err != nil {
		return nil, 0, err
	}
	f := listFilter{ProjectID: req.Project, Component: req.Component, Env: req.Env, Job: req.Job}
	if req.WindowDays != nil {
		since := s.now().UTC().AddDate(0, 0, -*req.WindowDays)
		f.Since = &since
	}
	rows, total, err := s.store.list(ctx, f, req.Page)
	if err != nil {
		return nil, 0, err
	}
	return s.withEvidence(ctx, rows, total)
}

func (s *Service) withEvidence(ctx context.Context, rows []TestRow, total int64) ([]Entry, int64, error) {
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	ev, err := s.store.evidence(ctx, ids)
	if err != nil {
		return nil, 0, err
	}
	by := map[uuid.UUID][]EvidenceRow{}
	for _, e := range ev {
		by[e.FlakyID] = append(by[e.FlakyID], e)
	}
	out := make([]Entry, len(rows))
	for i, r := range rows {
		out[i] = Entry{TestRow: r, Evidence: by[r.ID]}
		if out[i].Evidence == nil {
			out[i].Evidence = []EvidenceRow{}
		}
	}
	return out, total, nil
}

// Top lists up to limit flaky tests of a project by score, for the widget
// (the caller's access is checked by the widget's scope).
func (s *Service) Top(ctx context.Context, f ListRequest, limit int) ([]Entry, int64, error) {
	lf := listFilter{ProjectID: f.Project, Component: f.Component, Env: f.Env, Job: f.Job}
	rows, total, err := s.store.list(ctx, lf, paging.Page{Page: 1, PageSize: limit})
	if err != nil {
		return nil, 0, err
	}
	return s.withEvidence(ctx, rows, total)
}

// RunSummarised re-examines the tests of a run whose summary was just
// computed: those that failed in it and those already flaky, when their
// results in the run changed since the run's previous refresh. Passes that
// complete a flip series are found by the periodic refresh. Errors are
// logged, never returned: the summary stands either way.
func (s *Service) RunSummarised(ctx context.Context, runID uuid.UUID) {
	if err := s.RefreshRun(ctx, runID); err != nil {
		s.log.Error("could not refresh flaky tests of run", "run_id", runID, "error", err)
	}
}

// RefreshRun re-examines the tests of one run (see RunSummarised). A run's
// summary is computed again every few seconds while results stream in, so
// the run's tests are not all read again each time: ibutsu_flaky_run_tests
// keeps each test's figures in the run (results, failures) as the run's
// last refresh examined them, and only the tests whose figures changed
// since are examined (a retry's pass arriving after the failure changes
// them).
//
// On PostgreSQL the changes are the rows the result triggers append to
// ibutsu_flaky_run_touched (00026): the refresh takes them and writes its
// findings and the new figures in one transaction, under the run's lock,
// so it reads what was written since its last window, and a refresh that
// fails gives the rows back. On SQLite it reads the run's failures and
// compares their figures (changedTests); the figures are read before the
// history, so a result committed later always shows as a change next time.
func (s *Service) RefreshRun(ctx context.Context, runID uuid.UUID) error {
	if s.db.Dialect != db.Postgres {
		projectID, changed, err := s.store.changedTests(ctx, runID)
		if err != nil || projectID == nil || len(changed) == 0 {
			return err
		}
		ids := make([]string, len(changed))
		for i, t := range changed {
			ids[i] = t.TestID
		}
		return s.refresh(ctx, *projectID, ids, func(ctx context.Context, now time.Time) error {
			return s.store.saveExamined(ctx, runID, changed, now)
		})
	}
	turned, err := db.Tx(ctx, s.db, func(ctx context.Context) ([]TestRow, error) {
		projectID, figures, ids, err := s.store.touchedTests(ctx, runID)
		if err != nil || projectID == nil || len(figures) == 0 {
			return nil, err
		}
		if s.afterTouched != nil {
			if err := s.afterTouched(ctx); err != nil {
				return nil, err
			}
		}
		save := func(ctx context.Context, now time.Time) error {
			return s.store.saveExamined(ctx, runID, figures, now)
		}
		if len(ids) == 0 { // figures to bring up to date, nothing to examine
			return nil, save(ctx, s.now().UTC())
		}
		return s.examine(ctx, *projectID, ids, save)
	})
	if err != nil {
		return err
	}
	for _, t := range turned {
		s.TurnedFlaky(ctx, t)
	}
	return nil
}

// RefreshProject re-examines every test of a project.
func (s *Service) RefreshProject(ctx context.Context, projectID uuid.UUID) error {
	return s.refresh(ctx, projectID, nil, nil)
}

// refresh is examine, then TurnedFlaky for the tests it found newly flaky.
func (s *Service) refresh(ctx context.Context, projectID uuid.UUID, tests []string,
	also func(ctx context.Context, now time.Time) error,
) error {
	turned, err := s.examine(ctx, projectID, tests, also)
	if err != nil {
		return err
	}
	for _, t := range turned {
		s.TurnedFlaky(ctx, t)
	}
	return nil
}

// examine applies the rules to tests (nil: all) of a project and brings
// ibutsu_flaky_tests in line: new flaky tests are inserted, known ones
// updated, and those no longer flaky removed; it returns the new ones,
// for TurnedFlaky once committed. also, when set, writes in the same
// transaction, under the project's lock. Called in a transaction, it
// writes in it (RefreshRun).
func (s *Service) examine(ctx context.Context, projectID uuid.UUID, tests []string,
	also func(ctx context.Context, now time.Time) error,
) ([]TestRow, error) {
	st, err := s.settings(ctx, projectID)
	if err != nil {
		return nil, err
	}
	if s.examining != nil {
		s.examining(tests)
	}
	now := s.now().UTC()
	since := now.AddDate(0, 0, -st.WindowDays)
	cands, err := s.store.candidates(ctx, projectID, since, tests)
	if err != nil {
		return nil, err
	}
	var found []Found
	if len(cands) > 0 {
		hist, err := s.store.history(ctx, projectID, since, cands)
		if err != nil {
			return nil, err
		}
		found = detect(hist, st)
	}
	var turned []TestRow
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.lockProject(ctx, projectID); err != nil {
			return err
		}
		old, err := s.store.existing(ctx, projectID, tests)
		if err != nil {
			return err
		}
		byKey := make(map[Key]TestRow, len(old))
		for _, o := range old {
			byKey[o.key()] = o
		}
		for _, f := range found {
			row := TestRow{ID: uuid.New(), ProjectID: projectID, TestID: f.TestID, Component: f.Component, Env: f.Env, Job: f.Job,
				Score: f.Score, FlipRate: f.FlipRate, Flips: f.Flips, Retries: f.Retries, Runs: f.Runs,
				FirstFlake: f.FirstFlake, LastFlake: f.LastFlake, DetectedAt: now, UpdatedAt: now}
			prev, known := byKey[f.Key]
			if known {
				row.ID, row.DetectedAt = prev.ID, prev.DetectedAt
				delete(byKey, f.Key)
			}
			if err := s.store.save(ctx, &row, !known, f.Evidence); err != nil {
				return err
			}
			if !known {
				turned = append(turned, row)
			}
		}
		gone := make([]uuid.UUID, 0, len(byKey))
		for _, o := range byKey {
			gone = append(gone, o.ID)
		}
		if err := s.store.remove(ctx, gone); err != nil {
			return err
		}
		if also != nil {
			return also(ctx, now)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return turned, nil
}

// TurnedFlaky is called once for every test newly detected as flaky, after
// its row is committed: the one place that reacts to "a test turned
// flaky" (a notification hooks in here).
func (s *Service) TurnedFlaky(ctx context.Context, t TestRow) {
	s.log.Info("test turned flaky", "project_id", t.ProjectID, "test_id", t.TestID, "component", t.Component,
		"env", t.Env, "job", t.Job, "score", t.Score, "flips", t.Flips, "retries", t.Retries)
	if s.turned == nil {
		return
	}
	if err := s.turned(ctx, t); err != nil {
		s.log.Error("after a test turned flaky", "project_id", t.ProjectID, "test_id", t.TestID, "error", err)
	}
}

// examinedKept is how long a run's examined figures are kept after they
// were last written (RefreshRun): a run refreshed after that examines its
// tests once more.
const examinedKept = 24 * time.Hour

// RefreshAll re-examines every project with results in the widest window
// or with flaky tests, and prunes the runs' examined figures older than a
// day, and the touched rows (with their run's figures) of runs not
// refreshed for a day; it returns how many projects it read.
func (s *Service) RefreshAll(ctx context.Context) (int, error) {
	now := s.now().UTC()
	var errs []error
	if err := s.store.pruneExamined(ctx, now.Add(-examinedKept)); err != nil {
		errs = append(errs, err)
	}
	if err := s.store.pruneTouched(ctx, now.Add(-examinedKept)); err != nil {
		errs = append(errs, err)
	}
	ids, err := s.store.projectsWithResults(ctx, now.AddDate(0, 0, -maxWindowDays))
	if err != nil {
		return 0, errors.Join(append(errs, err)...)
	}
	for _, id := range ids {
		if err := s.RefreshProject(ctx, id); err != nil {
			errs = append(errs, fmt.Errorf("project %s: %w", id, err))
		}
	}
	return len(ids), errors.Join(errs...)
}

// Schedule refreshes every project every 30 minutes: it finds what a run's
// own refresh does not (a pass completing a flip series, results that left
// the window, changed settings of an upstream server's projects).
func Schedule() []queue.Periodic {
	return []queue.Periodic{{Name: "flaky-refresh", Spec: "@every 30m", Type: TypeRefresh, Payload: []byte(`{}`)}}
}

// Register registers the refresh task's handler.
func (s *Service) Register(reg *queue.Registry) {
	reg.Register(TypeRefresh, func(ctx context.Context, _ []byte) ([]byte, error) {
		n, err := s.RefreshAll(ctx)
		if err != nil {
			return nil, err
		}
		return json.Marshal(fmt.Sprintf("Refreshed flaky tests of %d projects", n))
	}, queue.MaxRetry(3), queue.Timeout(30*time.Minute), queue.Retention(24*time.Hour))
}

// ResultMarks tells which of the results belong to a flaky test (same
// project, test id, component and env; any job): one statement per page.
func (s *Service) ResultMarks(ctx context.Context, rs []model.Result) (map[uuid.UUID]bool, error) {
	out := map[uuid.UUID]bool{}
	if err := s.db.Lookups(ctx, s.ResultMarksLookups(rs, out)...); err != nil {
		return nil, err
	}
	return out, nil
}

// ResultMarksLookups is ResultMarks as page look-ups (one per 500 test
// ids), for a caller to run with its others (db.Lookups); they mark into
// out. None when no result of rs has a project and a test id.
func (s *Service) ResultMarksLookups(rs []model.Result, out map[uuid.UUID]bool) []db.Lookup {
	projects := map[uuid.UUID]struct{}{}
	tests := map[string]struct{}{}
	for _, r := range rs {
		if r.ProjectID != nil && r.TestID != nil {
			projects[*r.ProjectID] = struct{}{}
			tests[*r.TestID] = struct{}{}
		}
	}
	return s.store.flakyKeysLookups(setList(projects), setList(tests), func(keys map[testKey]bool) {
		for _, r := range rs {
			if r.ProjectID != nil && r.TestID != nil && keys[testKey{*r.ProjectID, *r.TestID, model.Deref(r.Component), model.Deref(r.Env)}] {
				out[r.ID] = true
			}
		}
	})
}

// RunMarks counts, per run, the flaky tests whose evidence includes one of
// its results: one statement per page.
func (s *Service) RunMarks(ctx context.Context, rs []model.Run) (map[uuid.UUID]int, error) {
	return db.LookupAlone(ctx, s.db, func(out map[uuid.UUID]int) (db.Lookup, bool) { return s.RunMarksLookup(rs, out), true })
}

// RunMarksLookup is RunMarks as a page look-up, for a caller to run with
// its others (db.Lookups); it fills out.
func (s *Service) RunMarksLookup(rs []model.Run, out map[uuid.UUID]int) db.Lookup {
	ids := make([]uuid.UUID, len(rs))
	for i, r := range rs {
		ids[i] = r.ID
	}
	return s.store.runCountsLookup(ids, out)
}

func setList[T comparable](m map[T]struct{}) []T {
	out := make([]T, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
