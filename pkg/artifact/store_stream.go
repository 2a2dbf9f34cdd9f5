package artifact

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// errGone is an artifact deleted while it was being sent.
var errGone = errors.New("artifact deleted during the download")

// contentSize is the artifact's byte count.
func (s store) contentSize(ctx context.Context, id uuid.UUID) (int64, error) {
	var n *int64
	if err := s.db.Conn(ctx).Raw("SELECT "+s.lengthFn()+"(content) FROM artifacts WHERE id = ?", id).Row().Scan(&n); err != nil {
		return 0, fmt.Errorf("measure artifact: %w", err)
	}
	if n == nil {
		return 0, nil
	}
	return *n, nil
}

// chunk reads n bytes of the artifact from offset off (0-based).
func (s store) chunk(ctx context.Context, id uuid.UUID, off, n int64) ([]byte, error) {
	if n <= 0 {
		return nil, nil
	}
	fn := "substring(content FROM ? FOR ?)"
	if s.db.Dialect != db.Postgres {
		fn = "substr(content, ?, ?)"
	}
	var b []byte
	row := s.db.Conn(ctx).Raw("SELECT "+fn+" FROM artifacts WHERE id = ?", off+1, n, id).Row()
	if err := row.Scan(&b); err != nil {
		return nil, fmt.Errorf("read artifact at %d: %w", off, err)
	}
	if int64(len(b)) != n {
		return nil, errGone
	}
	return b, nil
}

// lengthFn is the dialect's byte length of a blob.
func (s store) lengthFn() string {
	if s.db.Dialect != db.Postgres {
		return "length"
	}
	return "octet_length"
}
