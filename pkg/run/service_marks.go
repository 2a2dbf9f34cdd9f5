package run

import (
	"context"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// Quarantine counts each run's failures of quarantined tests (package
// quarantine implements it; docs/triage.md#quarantine), as a look-up keyed
// by run id that Render runs with the page's others; ok false: nothing to
// ask.
type Quarantine interface {
	RunCountsLookup(runs []model.Run, out map[uuid.UUID]int) (l db.Lookup, ok bool)
}

// WithQuarantine adds the `quarantined` count to the runs the service
// renders; without it every run shows 0.
func WithQuarantine(q Quarantine) Option { return func(s *Service) { s.quarantine = q } }

// FlakyMarks counts, per run, the flaky tests whose evidence includes the
// run (package flaky implements it; docs/triage.md#flaky-tests), as a
// look-up keyed by run id that Render runs with the page's others.
type FlakyMarks interface {
	RunMarksLookup(rs []model.Run, out map[uuid.UUID]int) db.Lookup
}

// FlakyMark is our `flaky` marker on a run.
type FlakyMark struct {
	// Tests is how many flaky tests have results of this run as evidence.
	Tests int `json:"tests"`
}

// Option adjusts a Service as NewService builds it.
type Option func(*Service)

// WithFlakyMarks adds our `flaky` marker to the runs the service renders
// (single run and lists).
func WithFlakyMarks(m FlakyMarks) Option { return func(s *Service) { s.flaky = m } }

// Render is the views of rs with this server's additions — the live state,
// the quarantine count and the flaky marker — read by one statement for
// the page (statesWith).
func (s *Service) Render(ctx context.Context, rs []model.Run) ([]View, error) {
	views := Views(rs)
	if len(rs) == 0 {
		return views, nil
	}
	quarantined, flaky := map[uuid.UUID]int{}, map[uuid.UUID]int{}
	var ls []db.Lookup
	if s.quarantine != nil {
		if l, ok := s.quarantine.RunCountsLookup(rs, quarantined); ok {
			ls = append(ls, l)
		}
	}
	if s.flaky != nil {
		ls = append(ls, s.flaky.RunMarksLookup(rs, flaky))
	}
	ids := make([]uuid.UUID, len(rs))
	for i := range rs {
		ids[i] = rs[i].ID
	}
	states, err := s.store.statesWith(ctx, ids, ls)
	if err != nil {
		return nil, err
	}
	for i := range views {
		var row *stateRow
		if st, ok := states[rs[i].ID]; ok {
			row = &st
		}
		live := liveState(row)
		views[i].LiveState = &live
		views[i].Quarantined = quarantined[rs[i].ID]
		if n := flaky[rs[i].ID]; n > 0 {
			views[i].Flaky = &FlakyMark{Tests: n}
		}
	}
	return views, nil
}

// RenderOne is Render for one run.
func (s *Service) RenderOne(ctx context.Context, r *model.Run) (View, error) {
	vs, err := s.Render(ctx, []model.Run{*r})
	if err != nil {
		return View{}, err
	}
	return vs[0], nil
}
