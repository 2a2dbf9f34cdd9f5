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

// Option adjusts a Service as NewService builds it.
type Option func(*Service)

// WithQuarantine adds the `quarantined` count to the runs the service
// renders; without it every run shows 0.
func WithQuarantine(q Quarantine) Option { return func(s *Service) { s.quarantine = q } }

// Render is the views of rs with this server's additions: the live state
// (one query for the page) and the quarantine count (one query, none when
// no project of the page quarantines anything).
func (s *Service) Render(ctx context.Context, rs []model.Run) ([]View, error) {
	views := Views(rs)
	if len(rs) == 0 {
		return views, nil
	}
	if err := s.addStates(ctx, rs, views); err != nil {
		return nil, err
	}
	if s.quarantine == nil {
		return views, nil
	}
	counts, err := s.quarantine.RunCounts(ctx, rs)
	if err != nil {
		return nil, err
	}
	for i := range views {
		views[i].Quarantined = counts[rs[i].ID]
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
