package importer

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// create stores a new import and its bytes, read from src in chunks, in
// one transaction: a failed upload leaves nothing behind.
func (s *Service) create(ctx context.Context, imp *model.Import, src io.Reader) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		tx := s.db.Conn(ctx)
		if err := tx.Create(imp).Error; err != nil {
			return fmt.Errorf("store import: %w", err)
		}
		// content stays NULL (SQLite's driver would store a nil slice as
		// an empty blob): the bytes are the chunks.
		f := &model.ImportFile{ID: uuid.New(), ImportID: imp.ID}
		if err := tx.Omit("content").Create(f).Error; err != nil {
			return fmt.Errorf("store import file: %w", err)
		}
		_, err := s.storeChunks(ctx, f.ID, src)
		return err
	})
}

// discard deletes an import and its bytes in one transaction: the undo of
// create when its task could not be queued.
func (s *Service) discard(ctx context.Context, id uuid.UUID) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		tx := s.db.Conn(ctx)
		if err := tx.Exec("DELETE FROM "+chunkTable+" WHERE file_id IN (SELECT id FROM import_files WHERE import_id = ?)", id).Error; err != nil {
			return fmt.Errorf("discard import chunks: %w", err)
		}
		if err := tx.Where("import_id = ?", id).Delete(&model.ImportFile{}).Error; err != nil {
			return fmt.Errorf("discard import file: %w", err)
		}
		if err := tx.Where("id = ?", id).Delete(&model.Import{}).Error; err != nil {
			return fmt.Errorf("discard import: %w", err)
		}
		return nil
	})
}

// loadImport reads an import row (gorm.ErrRecordNotFound when missing).
func (s *Service) loadImport(ctx context.Context, id uuid.UUID) (*model.Import, error) {
	var imp model.Import
	if err := s.db.Conn(ctx).Where("id = ?", id).Take(&imp).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, err
		}
		return nil, fmt.Errorf("load import: %w", err)
	}
	return &imp, nil
}

// setStatus sets an import's status and merges extra keys into its data.
func (s *Service) setStatus(ctx context.Context, id uuid.UUID, status string, extra map[string]any) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		imp, err := s.loadImport(ctx, id)
		if err != nil {
			return err
		}
		imp.Status = &status
		if len(extra) > 0 {
			if imp.Data == nil {
				imp.Data = model.JSON{}
			}
			for k, v := range extra {
				imp.Data[k] = v
			}
		}
		if err := s.db.Conn(ctx).Model(&model.Import{}).Where("id = ?", id).
			Updates(map[string]any{"status": status, "data": imp.Data}).Error; err != nil {
			return fmt.Errorf("update import status: %w", err)
		}
		return nil
	})
}
