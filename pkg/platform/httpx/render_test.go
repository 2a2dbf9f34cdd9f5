package httpx

import (
	"bytes"
	"log/slog"
	"math"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

// TestJSONNeverEmpty200: an answer holding a NaN or an infinity is served
// with null in its place; one JSON cannot carry at all (a channel) is a
// logged 500 problem. Before, the encoder failed after the status was
// chosen and the client read a 200 with an empty body.
func TestJSONNeverEmpty200(t *testing.T) {
	gin.SetMode(gin.TestMode)
	var logged bytes.Buffer
	r := gin.New()
	r.Use(Recovery(slog.New(slog.NewTextHandler(&logged, nil))))
	inf := math.Inf(1)
	r.GET("/nan", func(c *gin.Context) {
		JSON(c, 200, map[string]any{"duration": &inf, "sum": math.NaN(), "n": 1})
	})
	r.GET("/chan", func(c *gin.Context) { JSON(c, 200, map[string]any{"c": make(chan int)}) })
	for path, want := range map[string]struct {
		status int
		body   string
	}{
		"/nan":  {200, `{"duration":null,"n":1,"sum":null}` + "\n"},
		"/chan": {500, `{"type":"about:blank","title":"Internal Server Error","detail":"The server encountered an internal error and was unable to complete your request.","status":500}` + "\n"},
	} {
		w := httptest.NewRecorder()
		r.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		if w.Code != want.status || w.Body.String() != want.body {
			t.Errorf("GET %s: %d %q, want %d %q", path, w.Code, w.Body, want.status, want.body)
		}
	}
	if !strings.Contains(logged.String(), "answer could not be encoded") {
		t.Errorf("the 500 was not logged: %q", logged.String())
	}
}
