package importer

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
)

// importFunc imports one file inside the caller's transaction and returns
// the id of the run it wrote. It reads the file as a stream through src.
type importFunc func(ctx context.Context, imp *model.Import, src *content) (uuid.UUID, error)

// taskHandler wraps an importer with the import row's lifecycle:
// pending → running → done, or error with a message in metadata.error.
// A redelivered task for a finished import does nothing (asynq delivers at
// least once).
func (s *Service) taskHandler(fn importFunc) queue.Handler {
	return func(ctx context.Context, payload []byte) ([]byte, error) {
		id, err := parsePayload(payload)
		if err != nil {
			return nil, err
		}
		imp, err := s.loadImport(ctx, id)
		if errors.Is(err, gorm.ErrRecordNotFound) {
			s.log.Warn("import task for a missing import", "import_id", id)
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		if st := deref(imp.Status); st == StatusDone || st == StatusError {
			return nil, nil
		}
		if err := s.setStatus(ctx, id, StatusRunning, nil); err != nil {
			return nil, err
		}
		src, found, err := s.findContent(ctx, id)
		if err != nil {
			return nil, err
		}
		if !found {
			return nil, s.fail(ctx, id, "the import file is missing")
		}
		// One connection for the whole import: the file's chunks are read
		// and the rows COPYed through it, in one transaction.
		err = s.db.WithConnTx(ctx, func(ctx context.Context) error {
			runID, err := fn(ctx, imp, src)
			if err != nil {
				return err
			}
			return s.setStatus(ctx, id, StatusDone, map[string]any{"run_id": []string{runID.String()}})
		})
		if err != nil {
			if msg, ok := userMessage(err); ok {
				return nil, s.fail(ctx, id, msg)
			}
			return nil, fmt.Errorf("import %s: %w", id, err)
		}
		s.log.Info("import done", "import_id", id, "filename", deref(imp.Filename))
		s.enqueueClear(ctx, id)
		return nil, nil
	}
}

// fail records a failed import and schedules its bytes to be cleared; the
// task itself then fails without retries.
func (s *Service) fail(ctx context.Context, id uuid.UUID, msg string) error {
	s.log.Warn("import failed", "import_id", id, "reason", msg)
	if err := s.setStatus(ctx, id, StatusError, map[string]any{"error": msg}); err != nil {
		return err
	}
	s.enqueueClear(ctx, id)
	return fmt.Errorf("import %s: %s: %w", id, msg, queue.ErrSkipRetry)
}

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
