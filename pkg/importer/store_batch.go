package importer

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/artifact"
	"github.com/ibutsu-go/ibutsu/pkg/fingerprint"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// Batch sizes: results are written resultBatch at a time (COPY on
// PostgreSQL; multi-row INSERTs of 12 columns each elsewhere, below
// SQLite's 32766 and PostgreSQL's 65535 parameters); artifacts are flushed
// early when their bytes pile up, so memory stays bounded whatever the
// file's size.
const (
	resultBatch    = 1000
	artifactBatch  = 1000
	artifactMemCap = 2 << 20
	// artifactInsertBatch is the artifacts per INSERT statement where COPY
	// is not used: they carry their content, so fewer per statement.
	artifactInsertBatch = 100
)

// writer buffers rows of one import and writes them in batches inside the
// caller's transaction.
type writer struct {
	db       *db.DB
	results  []model.Result
	arts     []model.Artifact
	artBytes int
	// upsert re-points existing results to their run instead of inserting
	// them (archives keep their result ids, so re-imports are idempotent).
	upsert bool
	// existing collects the ids upsert found already stored.
	existing map[uuid.UUID]bool
	// guard, when set, vets every result upsert found already stored (its
	// id and current project) before it is touched; an error ends the import.
	guard   func(id uuid.UUID, project *uuid.UUID) error
	written int
	// objects takes the artifacts at or above its threshold; objRows are
	// their rows, written with the artifacts.
	objects *artifact.Objects
	objRows []artifact.ObjectRow
}

func newWriter(d *db.DB, upsert bool, objects *artifact.Objects) *writer {
	return &writer{db: d, upsert: upsert, existing: map[uuid.UUID]bool{}, objects: objects}
}

// addResult queues a result and its artifacts.
func (w *writer) addResult(ctx context.Context, r model.Result, arts ...model.Artifact) error {
	w.results = append(w.results, r)
	if len(w.results) >= resultBatch {
		if err := w.flushResults(ctx); err != nil {
			return err
		}
	}
	return w.addArtifacts(ctx, arts...)
}

// addArtifacts queues artifacts; the results they hang on are flushed first.
func (w *writer) addArtifacts(ctx context.Context, arts ...model.Artifact) error {
	for _, a := range arts {
		row, err := w.objects.Offload(ctx, &a)
		if err != nil {
			return err
		}
		if row != nil {
			w.objRows = append(w.objRows, *row)
		}
		w.arts = append(w.arts, a)
		w.artBytes += len(a.Content)
	}
	if len(w.arts) >= artifactBatch || w.artBytes >= artifactMemCap {
		return w.flush(ctx)
	}
	return nil
}

// flush writes everything queued.
func (w *writer) flush(ctx context.Context) error {
	if err := w.flushResults(ctx); err != nil {
		return err
	}
	if len(w.arts) == 0 {
		return nil
	}
	copied, err := copyArtifacts(ctx, w.db, w.arts)
	if err != nil {
		return err
	}
	if !copied {
		if err := w.db.Conn(ctx).CreateInBatches(w.arts, artifactInsertBatch).Error; err != nil {
			return fmt.Errorf("insert artifacts: %w", err)
		}
	}
	if err := artifact.InsertObjectRows(ctx, w.db.Conn(ctx), w.objRows); err != nil {
		return err
	}
	w.objRows = w.objRows[:0]
	clear(w.arts) // drop the contents now, not when the slots are reused
	w.arts, w.artBytes = w.arts[:0], 0
	return nil
}

func (w *writer) flushResults(ctx context.Context) error {
	if len(w.results) == 0 {
		return nil
	}
	rows := w.results
	if w.upsert {
		var err error
		if rows, err = w.repoint(ctx, rows); err != nil {
			return err
		}
	}
	var ruled []fingerprint.HistoryRow
	if len(rows) > 0 {
		var err error
		if ruled, err = classifyByRule(ctx, w.db, rows); err != nil {
			return err
		}
		copied, err := copyResults(ctx, w.db, rows)
		if err != nil {
			return err
		}
		if !copied {
			if err := w.db.Conn(ctx).CreateInBatches(rows, resultBatch).Error; err != nil {
				return fmt.Errorf("insert results: %w", err)
			}
		}
	}
	if err := recordFingerprints(ctx, w.db, w.results); err != nil {
		return err
	}
	if err := fingerprint.RecordChanges(ctx, w.db, ruled); err != nil {
		return err
	}
	clear(w.results)
	w.written += len(w.results)
	w.results = w.results[:0]
	return nil
}

// repoint moves results that already exist to their (new) run, as upstream
// does for an archive result whose id is known, and returns the rest.
func (w *writer) repoint(ctx context.Context, rows []model.Result) ([]model.Result, error) {
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var found []struct {
		ID        uuid.UUID
		ProjectID *uuid.UUID
	}
	if err := w.db.Conn(ctx).Model(&model.Result{}).Select("id, project_id").Where("id IN ?", ids).Scan(&found).Error; err != nil {
		return nil, fmt.Errorf("look up existing results: %w", err)
	}
	if len(found) == 0 {
		return rows, nil
	}
	known := make(map[uuid.UUID]bool, len(found))
	for _, f := range found {
		if w.guard != nil {
			if err := w.guard(f.ID, f.ProjectID); err != nil {
				return nil, err
			}
		}
		known[f.ID] = true
		w.existing[f.ID] = true
	}
	fresh := rows[:0:0]
	byRun := map[uuid.UUID][]uuid.UUID{}
	for _, r := range rows {
		if !known[r.ID] {
			fresh = append(fresh, r)
			continue
		}
		byRun[*r.RunID] = append(byRun[*r.RunID], r.ID)
	}
	for runID, ids := range byRun {
		if err := w.db.Conn(ctx).Model(&model.Result{}).Where("id IN ?", ids).Update("run_id", runID).Error; err != nil {
			return nil, fmt.Errorf("re-point existing results: %w", err)
		}
	}
	return fresh, nil
}
