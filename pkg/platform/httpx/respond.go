// Package httpx holds the HTTP plumbing every handler shares: the JSON and
// error responses in upstream's exact shapes, request decoding, middleware
// (request ids, access log, recovery, CORS, metrics) and the server with
// graceful shutdown.
package httpx

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"
	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

// JSON writes v as compact JSON followed by a newline, like upstream's encoder.
func JSON(c *gin.Context, status int, v any) {
	c.Render(status, jsonRender{v: v})
}

// Problem writes an RFC 7807 body as upstream's framework does for
// validation, authentication and routing errors.
func Problem(c *gin.Context, status int, detail string) {
	c.Render(status, jsonRender{v: problem{Type: "about:blank", Title: http.StatusText(status), Detail: detail, Status: status}, contentType: "application/problem+json"})
}

// ProblemWith writes an RFC 7807 body with extension members (RFC 7807
// §3.2) next to the standard ones, e.g. the formats a 415 accepts.
func ProblemWith(c *gin.Context, status int, detail string, ext map[string]any) {
	body := map[string]any{"type": "about:blank", "title": http.StatusText(status), "detail": detail, "status": status}
	for k, v := range ext {
		if _, std := body[k]; !std {
			body[k] = v
		}
	}
	c.Render(status, jsonRender{v: body, contentType: "application/problem+json"})
}

// kindStatus is the one mapping from domain error kinds to HTTP status
// codes; WriteError reads it (through StatusOf).
var kindStatus = map[apperr.Kind]int{
	apperr.KindUnspecified:  http.StatusInternalServerError,
	apperr.KindInvalid:      http.StatusBadRequest,
	apperr.KindUnauthorized: http.StatusUnauthorized,
	apperr.KindForbidden:    http.StatusForbidden,
	apperr.KindNotFound:     http.StatusNotFound,
	apperr.KindConflict:     http.StatusConflict,
	apperr.KindTooLarge:     http.StatusRequestEntityTooLarge,
	apperr.KindUnavailable:  http.StatusServiceUnavailable,
	apperr.KindTimeout:      http.StatusGatewayTimeout,
}

// statusOf is kindStatus with a 500 for a kind it does not know.
func statusOf(k apperr.Kind) int {
	if s, ok := kindStatus[k]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// StatusOf is the HTTP status an apperr error answers with: its explicit
// status, else its kind's. Tests of services use it to state the status a
// refusal will have without going through a router.
func StatusOf(e *apperr.Error) int {
	if e.Status != 0 {
		return e.Status
	}
	return statusOf(e.Kind)
}

type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
	Status int    `json:"status"`
}

// WriteError is the one place errors become responses: apperr errors get
// the status of their kind (or their explicit status) and keep their message,
// an error wrapping a kinded sentinel (an unusable filter) is a problem with
// the whole message, a transaction PostgreSQL rolled back for a concurrent
// one is a 409 (or a 503) telling the client to retry (contention), a
// missing row is a 404, anything else is a 500 whose cause is logged but
// never shown to the client. Every 503 says Retry-After.
func WriteError(c *gin.Context, log *slog.Logger, err error) {
	if e, ok := apperr.As(err); ok {
		status := StatusOf(e)
		if status == http.StatusServiceUnavailable && c.Writer.Header().Get("Retry-After") == "" {
			// Like the database's 503 below: the service behind it (object
			// store, task queue) comes back on its own, so a client may
			// retry, and RFC 9110 lets it say when. A handler that knows
			// better (the import's 30 s) has set its own.
			c.Header("Retry-After", "1")
		}
		switch {
		case e.Body != nil:
			JSON(c, status, e.Body)
		case e.Problem:
			Problem(c, status, e.Message)
		default:
			JSON(c, status, e.Message)
		}
		return
	}
	if k, ok := apperr.SentinelKind(err); ok {
		Problem(c, statusOf(k), err.Error())
		return
	}
	if status := contention(err); status != 0 {
		// Not a server bug: another request held what this one needed.
		// Warn, so a burst shows in the logs without paging anyone.
		log.Warn("request rolled back by a concurrent one", "method", c.Request.Method, "path", c.FullPath(), "request_id", RequestID(c), "status", status, "error", err)
		msg := ConflictRetryMessage
		if status == http.StatusServiceUnavailable {
			c.Header("Retry-After", "1")
			msg = LockTimeoutRetryMessage
		}
		Problem(c, status, msg)
		return
	}
	if e := dbError(err); e != nil {
		log.Warn("request failed on client input", "method", c.Request.Method, "path", c.FullPath(), "request_id", RequestID(c), "error", err)
		status, msg := statusForTimeout(c, e.Status, e.Message)
		Problem(c, status, msg)
		return
	}
	if errors.Is(err, gorm.ErrRecordNotFound) {
		JSON(c, http.StatusNotFound, "Not Found")
		return
	}
	if c.Request.Context().Err() != nil {
		// The client went away or the server is shutting down; nobody reads this.
		c.Status(http.StatusServiceUnavailable)
		return
	}
	if unavailable(err) {
		log.Warn("request failed: backing service unavailable", "method", c.Request.Method, "path", c.FullPath(), "request_id", RequestID(c), "error", err)
		c.Header("Retry-After", "1")
		Problem(c, http.StatusServiceUnavailable, "The database or the task queue is unavailable at the moment; retry shortly.")
		return
	}
	log.Error("request failed", "method", c.Request.Method, "path", c.FullPath(), "request_id", RequestID(c), "error", err)
	Problem(c, http.StatusInternalServerError, "The server encountered an internal error and was unable to complete your request.")
}
