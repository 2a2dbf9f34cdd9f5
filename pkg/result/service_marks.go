package result

import (
	"context"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// FlakyMarks tells which results belong to a test currently flaky
// (package flaky implements it; docs/triage.md#flaky-tests).
type FlakyMarks interface {
	ResultMarks(ctx context.Context, rs []model.Result) (map[uuid.UUID]bool, error)
}

// Option configures a Service.
type Option func(*Service)

// WithFlakyMarks adds our `flaky` marker to the results the service
// renders (single result and lists; one look-up per page).
func WithFlakyMarks(m FlakyMarks) Option { return func(s *Service) { s.flaky = m } }

// MarkedViews renders rows with our markers.
func (s *Service) MarkedViews(ctx context.Context, rows []model.Result) ([]View, error) {
	vs := Views(rows)
	if s.flaky == nil || len(rows) == 0 {
		return vs, nil
	}
	marks, err := s.flaky.ResultMarks(ctx, rows)
	if err != nil {
		return nil, err
	}
	for i := range rows {
		if marks[rows[i].ID] {
			vs[i].Flaky = model.Ptr(true)
		}
	}
	return vs, nil
}

// MarkedView renders one result with our markers.
func (s *Service) MarkedView(ctx context.Context, r *model.Result) (View, error) {
	vs, err := s.MarkedViews(ctx, []model.Result{*r})
	if err != nil {
		return View{}, err
	}
	return vs[0], nil
}
