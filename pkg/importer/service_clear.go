package importer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"
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
	imp, err := s.store.load(ctx, id)
	if errors.Is(err, errNoImport) {
		return fmt.Sprintf("Import %s not found", id), nil
	}
	if err != nil {
		return "", err
	}
	if st := deref(imp.Status); st != StatusDone && st != StatusError {
		return fmt.Sprintf("Import %s status is %s, not clearing content", id, st), nil
	}
	n, err := s.store.clearBytes(ctx, id)
	if err != nil {
		return "", err
	}
	if n == 0 {
		return fmt.Sprintf("No content to clear for import %s", id), nil
	}
	return fmt.Sprintf("Cleared %d bytes from import_file for import %s", n, id), nil
}
