// Package quarantine keeps each project's list of quarantined tests
// (patterns on test_id with a reason, an owner and an optional expiry),
// serves it as pytest node ids for CI jobs, and marks the failures of
// quarantined tests on results and in run counts (docs/triage.md#quarantine).
package quarantine

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/project"
)

// MaxEntries bounds one project's list, so matching a page stays cheap.
const MaxEntries = 1000

// Entry is one quarantined pattern of a project.
type Entry struct {
	ID        uuid.UUID  `gorm:"column:id;type:uuid;primaryKey"`
	ProjectID uuid.UUID  `gorm:"column:project_id;type:uuid"`
	Pattern   string     `gorm:"column:pattern"`
	IsGlob    bool       `gorm:"column:is_glob"`
	Match     string     `gorm:"column:match"`
	Reason    string     `gorm:"column:reason"`
	Owner     *string    `gorm:"column:owner"`
	Created   time.Time  `gorm:"column:created"`
	Updated   time.Time  `gorm:"column:updated"`
	Expires   *time.Time `gorm:"column:expires"`
}

// TableName implements gorm's Tabler.
func (Entry) TableName() string { return "ibutsu_quarantine" }

// ActiveAt tells whether e applies at t: no expiry, or an expiry after t.
func (e *Entry) ActiveAt(t time.Time) bool { return e.Expires == nil || e.Expires.After(t) }

// Service holds the rules.
type Service struct {
	projects project.Lookup
	store    store
	now      func() time.Time
}

// NewService builds the service.
func NewService(d *db.DB, projects project.Lookup) *Service {
	return &Service{projects: projects, store: store{db: d}, now: func() time.Time { return time.Now().UTC() }}
}

// readable loads project id for a reader: 404 unknown, 401 for a caller
// who cannot access it — what GET /api/project/{id} answers.
func (s *Service) readable(ctx context.Context, u *model.User, id uuid.UUID) (*model.Project, error) {
	return project.LoadReadable(ctx, s.projects, u, id, apperr.Unauthorized())
}

// writable loads project id for a writer: the project's owner or a
// superadmin, as PUT /api/project/{id} (404 unknown, 403 anyone else).
func (s *Service) writable(ctx context.Context, u *model.User, id uuid.UUID) (*model.Project, error) {
	return project.LoadOwned(ctx, s.projects, u, id)
}

// List is a page of project id's entries (expired ones too, marked), by
// pattern.
func (s *Service) List(ctx context.Context, u *model.User, id uuid.UUID, offset, limit int) ([]Entry, int64, error) {
	if _, err := s.readable(ctx, u, id); err != nil {
		return nil, 0, err
	}
	return s.store.list(ctx, id, offset, limit)
}

// Get is one entry of project id.
func (s *Service) Get(ctx context.Context, u *model.User, id, entryID uuid.UUID) (*Entry, error) {
	if _, err := s.readable(ctx, u, id); err != nil {
		return nil, err
	}
	return s.entry(ctx, id, entryID)
}

func (s *Service) entry(ctx context.Context, projectID, entryID uuid.UUID) (*Entry, error) {
	e, err := s.store.get(ctx, projectID, entryID)
	return e, apperr.NotFoundIf(err, errNotFound, "Quarantine entry not found")
}

// Create adds an entry to project id. A missing owner is the caller's
// e-mail.
func (s *Service) Create(ctx context.Context, u *model.User, id uuid.UUID, req CreateRequest) (*Entry, error) {
	if _, err := s.writable(ctx, u, id); err != nil {
		return nil, err
	}
	now := s.now()
	e := &Entry{ID: uuid.New(), ProjectID: id, Created: now, Updated: now}
	if err := s.apply(e, req.Pattern, req.Reason, req.Owner, req.Expires, now); err != nil {
		return nil, err
	}
	if e.Owner == nil {
		e.Owner = &u.Email
	}
	if err := s.store.create(ctx, e, MaxEntries); err != nil {
		return nil, err
	}
	return e, nil
}

