package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"

	"github.com/gin-gonic/gin"
)

// bareGin serves POST /api/result with nothing but gin: read the body,
// decode the JSON, answer 201 with it. It is the HTTP + JSON floor of this
// machine — what the ingest path costs before auth, validation and the
// database.
func bareGin(ctx context.Context) (base string, stop func(), err error) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.POST("/api/result", func(c *gin.Context) {
		body, err := c.GetRawData()
		if err != nil {
			c.Status(http.StatusBadRequest)
			return
		}
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			c.Status(http.StatusBadRequest)
			return
		}
		m["id"] = "00000000-0000-0000-0000-000000000000"
		c.JSON(http.StatusCreated, m)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("listen for bare gin: %w", err)
	}
	srv := &http.Server{Handler: r, BaseContext: func(net.Listener) context.Context { return ctx }}
	go func() { _ = srv.Serve(ln) }() // ErrServerClosed once stop closes it
	return "http://" + ln.Addr().String(), func() { _ = srv.Close() }, nil
}
