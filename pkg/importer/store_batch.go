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
	db *db.DB
	// cur is the batch being filled.
	cur      batch
	artBytes int
	// upsert re-points existing results to their run instead of inserting
	// them (archives keep their result ids, so re-imports are idempotent).
	upsert bool
	// existing collects the ids upsert found already stored.
	existing map[uuid.UUID]bool
	// guard, when set, vets every result upsert found already stored (its
	// id and current project) before it is touched; an error ends the import.
	guard func(id uuid.UUID, project *uuid.UUID) error
	// objects takes the artifacts at or above its threshold; their rows
	// are written with the artifacts.
	objects *artifact.Objects
	// triage fingerprints the failures (docs/triage.md).
	triage triage
	// pipe, when set, writes full batches in the background while the
	// file is read on (store_pipe.go).
	pipe *pipe
}

// batch is the rows written together: results first, then the artifacts
// (which reference them) and the rows of artifacts stored as objects.
type batch struct {
	results []model.Result
	arts    []model.Artifact
	objRows []artifact.ObjectRow
}

// reset empties b for reuse, dropping what its slots held now rather than
// when they are overwritten.
func (b *batch) reset() {
	clear(b.results)
	clear(b.arts)
	clear(b.objRows)
	b.results, b.arts, b.objRows = b.results[:0], b.arts[:0], b.objRows[:0]
}

func newWriter(d *db.DB, upsert bool, objects *artifact.Objects) *writer {
	return &writer{db: d, upsert: upsert, existing: map[uuid.UUID]bool{}, objects: objects, triage: triage{db: d}}
}

// settle returns once no batch is being written in the background, with
// the first failure of any: the import calls it before it uses the
// transaction's connection itself, and before it ends.
func (w *writer) settle() error {
	if w.pipe == nil {
		return nil
	}
	return w.pipe.wait()
}

// addResult queues a result and its artifacts.
func (w *writer) addResult(ctx context.Context, r model.Result, arts ...model.Artifact) error {
	w.cur.results = append(w.cur.results, r)
	return w.addArtifacts(ctx, arts...)
}

// addArtifacts queues artifacts; the batch is written once it holds
// resultBatch results, artifactBatch artifacts or artifactMemCap bytes.
func (w *writer) addArtifacts(ctx context.Context, arts ...model.Artifact) error {
	for _, a := range arts {
		row, err := w.objects.Offload(ctx, &a)
		if err != nil {
			return err
		}
		if row != nil {
			w.cur.objRows = append(w.cur.objRows, *row)
		}
		w.cur.arts = append(w.cur.arts, a)
		w.artBytes += len(a.Content)
	}
	if len(w.cur.results) >= resultBatch || len(w.cur.arts) >= artifactBatch || w.artBytes >= artifactMemCap {
		if w.pipe != nil {
			return w.pipe.send(ctx, w)
		}
		return w.flush(ctx)
	}
	return nil
}

// flush writes everything queued (after the batch in the background, if
// any) and returns once it is written.
func (w *writer) flush(ctx context.Context) error {
	if err := w.settle(); err != nil {
		return err
	}
	err := w.write(ctx, &w.cur)
	w.cur.reset()
	w.artBytes = 0
	return err
}

// write writes one batch.
func (w *writer) write(ctx context.Context, b *batch) error {
	if len(b.results) > 0 {
		var err error
		if w.upsert {
			err = w.writeUpsert(ctx, b.results)
		} else {
			err = w.writeNew(ctx, b.results)
		}
		if err != nil {
			return err
		}
	}
	if len(b.arts) == 0 {
		return nil
	}
	copied, err := copyArtifacts(ctx, w.db, b.arts)
	if err != nil {
		return err
	}
	if !copied {
		if err := w.db.Conn(ctx).CreateInBatches(b.arts, artifactInsertBatch).Error; err != nil {
			return fmt.Errorf("insert artifacts: %w", err)
		}
	}
	return artifact.InsertObjectRows(ctx, w.db.Conn(ctx), b.objRows)
}

// writeNew writes new results: the rule first (it sets classifications in
// their metadata), then the results, then their fingerprint rows.
func (w *writer) writeNew(ctx context.Context, rows []model.Result) error {
	fps, ruled, err := w.triage.prepare(ctx, pointers(rows))
	if err != nil {
		return err
	}
	if err := w.insertResults(ctx, rows); err != nil {
		return err
	}
	return w.triage.store(ctx, fps, ruled)
}

// writeUpsert writes results that may exist already: those are re-pointed
// to their run, the rest inserted, and every result's fingerprint brought
// up to date.
func (w *writer) writeUpsert(ctx context.Context, rows []model.Result) error {
	fresh, err := w.repoint(ctx, rows)
	if err != nil {
		return err
	}
	var ruled []fingerprint.HistoryRow
	if len(fresh) > 0 {
		if ruled, err = w.triage.classifyExisting(ctx, fresh); err != nil {
			return err
		}
		if err := w.insertResults(ctx, fresh); err != nil {
			return err
		}
	}
	return w.triage.recordExisting(ctx, rows, ruled)
}

// insertResults writes rows with COPY, else multi-row INSERTs.
func (w *writer) insertResults(ctx context.Context, rows []model.Result) error {
	copied, err := copyResults(ctx, w.db, rows)
	if err != nil {
		return err
	}
	if !copied {
		if err := w.db.Conn(ctx).CreateInBatches(rows, resultBatch).Error; err != nil {
			return fmt.Errorf("insert results: %w", err)
		}
	}
	return nil
}
