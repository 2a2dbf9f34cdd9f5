package run

import (
	"context"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// Quarantine counts each run's failures of quarantined tests (package
// quarantine implements it; docs/triage.md#quarantine).
type Quarantine interface {
	RunCounts(ctx context.Context, runs []model.Run) (map[uuid.UUID]int, error)
}

// WithQuarantine adds the `quarantined` count to the runs the service
// renders; without it every run shows 0.
func WithQuarantine(q Quarantine) Option { return func(s *Service) { s.quarantine = q } }

// FlakyMarks counts, per run, the flaky tests whose evidence includes the
// run (package flaky implements it; docs/triage.md#flaky-tests).
type FlakyMarks interface {
	RunMarks(ctx context.Context, rs []model.Run) (map[uuid.UUID]int, error)
}

// FlakyMark is our `flaky` marker on a run.
type FlakyMark struct {
	// Tests is how many flaky tests have results of this run as evidence.
	Tests int `json:"tests"`
}

// Option adjusts a Service as NewService builds it.
type Option func(*Service)

// WithFlakyMarks adds our `flaky` marker to the runs the service renders
// (single run and lists; one look-up per page).
func WithFlakyMarks(m FlakyMarks) Option { return func(s *Service) { s.flaky = m } }

// Render is the views of rs with this server's additions: the live state
// (one query for the page), the quarantine count (one query, none when
// no project of the page quarantines anything) and the flaky marker (one
// query).
func (s *Service) Render(ctx context.Context, rs []model.Run) ([]View, error) {
	views := Views(rs)
	if len(rs) == 0 {
		return views, nil
	}
	if err := s.addStates(ctx, rs, views); err != nil {
		return nil, err
	}
	if s.quarantine != nil {
		counts, err := s.quarantine.RunCounts(ctx, rs)
		if err != nil {
			return nil, err
		}
		for i := range views {
			views[i].Quarantined = counts[rs[i].ID]
		}
	}
	if s.flaky != nil {
		marks, err := s.flaky.RunMarks(ctx, rs)
		if err != nil {
			return nil, err
		}
		for i := range views {
			if n := marks[rs[i].ID]; n > 0 {
				views[i].Flaky = &FlakyMark{Tests: n}
			}
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
