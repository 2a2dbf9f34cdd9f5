package importer

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// runExists reports whether a run with id is stored.
func (st store) runExists(ctx context.Context, id uuid.UUID) (bool, error) {
	return db.Exists(st.db.Conn(ctx).Model(&model.Run{}).Where("id = ?", id), "run id")
}

// run loads a run; nil when there is none.
func (st store) run(ctx context.Context, id uuid.UUID) (*model.Run, error) {
	return db.Take[model.Run](st.db.Conn(ctx).Where("id = ?", id), nil, "run")
}

// createRun inserts a run.
func (st store) createRun(ctx context.Context, r *model.Run) error {
	if err := st.db.Conn(ctx).Create(r).Error; err != nil {
		return fmt.Errorf("insert run: %w", err)
	}
	return nil
}

// saveRun writes every column of an existing run.
func (st store) saveRun(ctx context.Context, r *model.Run) error {
	if err := st.db.Conn(ctx).Save(r).Error; err != nil {
		return fmt.Errorf("update run: %w", err)
	}
	return nil
}

// setRunSummary writes a run's summary and duration.
func (st store) setRunSummary(ctx context.Context, id uuid.UUID, summary model.JSON, duration float64) error {
	if err := st.db.Conn(ctx).Model(&model.Run{}).Where("id = ?", id).
		Updates(map[string]any{"summary": summary, "duration": duration}).Error; err != nil {
		return fmt.Errorf("update run summary: %w", err)
	}
	return nil
}

// dropArtifact removes the artifact named name of the run or result owner
// (col is run_id or result_id).
func (st store) dropArtifact(ctx context.Context, col string, owner uuid.UUID, name string) error {
	if err := st.db.Conn(ctx).Where(col+" = ? AND filename = ?", owner, name).Delete(&model.Artifact{}).Error; err != nil {
		return fmt.Errorf("replace artifact %s: %w", name, err)
	}
	return nil
}
