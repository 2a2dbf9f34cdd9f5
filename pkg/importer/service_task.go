package importer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/events"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
	"github.com/ibutsu-go/ibutsu/pkg/run"
)

// importFunc imports one file inside the caller's transaction and returns
// the id of the run it wrote. It reads the file as a stream through src.
type importFunc func(ctx context.Context, imp *model.Import, src *content) (uuid.UUID, error)

// taskHandler wraps an importer with the import row's lifecycle:
// pending → running → done, or error with a message in metadata.error.
// A redelivered task for a finished import does nothing (asynq delivers at
// least once). A failure that retrying cannot fix (the file's fault, or a
// value the database refuses) ends the import at once; any other failure
// on the task's last attempt ends it too, so no import stays "running"
// once no task will run it.
func (s *Service) taskHandler(fn importFunc) queue.Handler {
	return func(ctx context.Context, payload []byte) ([]byte, error) {
		id, err := parsePayload(payload)
		if err != nil {
			return nil, err
		}
		err = s.runImport(ctx, id, fn)
		if err == nil || errors.Is(err, queue.ErrSkipRetry) {
			return nil, err
		}
		if msg, ok := userMessage(err); ok {
			return nil, s.fail(ctx, id, msg)
		}
		if queue.LastAttempt(ctx) {
			return nil, s.fail(ctx, id, lastAttemptMessage(err))
		}
		return nil, fmt.Errorf("import %s: %w", id, err)
	}
}

// runImport is one attempt at an import.
func (s *Service) runImport(ctx context.Context, id uuid.UUID, fn importFunc) error {
	imp, err := s.store.load(ctx, id)
	if errors.Is(err, errNoImport) {
		s.log.Warn("import task for a missing import", "import_id", id)
		return nil
	}
	if err != nil {
		return err
	}
	if st := deref(imp.Status); st == StatusDone || st == StatusError {
		return nil
	}
	if err := s.store.setStatus(ctx, id, StatusRunning, nil); err != nil {
		return err
	}
	s.publish(events.ImportProgress, imp, StatusRunning, nil, "")
	src, found, err := s.store.findContent(ctx, id)
	if err != nil {
		return err
	}
	if !found {
		return s.fail(ctx, id, "the import file is missing")
	}
	rep := &report{}
	ctx = withReport(ctx, rep)
	var done uuid.UUID
	// One connection for the whole import: the file's chunks are read
	// and the rows COPYed through it, in one transaction.
	var runID uuid.UUID
	err = s.db.WithConnTx(ctx, func(ctx context.Context) error {
		var err error
		runID, err = fn(ctx, imp, src)
		if err != nil {
			return err
		}
		done = runID
		extra := map[string]any{"run_id": []string{runID.String()}}
		rep.addTo(extra, s.limits.MaxArtifactBytes)
		return s.store.setStatus(ctx, id, StatusDone, extra)
	})
	if err != nil {
		return fmt.Errorf("import %s: %w", id, err)
	}
	s.log.Info("import done", "import_id", id, "filename", deref(imp.Filename))
	// An imported run is complete: it is finished by its import.
	if s.summaries != nil {
		if _, err := s.summaries.Finish(ctx, done, run.FinishedByImport, time.Time{}); err != nil {
			s.log.Warn("could not mark an imported run finished", "run_id", done, "error", err)
		}
	}
	s.publish(events.ImportDone, imp, StatusDone, &done, "")
	s.settle(ctx, imp, Settlement{RunID: &runID})
	s.enqueueClear(ctx, id)
	return nil
}

// ImportEvent is an import's progress on its project's stream.
type ImportEvent struct {
	ID       string  `json:"id"`
	Filename *string `json:"filename"`
	Status   string  `json:"status"`
	RunID    *string `json:"run_id,omitempty"`
	Error    string  `json:"error,omitempty"`
}

// publish announces an import's progress on its project's stream (imports
// without a project have no stream).
func (s *Service) publish(typ string, imp *model.Import, status string, runID *uuid.UUID, msg string) {
	pid, ok := projectOf(imp)
	if !ok || s.summaries == nil {
		return
	}
	ev := ImportEvent{ID: imp.ID.String(), Filename: imp.Filename, Status: status, Error: msg}
	if runID != nil {
		r := runID.String()
		ev.RunID = &r
	}
	s.summaries.Publish(events.New(typ, ev, events.ProjectStream(pid)))
}

// maxFailureText bounds the error text recorded on an import.
const maxFailureText = 500

// lastAttemptMessage is the readable reason recorded when the last attempt
// of an import fails for a reason that is not the file's.
func lastAttemptMessage(err error) string {
	msg := err.Error()
	if len(msg) > maxFailureText {
		msg = strings.ToValidUTF8(msg[:maxFailureText], "") + "…"
	}
	return "the import failed on its last attempt: " + msg
}

// fail records a failed import and schedules its bytes to be cleared; the
// task itself then fails without retries. It runs even when ctx is done
// (a timed-out last attempt still settles its import).
func (s *Service) fail(ctx context.Context, id uuid.UUID, msg string) error {
	s.log.Warn("import failed", "import_id", id, "reason", msg)
	if imp, err := s.store.load(context.WithoutCancel(ctx), id); err == nil {
		defer s.publish(events.ImportDone, imp, StatusError, nil, msg)
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), settleTimeout)
	defer cancel()
	// The status and the clearing commit together, so whoever sees the
	// error sees the bytes gone; the bytes are cleared here rather than by
	// a queued task, since a failing import may be failing because the
	// queue is.
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.setStatus(ctx, id, StatusError, map[string]any{"error": msg}); err != nil {
			return err
		}
		_, err := s.ClearContent(ctx, id)
		return err
	})
	if err != nil {
		s.log.Error("could not clear a failed import's bytes", "import_id", id, "error", err)
		if err := s.store.setStatus(ctx, id, StatusError, map[string]any{"error": msg}); err != nil {
			return err
		}
	}
	if imp, err := s.store.load(ctx, id); err == nil {
		s.settle(ctx, imp, Settlement{Failed: true, Error: msg})
	}
	return fmt.Errorf("import %s: %s: %w", id, msg, queue.ErrSkipRetry)
}

// settleTimeout bounds recording a failure after the attempt's own
// context is gone.
const settleTimeout = 30 * time.Second

func (s *Service) enqueueClear(ctx context.Context, id uuid.UUID) {
	if s.queue == nil {
		return
	}
	if err := s.enqueueImport(ctx, TypeClearContent, id); err != nil {
		s.log.Error("could not schedule clearing import bytes", "import_id", id, "error", err)
	}
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
