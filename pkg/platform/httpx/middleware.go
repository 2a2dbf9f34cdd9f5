package httpx

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// requestIDKey is where RequestIDs stores the id in the gin context.
const requestIDKey = "request_id"

// RequestIDHeader is read from and echoed to clients; a proxy's id is kept.
const RequestIDHeader = "X-Request-Id"

// RequestIDs gives every request an id (the caller's, if it sent a sane one)
// so log lines of one request can be found together.
func RequestIDs() gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader(RequestIDHeader)
		if id == "" || len(id) > 128 || strings.ContainsAny(id, "\r\n\"") {
			var b [12]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		c.Set(requestIDKey, id)
		c.Header(RequestIDHeader, id)
		c.Next()
	}
}

// RequestID returns the current request's id.
func RequestID(c *gin.Context) string { return c.GetString(requestIDKey) }

// AccessLog writes one line per request to the access logger (stdout, like
// gunicorn's --access-logfile -). The path is logged without its query and
// with the codes of activation and reset links redacted (RedactPath).
func AccessLog(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := routeOf(c)
		log.Info("request",
			"method", c.Request.Method,
			"path", RedactPath(c.Request.URL.Path),
			"route", route,
			"status", c.Writer.Status(),
			"bytes", sentBytes(c),
			"duration_ms", float64(time.Since(start).Microseconds())/1000,
			"client_ip", c.ClientIP(),
			"request_id", RequestID(c),
		)
	}
}

// Recovery turns a handler panic into a 500 problem response and logs the
// stack, so one bad request never takes the process down.
func Recovery(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				log.Error("panic serving request", "method", c.Request.Method, "path", RedactPath(c.Request.URL.Path),
					"request_id", RequestID(c), "panic", r, "stack", string(debug.Stack()))
				if !c.Writer.Written() {
					Problem(c, http.StatusInternalServerError, "The server encountered an internal error and was unable to complete your request.")
				}
				c.Abort()
			}
		}()
		c.Next()
		unencodable(c, log)
	}
}

// unencodable answers 500, logged, in place of an answer that could not be
// encoded (jsonRender wrote nothing of it): never a 200 with an empty body.
func unencodable(c *gin.Context, log *slog.Logger) {
	for _, ge := range c.Errors {
		var e *encodeError
		if !errors.As(ge.Err, &e) {
			continue
		}
		log.Error("answer could not be encoded", "method", c.Request.Method, "path", RedactPath(c.Request.URL.Path),
			"request_id", RequestID(c), "error", e)
		if !c.Writer.Written() {
			Problem(c, http.StatusInternalServerError, "The server encountered an internal error and was unable to complete your request.")
		}
		return
	}
}

// CORS allows every origin, method and header and answers preflights before
// routing and authentication, as upstream does: its UI is often served from
// another origin than the API.
func CORS() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Expose-Headers", "Content-Disposition, X-Request-Id")
		if c.Request.Method == http.MethodOptions && c.GetHeader("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD")
			allow := c.GetHeader("Access-Control-Request-Headers")
			if allow == "" {
				allow = "*"
			}
			h.Set("Access-Control-Allow-Headers", allow)
			h.Set("Access-Control-Max-Age", "600")
			c.AbortWithStatus(http.StatusOK)
			return
		}
		c.Next()
	}
}
