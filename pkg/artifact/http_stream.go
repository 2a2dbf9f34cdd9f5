package artifact

import (
	"mime"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

// streamChunk is how much of an artifact one read from the database
// fetches: a download holds one chunk at a time, so parallel downloads of
// a large artifact cost a chunk each, not the artifact each.
const streamChunk = 1 << 20

// serve sends an artifact's bytes (view and download), after the access
// check, reading them in chunks with substring reads; each chunk is its
// own short query, so a slow client holds no database connection.
func (h *Handler) serve(c *gin.Context, attachment bool) {
	a, err := httpx.OnPathID(c, h.get)
	if err != nil {
		h.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	size, err := h.svc.ContentSize(ctx, a.ID)
	if err != nil {
		h.Fail(c, err)
		return
	}
	first, err := h.svc.Chunk(ctx, a.ID, 0, min(size, streamChunk))
	if err != nil {
		h.Fail(c, err)
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
		if buf, err = h.svc.Chunk(ctx, a.ID, off, min(size-off, streamChunk)); err != nil {
			// The status is sent: cut the response short so the client
			// sees a truncated body rather than a complete-looking one.
			h.Log.Warn("artifact download cut short", "artifact_id", a.ID, "offset", off, "error", err)
			panic(http.ErrAbortHandler)
		}
	}
}
