// Package apperr defines the errors domain code returns when a request cannot
// be served, carrying the HTTP status and the exact client-facing message the
// upstream API uses. Exactly one function (httpx.WriteError) turns them into
// responses; anything else becomes an opaque 500 and is only logged.
package apperr

import (
	"errors"
	"fmt"
	"net/http"
)

// Error is a failure the client caused or may see.
type Error struct {
	// Status is the HTTP status code.
	Status int
	// Message is shown to the client (a JSON string body, or a problem's detail).
	Message string
	// Problem selects an RFC 7807 problem+json body instead of a JSON string;
	// upstream uses it for validation and authentication failures.
	Problem bool
	// Body, when set, is sent as the JSON body verbatim (e.g. LoginError objects).
	Body any
}

func (e *Error) Error() string { return fmt.Sprintf("%d: %s", e.Status, e.Message) }

// As extracts an *Error from err's chain.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// New builds a JSON-string error.
func New(status int, format string, args ...any) *Error {
	return &Error{Status: status, Message: fmt.Sprintf(format, args...)}
}

// Problem builds an RFC 7807 error.
func Problem(status int, format string, args ...any) *Error {
	return &Error{Status: status, Message: fmt.Sprintf(format, args...), Problem: true}
}

// BadRequest is a 400 with a JSON string body.
func BadRequest(format string, args ...any) *Error {
	return New(http.StatusBadRequest, format, args...)
}

// NotFound is a 404 with a JSON string body such as "Result not found".
func NotFound(msg string) *Error { return New(http.StatusNotFound, "%s", msg) }

// Forbidden is upstream's 403 "Forbidden".
func Forbidden() *Error { return New(http.StatusForbidden, "Forbidden") }

// Unauthorized is upstream's 401 "Unauthorized" JSON string.
func Unauthorized() *Error { return New(http.StatusUnauthorized, "Unauthorized") }
