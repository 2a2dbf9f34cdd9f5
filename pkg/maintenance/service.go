// Package maintenance holds the periodic housekeeping tasks: the retention
// prunes (imports, artifacts, results, runs), sync_aborted_runs, which
// repairs run summaries whose update was lost, and compact_result_counts,
// which folds the result-count deltas the results triggers append. Prunes delete in small
// batches, each in its own transaction, and remove a row's dependants with
// it, so one old result with a young artifact cannot block a whole prune
// (upstream's single DELETE aborts on the foreign key).
//
// service*.go decide what to prune and report; store*.go hold the SQL.
package maintenance

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
)

// Task types, named after upstream's Celery tasks.
const (
	TypePruneImports = "db.prune_old_import_files"
	TypePruneFiles   = "db.prune_old_files"
	TypePruneResults = "db.prune_old_results"
	TypePruneRuns    = "db.prune_old_runs"
	TypeSyncRuns     = "runs.sync_aborted_runs"
	// TypeCompactCounts folds the result-count deltas (ours; upstream
	// keeps no counts).
	TypeCompactCounts = "db.compact_result_counts"
)

// daysInMonth is upstream's month for retention.
const daysInMonth = 30

// batchSize is how many rows one prune transaction deletes.
const batchSize = 1000

// RunNotifier schedules a run summary recomputation (run.Summarizer).
type RunNotifier interface {
	RunChanged(ctx context.Context, runID uuid.UUID)
}

// Service runs the housekeeping tasks.
type Service struct {
	store store
	runs  RunNotifier
	log   *slog.Logger
	now   func() time.Time
}

// NewService builds the service.
func NewService(d *db.DB, runs RunNotifier, log *slog.Logger) *Service {
	return &Service{store: store{db: d}, runs: runs, log: log, now: func() time.Time { return time.Now().UTC() }}
}

// Register adds the housekeeping tasks with upstream's retry counts.
func (s *Service) Register(reg *queue.Registry) {
	reg.Register(TypePruneImports, s.pruneHandler("days", s.PruneImports), queue.MaxRetry(3), queue.Timeout(time.Hour), queue.Retention(24*time.Hour))
	reg.Register(TypePruneFiles, s.pruneHandler("months", s.PruneFiles), queue.MaxRetry(3), queue.Timeout(time.Hour), queue.Retention(24*time.Hour))
	reg.Register(TypePruneResults, s.pruneHandler("months", s.PruneResults), queue.MaxRetry(3), queue.Timeout(time.Hour), queue.Retention(24*time.Hour))
	reg.Register(TypePruneRuns, s.pruneHandler("months", s.PruneRuns), queue.MaxRetry(3), queue.Timeout(time.Hour), queue.Retention(24*time.Hour))
	reg.Register(TypeSyncRuns, queue.Counted("runs_queued", s.SyncAbortedRuns), queue.MaxRetry(1), queue.Timeout(10*time.Minute))
	reg.Register(TypeCompactCounts, s.compactHandler, queue.MaxRetry(1), queue.Timeout(10*time.Minute))
}

// Schedule is the periodic part of upstream's beat table (UTC), with its
// arguments in the payloads so asynqmon shows them.
func Schedule() []queue.Periodic {
	return []queue.Periodic{
		{Name: "prune-old-import-files", Spec: "0 2 * * *", Type: TypePruneImports, Payload: []byte(`{"days":7}`)},
		{Name: "prune-old-artifact-files", Spec: "0 4 * * 6", Type: TypePruneFiles, Payload: []byte(`{"months":3}`)},
		{Name: "prune-old-results", Spec: "0 5 * * 6", Type: TypePruneResults, Payload: []byte(`{"months":5}`)},
		{Name: "prune-old-runs", Spec: "0 6 * * 6", Type: TypePruneRuns, Payload: []byte(`{"months":12}`)},
		{Name: "sync-aborted-runs", Spec: "@every 30m", Type: TypeSyncRuns, Payload: []byte(`{}`)},
		{Name: "compact-result-counts", Spec: "@every 10m", Type: TypeCompactCounts, Payload: []byte(`{}`)},
	}
}

// pruneHandler decodes {"<arg>": n} (a number or a numeric string, as
// upstream's int() accepts) and returns the prune's message as the result.
func (s *Service) pruneHandler(arg string, fn func(context.Context, int) (string, error)) queue.Handler {
	return func(ctx context.Context, payload []byte) ([]byte, error) {
		n, err := intArg(payload, arg)
		if err != nil {
			return nil, fmt.Errorf("%s: %w: %w", arg, err, queue.ErrSkipRetry)
		}
		msg, err := fn(ctx, n)
		if err != nil {
			return nil, err
		}
		s.log.Info("prune finished", "message", msg)
		return json.Marshal(msg)
	}
}

func intArg(payload []byte, name string) (int, error) {
	m := map[string]any{}
	if len(payload) > 0 {
		if err := json.Unmarshal(payload, &m); err != nil {
			return 0, fmt.Errorf("payload: %w", err)
		}
	}
	switch v := m[name].(type) {
	case float64:
		return int(v), nil
	case string:
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return 0, fmt.Errorf("%q is not an integer", v)
		}
		return n, nil
	case nil:
		return 0, fmt.Errorf("missing %s", name)
	}
	return 0, fmt.Errorf("%v is not an integer", m[name])
}
