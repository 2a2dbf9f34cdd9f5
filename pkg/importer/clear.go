package importer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// clearHandler is clear_import_file_content: once an import finished, its
// stored bytes are nulled (the rows stay until the retention prune). The
// task returns upstream's message as its JSON result.
func (s *Service) clearHandler(ctx context.Context, payload []byte) ([]byte, error) {
	id, err := parsePayload(payload)
	if err != nil {
		return nil, err
	}
	msg, err := s.ClearContent(ctx, id)
	if err != nil {
		return nil, err
	}
	s.log.Debug("import bytes cleared", "import_id", id, "message", msg)
	return json.Marshal(msg)
}

// ClearContent nulls a finished import's bytes and says what it did.
func (s *Service) ClearContent(ctx context.Context, id uuid.UUID) (string, error) {
	imp, err := s.loadImport(ctx, id)
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Sprintf("Import %s not found", id), nil
	}
	if err != nil {
		return "", err
	}
	if st := deref(imp.Status); st != StatusDone && st != StatusError {
		return fmt.Sprintf("Import %s status is %s, not clearing content", id, st), nil
	}
	var n int64
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		var sizes []struct {
			ID  uuid.UUID
			Len int64
		}
		if err := s.db.Conn(ctx).Model(&model.ImportFile{}).Select("id, length(content) AS len").
			Where("import_id = ? AND content IS NOT NULL", id).Scan(&sizes).Error; err != nil {
			return fmt.Errorf("measure import file: %w", err)
		}
		for _, f := range sizes {
			n += f.Len
		}
		if len(sizes) == 0 {
			return nil
		}
		return s.db.Conn(ctx).Model(&model.ImportFile{}).Where("import_id = ?", id).Update("content", nil).Error
	})
	if err != nil {
		return "", fmt.Errorf("clear import file: %w", err)
	}
	if n == 0 {
		return fmt.Sprintf("No content to clear for import %s", id), nil
	}
	return fmt.Sprintf("Cleared %d bytes from import_file for import %s", n, id), nil
}
