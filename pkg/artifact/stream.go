package artifact

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// streamChunk is how much of an artifact one read from the database
// fetches: a download holds one chunk at a time, so parallel downloads of
// a large artifact cost a chunk each, not the artifact each.
const streamChunk = 1 << 20

// errGone is an artifact deleted while it was being sent.
var errGone = errors.New("artifact deleted during the download")

// serve sends an artifact's bytes (view and download), after the access
// check, reading them in chunks with substring reads; each chunk is its
// own short query, so a slow client holds no database connection.
func (h *Handler) serve(c *gin.Context, attachment bool) {
	a, err := h.load(c, false)
	if err != nil {
		h.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	size, err := h.contentSize(ctx, a.ID)
	if err != nil {
		h.fail(c, err)
		return
	}
	first, err := h.chunk(ctx, a.ID, 0, min(size, streamChunk))
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("X-Content-Type-Options", "nosniff")
	if attachment {
		var name string // a NULL filename (an upstream row) downloads without one
		if a.Filename != nil {
			name = *a.Filename
		}
		c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	}
	c.Header("Content-Type", ContentType(first))
	c.Header("Content-Length", strconv.FormatInt(size, 10))
	c.Status(http.StatusOK)
	if c.Request.Method == http.MethodHead {
		return
	}
	buf := first
	for off := int64(0); ; {
		if _, err := c.Writer.Write(buf); err != nil {
			return // the client went away
		}
		off += int64(len(buf))
		if off >= size {
			return
		}
		c.Writer.Flush()
		if buf, err = h.chunk(ctx, a.ID, off, min(size-off, streamChunk)); err != nil {
			// The status is sent: cut the response short so the client
			// sees a truncated body rather than a complete-looking one.
			h.log.Warn("artifact download cut short", "artifact_id", a.ID, "offset", off, "error", err)
			panic(http.ErrAbortHandler)
		}
	}
}

// contentSize is the artifact's byte count.
func (h *Handler) contentSize(ctx context.Context, id uuid.UUID) (int64, error) {
	fn := "octet_length"
	if h.db.Dialect != db.Postgres {
		fn = "length"
	}
	var n *int64
	if err := h.db.Conn(ctx).Raw("SELECT "+fn+"(content) FROM artifacts WHERE id = ?", id).Row().Scan(&n); err != nil {
		return 0, fmt.Errorf("measure artifact: %w", err)
	}
	if n == nil {
		return 0, nil
	}
	return *n, nil
}

// chunk reads n bytes of the artifact from offset off (0-based).
func (h *Handler) chunk(ctx context.Context, id uuid.UUID, off, n int64) ([]byte, error) {
	if n <= 0 {
		return nil, nil
	}
	fn := "substring(content FROM ? FOR ?)"
	if h.db.Dialect != db.Postgres {
		fn = "substr(content, ?, ?)"
	}
	var b []byte
	row := h.db.Conn(ctx).Raw("SELECT "+fn+" FROM artifacts WHERE id = ?", off+1, n, id).Row()
	if err := row.Scan(&b); err != nil {
		return nil, fmt.Errorf("read artifact at %d: %w", off, err)
	}
	if int64(len(b)) != n {
		return nil, errGone
	}
	return b, nil
}
