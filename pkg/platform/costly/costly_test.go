package costly

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

// TestGateLimitsPerUserAndInTotal holds requests inside the handler and
// checks who is admitted: cheap filters always, expensive ones up to the
// per-user and total caps, then 429 with Retry-After and a JSON body; a
// finished request frees its slot, and admitted requests carry the
// timeout.
func TestGateLimitsPerUserAndInTotal(t *testing.T) {
	gin.SetMode(gin.TestMode)
	g := NewGate(Limits{Timeout: 1500 * time.Millisecond, PerUser: 2, Total: 3}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	hold := make(chan struct{})
	entered := make(chan time.Duration, 10)
	r := gin.New()
	// The filter package's rule in small: a `~` or `%` operator.
	expensive := func(vs []string) bool {
		for _, v := range vs {
			if strings.ContainsAny(v, "~%") {
				return true
			}
		}
		return false
	}
	r.GET("/list", g.Middleware(func(c *gin.Context) string { return c.Query("user") }, expensive), func(c *gin.Context) {
		d, _ := Timeout(c.Request.Context())
		entered <- d
		<-hold
		c.JSON(200, "ok")
	})
	type answer struct {
		code int
		rec  *httptest.ResponseRecorder
	}
	send := func(user, filter string) chan answer {
		ch := make(chan answer, 1)
		go func() {
			rec := httptest.NewRecorder()
			r.ServeHTTP(rec, httptest.NewRequest("GET", "/list?"+url.Values{"user": {user}, "filter": {filter}}.Encode(), nil))
			ch <- answer{rec.Code, rec}
		}()
		return ch
	}
	const regex, like, cheap = "test_id~(a+)+b", "metadata.env%prod", "result=passed"
	a1, a2 := send("a", regex), send("a", like)
	for range 2 {
		if d := <-entered; d != 1500*time.Millisecond {
			t.Fatalf("admitted with timeout %s", d)
		}
	}
	if ans := <-send("a", regex); ans.code != http.StatusTooManyRequests || ans.rec.Header().Get("Retry-After") != "2" || !json.Valid(ans.rec.Body.Bytes()) {
		t.Fatalf("third of user a: %d %v %s", ans.code, ans.rec.Header(), ans.rec.Body)
	}
	b1 := send("b", regex)
	<-entered
	if ans := <-send("c", regex); ans.code != http.StatusTooManyRequests {
		t.Fatalf("over the total: %d", ans.code)
	}
	c1 := send("c", cheap) // cheap filters are never gated
	if d := <-entered; d != 0 {
		t.Fatalf("a cheap request carries a timeout: %s", d)
	}
	hold <- struct{}{}
	hold <- struct{}{}
	hold <- struct{}{}
	hold <- struct{}{}
	for _, ch := range []chan answer{a1, a2, b1, c1} {
		if ans := <-ch; ans.code != 200 {
			t.Fatalf("admitted request: %d", ans.code)
		}
	}
	c2 := send("c", regex) // slots are free again
	<-entered
	close(hold)
	if ans := <-c2; ans.code != 200 {
		t.Fatalf("after release: %d", ans.code)
	}
}
