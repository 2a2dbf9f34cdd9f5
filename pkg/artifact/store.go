package artifact

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/listing"
	"github.com/ibutsu-go/ibutsu/pkg/platform/paging"
)

// metaColumns are every column but the bytes, for lists and lookups.
const metaColumns = "id, result_id, run_id, filename, data, upload_date"

// errNotFound is the store's answer for an unknown artifact id.
var errNotFound = errors.New("artifact not found")

// store is the artifacts table.
type store struct {
	db *db.DB
}

// listQuery selects a page of artifacts: of the given result or run when
// set, and, unless all, only those hanging on a result or run of projects.
type listQuery struct {
	req      ListRequest
	all      bool
	projects []uuid.UUID
}

// list reads one page of artifact metadata (never the bytes) in upload
// order, and the total.
func (s store) list(ctx context.Context, q listQuery) ([]model.Artifact, int64, error) {
	scope := func(tx *gorm.DB) *gorm.DB {
		tx = tx.Select(metaColumns)
		if q.req.ResultID != nil {
			tx = tx.Where("result_id = ?", *q.req.ResultID)
		}
		if q.req.RunID != nil {
			tx = tx.Where("run_id = ?", *q.req.RunID)
		}
		if !q.all {
			if len(q.projects) == 0 {
				return tx.Where("1 = 0")
			}
			tx = tx.Where("(result_id IN (SELECT id FROM results WHERE project_id IN ?) OR run_id IN (SELECT id FROM runs WHERE project_id IN ?))", q.projects, q.projects)
		}
		return tx
	}
	var arts []model.Artifact
	total, err := listing.Run(ctx, s.db, &model.Artifact{}, &arts, listing.Query{Scope: scope,
		Page: paging.Page{Page: q.req.Page, PageSize: q.req.PageSize}, Order: "upload_date, id"})
	return arts, total, err
}

// targetProject returns the project of the result or run an artifact hangs
// on (the result when both are set), and whether that row exists.
func (s store) targetProject(ctx context.Context, resultID, runID *uuid.UUID) (*uuid.UUID, bool, error) {
	var row struct{ ProjectID *uuid.UUID }
	table, id := "results", resultID
	if id == nil {
		table, id = "runs", runID
	}
	if id == nil {
		return nil, false, nil
	}
	err := s.db.Conn(ctx).Table(table).Select("project_id").Where("id = ?", *id).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("load artifact target: %w", err)
	}
	return row.ProjectID, true, nil
}

// get loads an artifact, with its bytes when withContent; errNotFound when
// there is none.
func (s store) get(ctx context.Context, id uuid.UUID, withContent bool) (*model.Artifact, error) {
	q := s.db.Conn(ctx).Where("id = ?", id)
	if !withContent {
		q = q.Select(metaColumns)
	}
	return db.Take[model.Artifact](q, errNotFound, "artifact")
}

// create inserts an artifact with its bytes.
func (s store) create(ctx context.Context, a *model.Artifact) error {
	if err := s.db.Conn(ctx).Create(a).Error; err != nil {
		return fmt.Errorf("store artifact: %w", err)
	}
	return nil
}

// delete removes an artifact.
func (s store) delete(ctx context.Context, id uuid.UUID) error {
	if err := s.db.Conn(ctx).Delete(&model.Artifact{}, "id = ?", id).Error; err != nil {
		return fmt.Errorf("delete artifact: %w", err)
	}
	return nil
}
