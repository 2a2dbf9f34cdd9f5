package widget

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// artifactsOfRuns lists the ids of the artifacts named one of names that
// belong to one of the runs ids or to their results, newest first.
func (q store) artifactsOfRuns(ctx context.Context, ids, names []string) ([]uuid.UUID, error) {
	var out []uuid.UUID
	err := q.db.Conn(ctx).Model(&model.Artifact{}).
		Where("filename IN ? AND (run_id IN ? OR result_id IN (SELECT id FROM results WHERE run_id IN ?))", names, ids, ids).
		Order("upload_date DESC, id DESC").Pluck("id", &out).Error
	if err != nil {
		return nil, fmt.Errorf("accessibility artifacts: %w", err)
	}
	return out, nil
}

// artifactContent loads one artifact's bytes (one at a time: they may be
// large).
func (q store) artifactContent(ctx context.Context, id uuid.UUID) ([]byte, error) {
	var art model.Artifact
	if err := q.db.Conn(ctx).Select("id", "content").Where("id = ?", id).Take(&art).Error; err != nil {
		return nil, fmt.Errorf("accessibility artifact %s: %w", id, err)
	}
	return art.Content, nil
}

// runProjects loads the id and project of the runs ids that exist.
func (q store) runProjects(ctx context.Context, ids []string) ([]model.Run, error) {
	var runs []model.Run
	if err := q.db.Conn(ctx).Select("id", "project_id").Where("id IN ?", ids).Find(&runs).Error; err != nil {
		return nil, fmt.Errorf("accessibility runs: %w", err)
	}
	return runs, nil
}
