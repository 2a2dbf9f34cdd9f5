package artifact

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// ObjectRow says where the bytes of an artifact kept in the object store
// are (ibutsu_artifact_objects). A row whose artifact is gone is an object
// still to delete.
type ObjectRow struct {
	ArtifactID uuid.UUID `gorm:"column:artifact_id;type:uuid;primaryKey"`
	Key        string    `gorm:"column:key"`
	Size       int64     `gorm:"column:size"`
	ETag       string    `gorm:"column:etag"`
}

// TableName implements gorm's Tabler.
func (ObjectRow) TableName() string { return "ibutsu_artifact_objects" }

// objectRow is the object of artifact id; nil when its bytes are in the
// database.
func (s store) objectRow(ctx context.Context, id uuid.UUID) (*ObjectRow, error) {
	return db.Take[ObjectRow](s.db.Conn(ctx).Where("artifact_id = ?", id), nil, "artifact object")
}

// createWithObject inserts an artifact (without bytes) and its object row
// in one transaction, so neither exists without the other.
//
// On PostgreSQL, outside a caller's transaction, both rows go in one
// statement (a data-modifying WITH): one round trip instead of four
// (BEGIN, two INSERTs, COMMIT). An upload to the object store waits for
// this after its bytes are stored, so each round trip is lost throughput
// (docs/performance.md#object-storage).
func (s store) createWithObject(ctx context.Context, a *model.Artifact, o *ObjectRow) error {
	if s.db.Dialect == db.Postgres && !db.InTx(ctx) {
		err := s.db.Conn(ctx).Exec(`WITH a AS (
	INSERT INTO artifacts (id, result_id, run_id, filename, data, content, upload_date)
	VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id)
INSERT INTO ibutsu_artifact_objects (artifact_id, key, size, etag) SELECT id, ?, ?, ? FROM a`,
			a.ID, a.ResultID, a.RunID, a.Filename, a.Data, a.Content, a.UploadDate, o.Key, o.Size, o.ETag).Error
		if err != nil {
			return fmt.Errorf("store artifact and its object: %w", err)
		}
		return nil
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.create(ctx, a); err != nil {
			return err
		}
		return InsertObjectRows(ctx, s.db.Conn(ctx), []ObjectRow{*o})
	})
}

// InsertObjectRows records objects in the caller's transaction (tx); the
// importer calls it next to its own artifact inserts.
func InsertObjectRows(ctx context.Context, tx *gorm.DB, rows []ObjectRow) error {
	if len(rows) == 0 {
		return nil
	}
	if err := tx.WithContext(ctx).CreateInBatches(rows, 500).Error; err != nil {
		return fmt.Errorf("record artifact objects: %w", err)
	}
	return nil
}

// orphanRows are up to n object rows whose artifact row is gone: objects
// waiting to be deleted.
func (s store) orphanRows(ctx context.Context, n int) ([]ObjectRow, error) {
	var rows []ObjectRow
	err := s.db.Conn(ctx).Where("NOT EXISTS (SELECT 1 FROM artifacts a WHERE a.id = ibutsu_artifact_objects.artifact_id)").
		Order("artifact_id").Limit(n).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("find deleted artifacts' objects: %w", err)
	}
	return rows, nil
}

// dropObjectRow forgets an object once it is deleted, unless its artifact
// came back meanwhile (an import re-using the id).
func (s store) dropObjectRow(ctx context.Context, id uuid.UUID) error {
	err := s.db.Conn(ctx).Exec("DELETE FROM ibutsu_artifact_objects WHERE artifact_id = ? AND NOT EXISTS (SELECT 1 FROM artifacts a WHERE a.id = ?)", id, id).Error
	if err != nil {
		return fmt.Errorf("drop artifact object row: %w", err)
	}
	return nil
}

// rowsAfter is the next n object rows by key after key after, for the
// merge with the bucket's listing (keys are ASCII, so both orders agree).
func (s store) rowsAfter(ctx context.Context, after string, n int) ([]ObjectRow, error) {
	var rows []ObjectRow
	if err := s.db.Conn(ctx).Where("key > ?", after).Order("key").Limit(n).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list artifact objects: %w", err)
	}
	return rows, nil
}

// MigrationBatch is up to n artifacts that move next: to the store, those
// with at least min bytes in the database (after id after); back to the
// database, those with an object row.
func (s store) migrationBatch(ctx context.Context, toDB bool, minBytes int64, after uuid.UUID, n int) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	q := s.db.Conn(ctx).Table("artifacts").Select("id").Where("id > ?", after).Order("id").Limit(n)
	if toDB {
		q = q.Where("id IN (SELECT artifact_id FROM ibutsu_artifact_objects)")
	} else {
		q = q.Where("content IS NOT NULL AND "+s.lengthFn()+"(content) >= ?", max(minBytes, 1)).
			Where("id NOT IN (SELECT artifact_id FROM ibutsu_artifact_objects)")
	}
	if err := q.Scan(&ids).Error; err != nil {
		return nil, fmt.Errorf("pick artifacts to move: %w", err)
	}
	return ids, nil
}

// moveToObject swaps an artifact's bytes for its object row, if its
// content is still the one that was uploaded (n bytes).
func (s store) moveToObject(ctx context.Context, o ObjectRow) (bool, error) {
	moved := false
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		res := s.db.Conn(ctx).Exec("UPDATE artifacts SET content = NULL WHERE id = ? AND "+s.lengthFn()+"(content) = ?", o.ArtifactID, o.Size)
		if res.Error != nil {
			return fmt.Errorf("clear artifact content: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return nil
		}
		moved = true
		return InsertObjectRows(ctx, s.db.Conn(ctx), []ObjectRow{o})
	})
	return moved, err
}

// moveToDatabase puts the bytes back into the artifact row and forgets the
// object (which the caller then deletes).
func (s store) moveToDatabase(ctx context.Context, id uuid.UUID, b []byte) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.db.Conn(ctx).Exec("UPDATE artifacts SET content = ? WHERE id = ?", b, id).Error; err != nil {
			return fmt.Errorf("restore artifact content: %w", err)
		}
		if err := s.db.Conn(ctx).Exec("DELETE FROM ibutsu_artifact_objects WHERE artifact_id = ?", id).Error; err != nil {
			return fmt.Errorf("drop artifact object row: %w", err)
		}
		return nil
	})
}

// content is the artifact's bytes in the database.
func (s store) content(ctx context.Context, id uuid.UUID) ([]byte, error) {
	var b []byte
	if err := s.db.Conn(ctx).Raw("SELECT content FROM artifacts WHERE id = ?", id).Row().Scan(&b); err != nil {
		return nil, fmt.Errorf("read artifact: %w", err)
	}
	return b, nil
}
