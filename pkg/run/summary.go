package run

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/events"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
)

// TypeUpdateRun is the task that recomputes a run's summary (upstream's
// ibutsu_server.tasks.runs.update_run).
const TypeUpdateRun = "runs.update_run"

// SummaryWindow is the debounce window: all changes to a run within one
// window are folded into one recomputation that starts after the window.
const SummaryWindow = 5 * time.Second

// Summarizer keeps run summaries in step with results.
//
// Design: the recomputation is an idempotent function of the rows in the
// database (the run's results, counted on PostgreSQL by the deltas of
// migration 24, store.resultCounts) executed under a row lock on
// the run, so concurrent recomputations serialise and the last one always
// sees every committed result. The lock is FOR NO KEY UPDATE, which the
// foreign-key checks of results being inserted into the run (KEY SHARE)
// neither wait for nor hold up (store.lockForSummary). Triggers are debounced into 5-second windows:
// each window gets one task whose id names the run and the window and which
// runs after the window closes — a change committed inside a window is
// always seen by that window's task. Unlike upstream's "discard if locked"
// Redis lock, no trigger is ever lost, and a crash mid-task is retried.
type Summarizer struct {
	db    *db.DB
	queue queue.Queue
	log   *slog.Logger
	now   func() time.Time
	// summarized is told after the update-run task recomputed a run
	// (nil: nobody); see OnSummarized.
	summarized func(ctx context.Context, runID uuid.UUID) error
	// finished is told when a run becomes finished (OnFinished).
	finished func(ctx context.Context, runID uuid.UUID) error

	// scheduled remembers the runs whose current window already has its
	// task, so a burst of results (pytest-ibutsu posts one per test) costs
	// one queue round trip per run and window instead of one per result.
	scheduled windowMemo

	// events receives the live events (nil: none); quiet finishes runs
	// without activity for that long (0: never).
	events *events.Bus
	quiet  time.Duration
	// after runs once a run's summary is committed (AfterSummary).
	after []func(ctx context.Context, runID uuid.UUID)
}

// NewSummarizer builds the summarizer; q is the queue its tasks go to.
func NewSummarizer(d *db.DB, q queue.Queue, log *slog.Logger, opts ...SummarizerOption) *Summarizer {
	s := &Summarizer{db: d, queue: q, log: log, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	return s
}

// OnSummarized has fn called after each update-run task recomputed a
// run (the webhooks look for new failures there). Its error is logged and
// does not fail the task.
func OnSummarized(fn func(ctx context.Context, runID uuid.UUID) error) SummarizerOption {
	return func(s *Summarizer) { s.summarized = fn }
}

// AfterSummary adds fn, called after each committed Recompute of a
// run's summary (the flaky-test refresh of the run); fn handles its own
// errors, the summary stands either way.
func AfterSummary(fn func(ctx context.Context, runID uuid.UUID)) SummarizerOption {
	return func(s *Summarizer) { s.after = append(s.after, fn) }
}

// Register adds the update-run task to a registry.
func (s *Summarizer) Register(reg *queue.Registry) {
	reg.Register(TypeUpdateRun, s.handle, queue.MaxRetry(1000), queue.Timeout(5*time.Minute), queue.Durable())
	reg.Register(TypeFinishQuiet, queue.Counted("finished", s.FinishQuiet), queue.MaxRetry(1), queue.Timeout(5*time.Minute))
}

type updateRunPayload struct {
	RunID string `json:"run_id"`
}

// RunChanged schedules a recomputation for the run's current window. It never
// fails the caller's request: a lost trigger is logged (the periodic sync
// repairs it).
func (s *Summarizer) RunChanged(ctx context.Context, runID uuid.UUID) {
	if s.queue == nil {
		return
	}
	now := s.now()
	window := now.Truncate(SummaryWindow)
	if s.scheduled.has(runID, window) {
		return
	}
	delay := window.Add(SummaryWindow).Sub(now) + 500*time.Millisecond
	id := fmt.Sprintf("update-run-%s-%d", runID, window.Unix())
	payload, _ := json.Marshal(updateRunPayload{RunID: runID.String()})
	_, err := s.queue.Enqueue(context.WithoutCancel(ctx), TypeUpdateRun, payload, queue.TaskID(id), queue.Delay(delay))
	if err != nil && !errors.Is(err, queue.ErrDuplicate) {
		s.log.Error("could not schedule run summary update", "run_id", runID, "error", err)
		return
	}
	s.scheduled.add(runID, window)
}

func (s *Summarizer) handle(ctx context.Context, payload []byte) ([]byte, error) {
	_, id, err := queue.DecodeIDPayload("update_run", payload, func(p *updateRunPayload) string { return p.RunID })
	if err != nil {
		return nil, err
	}
	found, err := s.recomputeRun(ctx, id)
	if err != nil || !found {
		// A run deleted meanwhile (a prune, a DELETE) has no activity to
		// record: its state row would violate the foreign key.
		return nil, err
	}
	if s.summarized != nil {
		if err := s.summarized(ctx, id); err != nil {
			s.log.Error("after the run summary update", "run_id", id, "error", err)
		}
	}
	s.updated(ctx, id)
	return nil, nil
}

// Counts is the aggregate over one run's results.
type Counts struct {
	Tests, Failures, Errors, Skips, XFailures, XPasses int64
	Duration                                           float64
}

// Recompute rebuilds a run's summary and duration from its results and
// copies empty run fields from its first result
// (docs/api-compatibility.md#run-summaries). A missing
// run is not an error.
func (s *Summarizer) Recompute(ctx context.Context, runID uuid.UUID) error {
	_, err := s.recomputeRun(ctx, runID)
	return err
}

// recomputeRun is Recompute, reporting whether the run exists.
func (s *Summarizer) recomputeRun(ctx context.Context, runID uuid.UUID) (bool, error) {
	found, err := s.recompute(ctx, runID)
	if err != nil || !found {
		return found, err
	}
	for _, fn := range s.after {
		fn(ctx, runID)
	}
	return true, nil
}

func (s *Summarizer) recompute(ctx context.Context, runID uuid.UUID) (bool, error) {
	st := store{db: s.db}
	found := true
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		r, err := st.lockForSummary(ctx, runID)
		if errors.Is(err, ErrNotFound) {
			found = false
			return nil
		} else if err != nil {
			return err
		}
		// The first result is read before the counts are folded, so the
		// summary takes its locks in the order TRUNCATE results does
		// (results, then the count table its trigger empties).
		first, err := st.firstResult(ctx, runID)
		if err != nil {
			return err
		}
		c, err := st.resultCounts(ctx, runID)
		if err != nil {
			return err
		}
		r.Summary = Summary(c, collected(r.Summary))
		d := c.Duration
		r.Duration = &d
		if first != nil {
			propagate(r, first)
		}
		return st.saveSummary(ctx, r)
	})
	return found, err
}

