package result

import (
	"context"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// Quarantine tells which results of a page are failures of quarantined
// tests (package quarantine implements it; docs/triage.md#quarantine).
type Quarantine interface {
	MarkResults(ctx context.Context, rs []model.Result) (map[uuid.UUID]bool, error)
}

// FlakyMarks tells which results belong to a test currently flaky
// (package flaky implements it; docs/triage.md#flaky-tests).
type FlakyMarks interface {
	ResultMarks(ctx context.Context, rs []model.Result) (map[uuid.UUID]bool, error)
}

// Option adjusts a Service as NewService builds it.
type Option func(*Service)

// WithQuarantine adds the `quarantined` marker to the results the service
// renders; without it every result shows false.
func WithQuarantine(q Quarantine) Option { return func(s *Service) { s.quarantine = q } }

// WithFlakyMarks adds our `flaky` marker to the results the service
// renders (single result and lists; one look-up per page).
func WithFlakyMarks(m FlakyMarks) Option { return func(s *Service) { s.flaky = m } }

// Render is the views of rs with this server's markers: the triage marks
// (cluster, suggested classification), quarantine and flaky, one query
// (or batch) per marker for the page.
func (s *Service) Render(ctx context.Context, rs []model.Result) ([]View, error) {
	views := Views(rs)
	if len(rs) == 0 {
		return views, nil
	}
	if err := s.Annotate(ctx, rs, views); err != nil {
		return nil, err
	}
	if s.quarantine != nil {
		marks, err := s.quarantine.MarkResults(ctx, rs)
		if err != nil {
			return nil, err
		}
		for i := range views {
			views[i].Quarantined = marks[rs[i].ID]
		}
	}
	if s.flaky != nil {
		marks, err := s.flaky.ResultMarks(ctx, rs)
		if err != nil {
			return nil, err
		}
		for i := range views {
			if marks[rs[i].ID] {
				views[i].Flaky = model.Ptr(true)
			}
		}
	}
	return views, nil
}

// RenderOne is Render for one result.
func (s *Service) RenderOne(ctx context.Context, r *model.Result) (View, error) {
	vs, err := s.Render(ctx, []model.Result{*r})
	if err != nil {
		return View{}, err
	}
	return vs[0], nil
}
