// Package apperr defines the errors domain code returns when a request cannot
// be served: what went wrong in domain terms (a Kind) and the exact
// client-facing message the upstream API uses. It knows nothing of HTTP:
// exactly one function (httpx.WriteError) maps kinds to status codes and
// turns errors into responses; anything else becomes an opaque 500 and is
// only logged. Services therefore need neither net/http nor gin.
package apperr

import (
	"errors"
	"fmt"
)

// Error is a failure the client caused or may see.
type Error struct {
	// Kind says what went wrong; httpx.WriteError derives the status from it.
	Kind Kind
	// Status, when non-zero, is an explicit HTTP status set by edge code
	// through New or Problem (e.g. 405, 413, 415, which are about the HTTP
	// exchange rather than the domain). It wins over Kind.
	Status int
	// Message is shown to the client (a JSON string body, or a problem's detail).
	Message string
	// Problem selects an RFC 7807 problem+json body instead of a JSON string;
	// upstream uses it for validation and authentication failures.
	Problem bool
	// Body, when set, is sent as the JSON body verbatim (e.g. LoginError objects).
	Body any
}

// Error renders the explicit status or the kind, then the message; it is for
// logs and tests, never the client.
func (e *Error) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("%d: %s", e.Status, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.Kind, e.Message)
}

// As extracts an *Error from err's chain.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// KindOf is the Kind of the *Error in err's chain: KindUnspecified when
// there is none (nil, or a plain error), as WriteError would treat it.
func KindOf(err error) Kind {
	if e, ok := As(err); ok {
		return e.Kind
	}
	return KindUnspecified
}

// New builds a JSON-string error with an explicit HTTP status. It is for
// handlers; services use the kind constructors below.
func New(status int, format string, args ...any) *Error {
	return &Error{Status: status, Message: fmt.Sprintf(format, args...)}
}

// Problem builds an RFC 7807 error with an explicit HTTP status. It is for
// handlers; services use Invalid or Of(...).AsProblem().
func Problem(status int, format string, args ...any) *Error {
	return &Error{Status: status, Message: fmt.Sprintf(format, args...), Problem: true}
}

// Of builds a JSON-string error of the given kind.
func Of(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// AsProblem switches e to an RFC 7807 body and returns it.
func (e *Error) AsProblem() *Error {
	e.Problem = true
	return e
}

// BadRequest is an invalid request answered with a JSON string body (a 400).
func BadRequest(format string, args ...any) *Error {
	return Of(KindInvalid, format, args...)
}

// Invalid is an invalid request answered with an RFC 7807 body (a 400), as
// upstream's framework answers validation failures.
func Invalid(format string, args ...any) *Error {
	return Of(KindInvalid, format, args...).AsProblem()
}

// NotFound is a missing record with a JSON string body such as "Result not found".
func NotFound(msg string) *Error { return Of(KindNotFound, "%s", msg) }

// NotFoundIf is the step a service takes after a store lookup: a store's
// not-found sentinel (err is or wraps it) becomes NotFound(msg); any other
// error, or nil, is returned unchanged.
func NotFoundIf(err, sentinel error, msg string) error {
	if errors.Is(err, sentinel) {
		return NotFound(msg)
	}
	return err
}

// Forbidden is upstream's 403 "Forbidden".
func Forbidden() *Error { return Of(KindForbidden, "Forbidden") }

// Unauthorized is upstream's 401 "Unauthorized" JSON string.
func Unauthorized() *Error { return Of(KindUnauthorized, "Unauthorized") }

// ForbiddenUnless is the step a service takes after an access check that
// answers (allowed, err), e.g. project.Store.CanAccess: err when the check
// failed, Forbidden() when it said no, nil when it said yes.
func ForbiddenUnless(allowed bool, err error) error {
	return Unless(allowed, err, Forbidden())
}

// Unless is ForbiddenUnless with the refusal chosen by the caller (the
// project routes answer upstream's 401 Unauthorized instead).
func Unless(allowed bool, err error, refusal *Error) error {
	switch {
	case err != nil:
		return err
	case !allowed:
		return refusal
	}
	return nil
}

// Conflict is a request that clashes with the current state of a record.
func Conflict(format string, args ...any) *Error { return Of(KindConflict, format, args...) }

// Unavailable is a dependency that cannot serve the request right now.
func Unavailable(format string, args ...any) *Error {
	return Of(KindUnavailable, format, args...)
}
