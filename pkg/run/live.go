package run

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/events"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
)

// TypeFinishQuiet is the periodic task that finishes runs without results
// for the quiet period (docs/notifications.md).
const TypeFinishQuiet = "runs.finish_quiet"

// SummarizerOption adjusts a Summarizer.
type SummarizerOption func(*Summarizer)

// WithEvents publishes the run's live events on bus and finishes runs
// quiet for quiet (0: never by quietness).
func WithEvents(bus *events.Bus, quiet time.Duration) SummarizerOption {
	return func(s *Summarizer) { s.events, s.quiet = bus, quiet }
}

// OnFinished has fn called once a run becomes finished (the webhooks send
// run.finished from it). Its error is logged: the run stays finished.
func OnFinished(fn func(ctx context.Context, runID uuid.UUID) error) SummarizerOption {
	return func(s *Summarizer) { s.finished = fn }
}

// Schedule is the periodic entry of the quiet-run check.
func Schedule() []queue.Periodic {
	return []queue.Periodic{{Name: "finish-quiet-runs", Spec: "@every 1m", Type: TypeFinishQuiet, Payload: []byte(`{}`)}}
}

// Publish sends an event on the live bus (imports announce their progress
// through the summarizer they already hold); no-op without a bus.
func (s *Summarizer) Publish(ev events.Event) {
	if s != nil {
		s.events.Publish(ev)
	}
}

// ResultEvent is the compact form of a result on a run's stream.
type ResultEvent struct {
	ID        string   `json:"id"`
	RunID     string   `json:"run_id"`
	TestID    *string  `json:"test_id"`
	Result    *string  `json:"result"`
	Duration  *float64 `json:"duration"`
	Component *string  `json:"component"`
	StartTime string   `json:"start_time"`
}

// ResultAdded publishes a new result on its run's stream. It never blocks
// and never fails the write.
func (s *Summarizer) ResultAdded(_ context.Context, r *model.Result) {
	if s.events == nil || r.RunID == nil {
		return
	}
	s.events.Publish(events.New(events.ResultAdded, ResultEvent{ID: r.ID.String(), RunID: r.RunID.String(), TestID: r.TestID,
		Result: r.Result, Duration: r.Duration, Component: r.Component, StartTime: model.FormatTime(r.StartTime)},
		events.RunStream(*r.RunID)))
}

// StateEvent is a run's state on the streams (run.started, run.updated,
// run.summary, run.finished).
type StateEvent struct {
	ID         string         `json:"id"`
	ProjectID  *string        `json:"project_id"`
	State      string         `json:"state"`
	FinishedAt *string        `json:"finished_at"`
	FinishedBy *string        `json:"finished_by,omitempty"`
	Summary    map[string]any `json:"summary"`
	Component  *string        `json:"component,omitempty"`
	Env        *string        `json:"env,omitempty"`
	StartTime  string         `json:"start_time,omitempty"`
}

func runEvent(r *model.Run, st *stateRow) StateEvent {
	ls := liveState(st)
	return StateEvent{ID: r.ID.String(), ProjectID: model.UUIDString(r.ProjectID), State: ls.State, FinishedAt: ls.FinishedAt,
		FinishedBy: ls.FinishedBy, Summary: r.Summary, Component: r.Component, Env: r.Env, StartTime: model.FormatTime(r.StartTime)}
}

// streams are the streams a run's events go to.
func streams(r *model.Run, toRun, toProject bool) []string {
	var out []string
	if toRun {
		out = append(out, events.RunStream(r.ID))
	}
	if toProject && r.ProjectID != nil {
		out = append(out, events.ProjectStream(*r.ProjectID))
	}
	return out
}

// publishRun publishes one run event (no-op without a bus).
func (s *Summarizer) publishRun(typ string, r *model.Run, st *stateRow, toRun, toProject bool) {
	if s.events == nil {
		return
	}
	s.events.Publish(events.New(typ, runEvent(r, st), streams(r, toRun, toProject)...))
}

// started records a new run as running and announces it.
func (s *Summarizer) started(ctx context.Context, r *model.Run) {
	st := store{db: s.db}
	if err := st.touch(ctx, r.ID, s.now().UTC()); err != nil {
		s.log.Warn("could not record run state", "run_id", r.ID, "error", err)
	}
	s.publishRun(events.RunStarted, r, &stateRow{State: StateRunning}, false, true)
}

// updated records activity after a summary recomputation and announces
// the new summary; a run the quiet period had finished runs again.
func (s *Summarizer) updated(ctx context.Context, runID uuid.UUID) {
	st := store{db: s.db}
	if err := st.touch(ctx, runID, s.now().UTC()); err != nil {
		s.log.Warn("could not record run activity", "run_id", runID, "error", err)
		return
	}
	if s.events == nil {
		return
	}
	r, err := st.get(ctx, runID)
	if err != nil {
		return
	}
	row, err := st.stateOf(ctx, runID)
	if err != nil {
		return
	}
	s.publishRun(events.RunSummary, r, row, true, false)
	s.publishRun(events.RunUpdated, r, row, false, true)
}

// Finish is the one place a run becomes finished: by its client
// (FinishedByClient), an import (FinishedByImport) or the quiet period
// (FinishedByQuiet, only when its last activity is older than
// quietBefore). When this call finished it, run.finished is published on
// the run's and its project's streams (webhooks hang on this event). It
// returns the run's state afterwards.
func (s *Summarizer) Finish(ctx context.Context, runID uuid.UUID, by string, quietBefore time.Time) (*LiveState, error) {
	st := store{db: s.db}
	r, err := st.get(ctx, runID)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	done, err := st.finish(ctx, runID, by, now, quietBefore)
	if err != nil {
		return nil, err
	}
	row, err := st.stateOf(ctx, runID)
	if err != nil {
		return nil, err
	}
	if done {
		s.log.Debug("run finished", "run_id", runID, "by", by)
		s.publishRun(events.RunFinished, r, row, true, true)
		if s.finished != nil {
			if err := s.finished(ctx, runID); err != nil {
				s.log.Error("after the run finished", "run_id", runID, "error", err)
			}
		}
	}
	ls := liveState(row)
	return &ls, nil
}

// quietBatch bounds the runs one quiet check finishes.
const quietBatch = 500

// FinishQuiet finishes the running runs that had no activity for the quiet
// period, and says how many.
func (s *Summarizer) FinishQuiet(ctx context.Context) (int, error) {
	if s.quiet <= 0 {
		return 0, nil
	}
	cutoff := s.now().UTC().Add(-s.quiet)
	ids, err := store{db: s.db}.quietRuns(ctx, cutoff, quietBatch)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		ls, err := s.Finish(ctx, id, FinishedByQuiet, cutoff)
		if err != nil {
			if errors.Is(err, ErrNotFound) {
				continue
			}
			return n, err
		}
		if ls.FinishedBy != nil && *ls.FinishedBy == FinishedByQuiet {
			n++
		}
	}
	return n, nil
}

// LiveState is our addition to a run's view: whether it is still receiving
// results (docs/notifications.md).
type LiveState struct {
	State      string  `json:"state"`
	FinishedAt *string `json:"finished_at"`
	FinishedBy *string `json:"finished_by"`
}

// liveState renders a state row; a run without one had no activity since
// live states were recorded and counts as finished.
func liveState(row *stateRow) LiveState {
	if row == nil {
		return LiveState{State: StateFinished}
	}
	ls := LiveState{State: row.State, FinishedBy: row.FinishedBy}
	if row.FinishedAt != nil {
		f := model.FormatTime(*row.FinishedAt)
		ls.FinishedAt = &f
	}
	return ls
}
