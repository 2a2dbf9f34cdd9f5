package importer

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
)

// TypeRepairStuck is the periodic task that settles imports no task will
// run any more (ours; upstream has none).
const TypeRepairStuck = "importers.repair_stuck_imports"

// importTimeout bounds one attempt of an import task and importRetries is
// how often a failed attempt is retried.
const (
	importTimeout = time.Hour
	importRetries = 3
)

// stuckAfter is how old a pending or running import must be before no task
// can still be running it: every attempt timed out, plus the retries'
// backoff and a margin. A worker that died mid-import (SIGKILL, out of
// memory) or an in-process queue lost with its backend leaves an import
// behind that only this age can reveal.
const stuckAfter = (importRetries+1)*importTimeout + 5*time.Minute

// Schedule is the importer's periodic entry.
func Schedule() []queue.Periodic {
	return []queue.Periodic{{Name: "repair-stuck-imports", Spec: "@every 15m", Type: TypeRepairStuck, Payload: []byte(`{}`)}}
}

func (s *Service) repairHandler(ctx context.Context, _ []byte) ([]byte, error) {
	n, err := s.RepairStuck(ctx, s.now().Add(-stuckAfter))
	if err != nil {
		return nil, err
	}
	if n > 0 {
		s.log.Warn("settled stuck imports", "count", n)
	}
	return json.Marshal(fmt.Sprintf("Marked %d stuck imports as failed", n))
}

// repairBatch bounds the imports one repair settles.
const repairBatch = 1000

// RepairStuck ends every import still pending or running that was created
// before cutoff: status error with a message, stored bytes cleared. The
// status update is conditional, so an import a live task finishes in the
// meantime keeps its outcome.
func (s *Service) RepairStuck(ctx context.Context, cutoff time.Time) (int, error) {
	ids, err := s.store.unfinishedBefore(ctx, cutoff, repairBatch)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		ok, err := s.settleStuck(ctx, id)
		if err != nil {
			return n, err
		}
		if !ok {
			continue
		}
		n++
		if _, err := s.ClearContent(ctx, id); err != nil {
			return n, err
		}
	}
	return n, nil
}

// stuckMessage is recorded on an import the repair settles.
var stuckMessage = fmt.Sprintf("the import did not finish: no task completed it within %s (a worker may have stopped while running it); upload the file again", stuckAfter)

// settleStuck marks one import failed if it is still pending or running.
func (s *Service) settleStuck(ctx context.Context, id uuid.UUID) (bool, error) {
	imp, err := s.store.load(ctx, id)
	if err != nil {
		return false, err
	}
	data := imp.Data
	if data == nil {
		data = model.JSON{}
	}
	data["error"] = stuckMessage
	return s.store.failIfUnfinished(ctx, id, data)
}
