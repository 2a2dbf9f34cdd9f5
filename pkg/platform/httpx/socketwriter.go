package httpx

import (
	"io"
	"net/http"

	"github.com/gin-gonic/gin"
)

// socketBytesKey holds what a handler sent through SocketWriter, which
// gin's writer does not see, so the access log can count it.
const socketBytesKey = "httpx.socketBytes"

// SocketWriter is the response's own writer beneath gin's, after the
// status and headers are sent, and ok true when that writer can read a
// body from a reader itself (net/http's can, by splice(2) from a socket);
// ok false when something wraps the response without that, and the
// handler should copy as usual. gin's writer hides it: gin's has no
// ReadFrom. What goes through it is added to the access log's bytes.
func SocketWriter(c *gin.Context) (w io.Writer, ok bool) {
	u, ok := c.Writer.(interface{ Unwrap() http.ResponseWriter })
	if !ok {
		return nil, false
	}
	rf, ok := u.Unwrap().(io.ReaderFrom)
	if !ok {
		return nil, false
	}
	c.Writer.WriteHeaderNow()
	return &countedWriter{c: c, w: u.Unwrap(), rf: rf}, true
}

// countedWriter counts for the access log what it writes.
type countedWriter struct {
	c  *gin.Context
	w  io.Writer
	rf io.ReaderFrom
}

func (cw *countedWriter) Write(p []byte) (int, error) {
	n, err := cw.w.Write(p)
	cw.add(int64(n))
	return n, err
}

func (cw *countedWriter) ReadFrom(r io.Reader) (int64, error) {
	n, err := cw.rf.ReadFrom(r)
	cw.add(n)
	return n, err
}

func (cw *countedWriter) add(n int64) { cw.c.Set(socketBytesKey, cw.c.GetInt64(socketBytesKey)+n) }

// sentBytes is the size of the response body: gin's count and what went
// around it.
func sentBytes(c *gin.Context) int64 {
	n := c.GetInt64(socketBytesKey)
	if n == 0 {
		return int64(c.Writer.Size()) // -1 when nothing was written, as gin counts
	}
	return int64(max(c.Writer.Size(), 0)) + n
}
