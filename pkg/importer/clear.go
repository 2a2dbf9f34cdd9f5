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

// ClearContent drops a finished import's bytes (its chunks, or upstream's
// single content value) and says what it did.
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
		tx := s.db.Conn(ctx)
		files := "SELECT id FROM import_files WHERE import_id = ?"
		var sizes struct{ Legacy, Chunked int64 }
		if err := tx.Raw("SELECT (SELECT COALESCE(sum(length(content)), 0) FROM import_files WHERE import_id = ?) AS legacy,"+
			" (SELECT COALESCE(sum(length(data)), 0) FROM "+chunkTable+" WHERE file_id IN ("+files+")) AS chunked",
			id, id).Scan(&sizes).Error; err != nil {
			return fmt.Errorf("measure import file: %w", err)
		}
		n = sizes.Legacy + sizes.Chunked
		if err := tx.Exec("DELETE FROM "+chunkTable+" WHERE file_id IN ("+files+")", id).Error; err != nil {
			return fmt.Errorf("delete import chunks: %w", err)
		}
		return tx.Model(&model.ImportFile{}).Where("import_id = ? AND content IS NOT NULL", id).Update("content", nil).Error
	})
	if err != nil {
		return "", fmt.Errorf("clear import file: %w", err)
	}
	if n == 0 {
		return fmt.Sprintf("No content to clear for import %s", id), nil
	}
	return fmt.Sprintf("Cleared %d bytes from import_file for import %s", n, id), nil
}