// Summary builds the 10-key summary upstream's update_run writes.
func Summary(c Counts, collected int64) model.JSON {
	passes := c.Tests - (c.Errors + c.XPasses + c.XFailures + c.Failures + c.Skips)
	return model.JSON{
		"errors": c.Errors, "failures": c.Failures, "skips": c.Skips, "tests": c.Tests,
		"xpasses": c.XPasses, "xfailures": c.XFailures, "collected": collected,
		"passes": passes, "pass_percent": PassPercent(passes, c.Tests), "not_run": max(collected-c.Tests, 0),
	}
}

// PassPercent is floor(passes*100/tests) clamped to [0,100]; 0 without tests.
func PassPercent(passes, tests int64) int64 {
	if tests <= 0 {
		return 0
	}
	return min(max(passes*100/tests, 0), 100)
}

// collected reads summary.collected whatever its JSON number type.
func collected(summary model.JSON) int64 {
	switch v := summary["collected"].(type) {
	case float64:
		if !math.IsNaN(v) {
			return int64(v)
		}
	case json.Number:
		n, _ := v.Float64()
		return int64(n)
	case int64:
		return v
	}
	return 0
}

// propagate copies, from the run's first result, the columns the run lacks
// and the jenkins/tags metadata it lacks. Upstream loses the metadata copy
// when the run's metadata was empty; we always keep it.
func propagate(r *model.Run, first *model.Result) {
	fill := func(dst **string, src *string) {
		if (*dst == nil || **dst == "") && src != nil && *src != "" {
			*dst = src
		}
	}
	fill(&r.Env, first.Env)
	fill(&r.Component, first.Component)
	fill(&r.Source, first.Source)
	if r.ProjectID == nil && first.ProjectID != nil {
		r.ProjectID = first.ProjectID
	}
	for _, k := range []string{"jenkins", "tags"} {
		if truthy(r.Data[k]) || !truthy(first.Data[k]) {
			continue
		}
		if r.Data == nil {
			r.Data = model.JSON{}
		}
		r.Data[k] = first.Data[k]
	}
}

func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case string:
		return x != ""
	case bool:
		return x
	case map[string]any:
		return len(x) > 0
	case []any:
		return len(x) > 0
	case float64:
		return x != 0
	case json.Number:
		return x.String() != "0"
	}
	return true
}
