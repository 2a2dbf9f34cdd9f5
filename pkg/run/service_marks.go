package run

import (
	"context"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

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

// Option configures a Service.
type Option func(*Service)

// WithFlakyMarks adds our `flaky` marker to the runs the service renders
// (single run and lists; one look-up per page).
func WithFlakyMarks(m FlakyMarks) Option { return func(s *Service) { s.flaky = m } }

// MarkedViews renders rows with our markers.
func (s *Service) MarkedViews(ctx context.Context, rows []model.Run) ([]View, error) {
	vs := Views(rows)
	if s.flaky == nil || len(rows) == 0 {
		return vs, nil
	}
	marks, err := s.flaky.RunMarks(ctx, rows)
	if err != nil {
		return nil, err
	}
	for i := range rows {
		if n := marks[rows[i].ID]; n > 0 {
			vs[i].Flaky = &FlakyMark{Tests: n}
		}
	}
	return vs, nil
}

// MarkedView renders one run with our markers.
func (s *Service) MarkedView(ctx context.Context, r *model.Run) (View, error) {
	vs, err := s.MarkedViews(ctx, []model.Run{*r})
	if err != nil {
		return View{}, err
	}
	return vs[0], nil
}
