package artifact

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/model"
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
	row, err := h.svc.Object(ctx, a.ID)
	if err != nil {
		h.Fail(c, err)
		return
	}
	if row != nil {
		h.serveObject(c, a, row, attachment)
		return
	}
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
	if !headers(c, a, attachment, first, size) {
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

// headers sends the status and headers of a download whose bytes start
// with first; false for a HEAD request, which gets no body.
func headers(c *gin.Context, a *model.Artifact, attachment bool, first []byte, size int64) bool {
	c.Header("X-Content-Type-Options", "nosniff")
	if attachment {
		c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": filename(a)}))
	}
	c.Header("Content-Type", ContentType(first))
	c.Header("Content-Length", strconv.FormatInt(size, 10))
	c.Status(http.StatusOK)
	return c.Request.Method != http.MethodHead
}

// filename is the name a download is saved as; a NULL filename (an
// upstream row) downloads without one.
func filename(a *model.Artifact) string {
	if a.Filename != nil {
		return *a.Filename
	}
	return ""
}

// sniffBytes is how much of an object the content type is guessed from.
const sniffBytes = 3072

// serveObject sends an artifact kept in the object store: a redirect to a
// presigned URL when configured (downloads only: the viewer needs the
// bytes' type from this server), otherwise the object streamed through
// with one SDK read at a time.
func (h *Handler) serveObject(c *gin.Context, a *model.Artifact, row *ObjectRow, attachment bool) {
	ctx := c.Request.Context()
	if attachment {
		u, ok, err := h.svc.Presign(ctx, row, filename(a))
		if err != nil {
			h.Fail(c, err)
			return
		}
		if ok {
			c.Header("Cache-Control", "no-store")
			c.Redirect(http.StatusFound, u)
			return
		}
	}
	r, err := h.svc.OpenObject(ctx, row, 0)
	if err != nil {
		h.Fail(c, err)
		return
	}
	defer func() { _ = r.Close() }()
	first := make([]byte, min(row.Size, sniffBytes))
	if _, err := io.ReadFull(r, first); err != nil {
		h.Fail(c, fmt.Errorf("read artifact object %s: %w", row.Key, err))
		return
	}
	if !headers(c, a, attachment, first, row.Size) {
		return
	}
	if _, err := c.Writer.Write(first); err != nil {
		return
	}
	if n, err := copyBody(c, r); err != nil || int64(len(first))+n != row.Size {
		if ctx.Err() != nil {
			return // the client went away
		}
		h.Log.Warn("artifact download cut short", "artifact_id", a.ID, "key", row.Key, "sent", int64(len(first))+n, "error", err)
		panic(http.ErrAbortHandler)
	}
}

// copyBody sends the rest of an object: a stream of its own connection
// goes to the response's socket writer, which splices it (objstore.Stream);
// anything else through a pooled buffer.
func copyBody(c *gin.Context, r io.Reader) (int64, error) {
	if st, ok := r.(io.WriterTo); ok {
		if w, ok := httpx.SocketWriter(c); ok {
			return st.WriteTo(w)
		}
	}
	buf := copyBuffers.Get().(*[]byte)
	defer copyBuffers.Put(buf)
	return io.CopyBuffer(writerOnly{c.Writer}, r, *buf)
}

// copyBuffers are the buffers objects are streamed through: larger than
// io.Copy's 32 KiB, so a download costs fewer writes.
var copyBuffers = sync.Pool{New: func() any { b := make([]byte, 256<<10); return &b }}

// writerOnly hides the response writer's ReadFrom, so CopyBuffer uses the
// pooled buffer.
type writerOnly struct{ io.Writer }
