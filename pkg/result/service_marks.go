package result

import (
	"context"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/fingerprint"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// Quarantine tells which results of a page are failures of quarantined
// tests (package quarantine implements it; docs/triage.md#quarantine), as
// a look-up Render runs with the page's others; ok false: nothing to ask.
type Quarantine interface {
	MarkResultsLookup(rs []model.Result, out map[uuid.UUID]bool) (l db.Lookup, ok bool)
}

// FlakyMarks tells which results belong to a test currently flaky
// (package flaky implements it; docs/triage.md#flaky-tests), as look-ups
// Render runs with the page's others.
type FlakyMarks interface {
	ResultMarksLookups(rs []model.Result, out map[uuid.UUID]bool) []db.Lookup
}

// Option adjusts a Service as NewService builds it.
type Option func(*Service)

// WithQuarantine adds the `quarantined` marker to the results the service
// renders; without it every result shows false.
func WithQuarantine(q Quarantine) Option { return func(s *Service) { s.quarantine = q } }

// WithFlakyMarks adds our `flaky` marker to the results the service
// renders (single result and lists).
func WithFlakyMarks(m FlakyMarks) Option { return func(s *Service) { s.flaky = m } }

// AfterInsert has fn called after each committed insert statement of the
// batched single-result writes (POST /api/result), once the requests have
// their answers: the count tables' compaction trigger counts them.
func AfterInsert(fn func(ctx context.Context)) Option {
	return func(s *Service) { s.writes.written = fn }
}

// markPage bounds the results whose markers one statement reads (about
// five parameters each: PostgreSQL takes 65535, SQLite 32766); a list page
// is at most this long, a bulk update's answer may be longer.
const markPage = 500

// Render is the views of rs with this server's markers: the triage marks
// (cluster, suggested classification), quarantine and flaky, all read by
// one statement per page of up to markPage results.
func (s *Service) Render(ctx context.Context, rs []model.Result) ([]View, error) {
	views := Views(rs)
	for start := 0; start < len(rs); start += markPage {
		end := min(start+markPage, len(rs))
		if err := s.mark(ctx, rs[start:end], views[start:end]); err != nil {
			return nil, err
		}
	}
	return views, nil
}

// mark adds the markers to the views of rows with one statement
// (db.Lookups): the triage marks of the failures, then whatever the
// quarantine and flaky look-ups find.
func (s *Service) mark(ctx context.Context, rows []model.Result, views []View) error {
	ls, apply := s.markLookups(rows)
	if err := s.db.Lookups(ctx, ls...); err != nil {
		return err
	}
	apply(views)
	return nil
}

// markLookups are the look-ups of rows' markers, and apply adds what they
// read to rows' views once they have run (with others, for POST /result:
// createView).
func (s *Service) markLookups(rows []model.Result) (ls []db.Lookup, apply func(views []View)) {
	// Only an unclassified failure shows a suggestion (annotate), so only
	// those have it read.
	var failures, unclassified []uuid.UUID
	for _, r := range rows {
		if isFailure(&r) {
			failures = append(failures, r.ID)
			if fingerprint.Classification(r.Data) == "" {
				unclassified = append(unclassified, r.ID)
			}
		}
	}
	triage := map[uuid.UUID]*fingerprint.Annotation{}
	return s.withOtherMarks(rows, fingerprint.AnnotationLookups(s.db.Dialect, failures, unclassified, triage), triage)
}

// pendingMarkLookups is markLookups for a new result before its insert
// (PostgreSQL): a failure's triage marks are read for the fingerprint the
// insert will write (fingerprint.PendingAnnotationLookups), the others as
// markLookups reads them (none reads the result's own rows). fp is
// fingerprint.Of(r) for a failure (Fingerprint "" when it has none), for
// the insert to reuse; nil for any other result.
func (s *Service) pendingMarkLookups(r *model.Result) (ls []db.Lookup, fp *fingerprint.Row, apply func(views []View)) {
	triage := map[uuid.UUID]*fingerprint.Annotation{}
	if isFailure(r) {
		row, ok := fingerprint.Of(r)
		if ok {
			ls = fingerprint.PendingAnnotationLookups(row, row.Classification == "", triage)
		}
		fp = &row
	}
	ls, apply = s.withOtherMarks([]model.Result{*r}, ls, triage)
	return ls, fp, apply
}

// withOtherMarks adds the quarantine and flaky look-ups of rows to ls (their
// triage look-ups, which fill triage) and returns apply, which adds all
// that they read to rows' views.
func (s *Service) withOtherMarks(rows []model.Result, ls []db.Lookup, triage map[uuid.UUID]*fingerprint.Annotation) ([]db.Lookup, func(views []View)) {
	quarantined, flaky := map[uuid.UUID]bool{}, map[uuid.UUID]bool{}
	if s.quarantine != nil {
		if l, ok := s.quarantine.MarkResultsLookup(rows, quarantined); ok {
			ls = append(ls, l)
		}
	}
	if s.flaky != nil {
		ls = append(ls, s.flaky.ResultMarksLookups(rows, flaky)...)
	}
	return ls, func(views []View) {
		for i := range rows {
			annotate(&views[i], triage[rows[i].ID])
			views[i].Quarantined = quarantined[rows[i].ID]
			if flaky[rows[i].ID] {
				views[i].Flaky = model.Ptr(true)
			}
		}
	}
}

// isFailure is whether r gets triage marks (a fingerprint, written with
// the row).
func isFailure(r *model.Result) bool {
	return r.Result != nil && (*r.Result == "failed" || *r.Result == "error")
}

// RenderOne is Render for one result.
func (s *Service) RenderOne(ctx context.Context, r *model.Result) (View, error) {
	vs, err := s.Render(ctx, []model.Result{*r})
	if err != nil {
		return View{}, err
	}
	return vs[0], nil
}
