package httpx

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/logbuf"
)

// TestSocketWriterReadsAndCounts serves a body through SocketWriter over
// real HTTP: it is net/http's own writer (it has ReadFrom), the client
// gets every byte after what went through gin, and the access log counts
// both parts. Under a recorder (no ReadFrom) it says so and the handler
// copies as usual.
func TestSocketWriterReadsAndCounts(t *testing.T) {
	gin.SetMode(gin.TestMode)
	var logs logbuf.Buffer
	r := gin.New()
	r.Use(AccessLog(logs.JSONLogger()))
	body := strings.Repeat("x", 100_000)
	var usable bool
	r.GET("/f", func(c *gin.Context) {
		c.Header("Content-Length", "100003")
		c.Status(http.StatusOK)
		_, _ = c.Writer.Write([]byte("abc"))
		w, ok := SocketWriter(c)
		if usable = ok; !ok {
			_, _ = io.Copy(c.Writer, strings.NewReader(body))
			return
		}
		if _, err := w.(io.ReaderFrom).ReadFrom(strings.NewReader(body)); err != nil {
			t.Error(err)
		}
	})
	srv := httptest.NewServer(r)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/f") //nolint:noctx // a plain request to a test server
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil || string(got) != "abc"+body {
		t.Fatalf("body: %d bytes, %v", len(got), err)
	}
	if !usable {
		t.Error("net/http's response writer was not reachable beneath gin's")
	}
	// The line is written after the response went out.
	recs := logs.Find(t, "request")
	for deadline := time.Now().Add(5 * time.Second); len(recs) == 0 && time.Now().Before(deadline); recs = logs.Find(t, "request") {
		time.Sleep(10 * time.Millisecond)
	}
	if len(recs) != 1 || recs[0]["bytes"] != float64(100_003) {
		t.Errorf("access log: %v, want bytes 100003", recs)
	}

	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest("GET", "/f", nil))
	if usable || rec.Body.Len() != 100_003 {
		t.Errorf("recorder: usable %v, %d bytes", usable, rec.Body.Len())
	}
}