// Update changes the fields req sets on an entry of project id.
//
// The entry is read after the project's quarantine-list lock, in the
// transaction that writes it: the update writes every field, so an entry
// read before another update of it committed would put that update's
// fields back.
func (s *Service) Update(ctx context.Context, u *model.User, id, entryID uuid.UUID, req UpdateRequest) (*Entry, error) {
	if _, err := s.writable(ctx, u, id); err != nil {
		return nil, err
	}
	var e *Entry
	err := s.store.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.lockProject(ctx, id); err != nil {
			return err
		}
		var err error
		if e, err = s.entry(ctx, id, entryID); err != nil {
			return err
		}
		return s.merge(ctx, e, req)
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// merge applies req's fields to e (the others keep e's) and writes it.
func (s *Service) merge(ctx context.Context, e *Entry, req UpdateRequest) error {
	now := s.now()
	pattern, reason := req.Pattern, req.Reason
	owner := model.Nullable[string]{Set: req.Owner.Set, Value: req.Owner.Value}
	expires := req.Expires
	if pattern == nil {
		pattern = &e.Pattern
	}
	if reason == nil {
		reason = &e.Reason
	}
	if !owner.Set {
		owner = model.Nullable[string]{Set: true, Value: e.Owner}
	}
	if err := s.apply(e, pattern, reason, owner, expires, now); err != nil {
		return err
	}
	e.Updated = now
	return s.store.update(ctx, e)
}

// Delete removes an entry of project id.
func (s *Service) Delete(ctx context.Context, u *model.User, id, entryID uuid.UUID) error {
	if _, err := s.writable(ctx, u, id); err != nil {
		return err
	}
	n, err := s.store.remove(ctx, id, entryID)
	if err == nil && n == 0 {
		err = apperr.NotFound("Quarantine entry not found")
	}
	return err
}

// apply checks and sets the entry's fields. expires unset leaves e's.
func (s *Service) apply(e *Entry, pattern, reason *string, owner model.Nullable[string], expires model.Nullable[string], now time.Time) error {
	if pattern == nil {
		return fieldError("pattern", "is required")
	}
	p, err := ParsePattern(*pattern)
	if err != nil {
		return err
	}
	if reason == nil || len([]rune(trim(*reason))) == 0 {
		return fieldError("reason", "is required")
	}
	if len([]rune(*reason)) > MaxReasonLen {
		return fieldError("reason", "must be at most %d characters", MaxReasonLen)
	}
	var o *string
	if owner.Value != nil && trim(*owner.Value) != "" {
		if len([]rune(*owner.Value)) > MaxOwnerLen {
			return fieldError("owner", "must be at most %d characters", MaxOwnerLen)
		}
		v := trim(*owner.Value)
		o = &v
	}
	if expires.Set {
		if expires.Value == nil {
			e.Expires = nil
		} else {
			t, err := model.ParseTime(*expires.Value)
			if err != nil {
				return fieldError("expires", "must be an ISO-8601 date or date-time")
			}
			if !t.After(now) {
				return fieldError("expires", "must be in the future")
			}
			e.Expires = &t
		}
	}
	e.Pattern, e.IsGlob, e.Match = p.Text, p.Glob, s.store.match(p)
	e.Reason, e.Owner = trim(*reason), o
	return nil
}

// Counted reports whether a result's outcome counts as a failure that
// quarantine marks.
func Counted(outcome *string) bool {
	return outcome != nil && (*outcome == "failed" || *outcome == "error")
}

// MarkResults returns the ids of the results that are quarantined failures:
// failed or errored, with a test_id an entry of their project matches now.
// One statement for the whole page (MarkResultsLookup).
func (s *Service) MarkResults(ctx context.Context, rs []model.Result) (map[uuid.UUID]bool, error) {
	return db.LookupAlone(ctx, s.store.db, func(out map[uuid.UUID]bool) (db.Lookup, bool) { return s.MarkResultsLookup(rs, out) })
}

// MarkResultsLookup is MarkResults as a page look-up, for a caller to run
// with its others (db.Lookups): it reads the active entries of the
// projects of rs's failures and marks into out the results one matches.
// ok is false when no result of rs can be a quarantined failure.
func (s *Service) MarkResultsLookup(rs []model.Result, out map[uuid.UUID]bool) (l db.Lookup, ok bool) {
	ids := distinctProjects(len(rs), func(i int) *uuid.UUID {
		if r := &rs[i]; r.TestID != nil && Counted(r.Result) {
			return r.ProjectID
		}
		return nil
	})
	if len(ids) == 0 {
		return db.Lookup{}, false
	}
	return s.store.activeLookup(ids, s.now(), func(byProject map[uuid.UUID][]Pattern) {
		for i := range rs {
			r := &rs[i]
			if r.ProjectID == nil || r.TestID == nil || !Counted(r.Result) {
				continue
			}
			for _, p := range byProject[*r.ProjectID] {
				if p.Matches(*r.TestID) {
					out[r.ID] = true
					break
				}
			}
		}
	}), true
}

// RunCounts returns, for runs of projects with active entries, how many of
// their failed or errored results are quarantined now. Runs without any
// are absent (0). One statement (RunCountsLookup).
func (s *Service) RunCounts(ctx context.Context, runs []model.Run) (map[uuid.UUID]int, error) {
	return db.LookupAlone(ctx, s.store.db, func(out map[uuid.UUID]int) (db.Lookup, bool) { return s.RunCountsLookup(runs, out) })
}

// RunCountsLookup is RunCounts as a page look-up, for a caller to run with
// its others (db.Lookups); it fills out. ok is false when no run of the
// page has a project (nothing to ask).
func (s *Service) RunCountsLookup(runs []model.Run, out map[uuid.UUID]int) (l db.Lookup, ok bool) {
	pids := distinctProjects(len(runs), func(i int) *uuid.UUID { return runs[i].ProjectID })
	if len(pids) == 0 {
		return db.Lookup{}, false
	}
	var ids []uuid.UUID
	for i := range runs {
		if runs[i].ProjectID != nil {
			ids = append(ids, runs[i].ID)
		}
	}
	return s.store.runCountsLookup(ids, pids, s.now(), out), true
}

// distinctProjects returns the project ids project gives for rows 0 to
// n-1, each once, in the order first given; nil (no project, or a row that
// does not count) is passed over.
func distinctProjects(n int, project func(i int) *uuid.UUID) []uuid.UUID {
	var ids []uuid.UUID
	seen := map[uuid.UUID]bool{}
	for i := range n {
		if p := project(i); p != nil && !seen[*p] {
			seen[*p] = true
			ids = append(ids, *p)
		}
	}
	return ids
}

func trim(s string) string { return strings.TrimSpace(s) }
