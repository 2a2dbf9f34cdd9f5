package importer

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// create stores a new import and its bytes in one transaction.
func (s *Service) create(ctx context.Context, imp *model.Import, content []byte) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		tx := s.db.Conn(ctx)
		if err := tx.Create(imp).Error; err != nil {
			return fmt.Errorf("store import: %w", err)
		}
		f := &model.ImportFile{ID: uuid.New(), ImportID: imp.ID, Content: content}
		if err := tx.Create(f).Error; err != nil {
			return fmt.Errorf("store import file: %w", err)
		}
		return nil
	})
}

// discard deletes an import and its bytes in one transaction: the undo of
// create when its task could not be queued.
func (s *Service) discard(ctx context.Context, id uuid.UUID) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		tx := s.db.Conn(ctx)
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

// loadContent reads an import's bytes; found is false when the file row
// is gone or was already cleared.
func (s *Service) loadContent(ctx context.Context, id uuid.UUID) ([]byte, bool, error) {
	var f model.ImportFile
	err := s.db.Conn(ctx).Where("import_id = ?", id).Order("id").Take(&f).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("load import file: %w", err)
	}
	return f.Content, f.Content != nil, nil
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
