package apperr

import "errors"

// Kind classifies a failure in domain terms. The mapping to HTTP status codes
// lives in httpx.WriteError alone.
type Kind int

// The kinds. KindUnspecified is the zero value: an error built with an
// explicit status (New, Problem), or a server fault.
const (
	KindUnspecified Kind = iota
	// KindInvalid: the request or its input is malformed or breaks a rule.
	KindInvalid
	// KindUnauthorized: the caller is not (or no longer) authenticated.
	KindUnauthorized
	// KindForbidden: the caller may not do this.
	KindForbidden
	// KindNotFound: the record does not exist (or is hidden from the caller).
	KindNotFound
	// KindConflict: the request clashes with a record's current state.
	KindConflict
	// KindTooLarge: the input exceeds a configured size limit.
	KindTooLarge
	// KindUnavailable: a backing service cannot serve the request now.
	KindUnavailable
	// KindTimeout: the work took too long and was cancelled.
	KindTimeout
)

var kindNames = [...]string{"unspecified", "invalid", "unauthorized", "forbidden", "not found", "conflict", "too large", "unavailable", "timeout"}

func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return "unknown"
	}
	return kindNames[k]
}

// Sentinel is an error value a package declares once and wraps with %w
// (e.g. filter.ErrInvalid) that carries a kind, so httpx.WriteError can
// answer any error wrapping it without the platform importing that package.
// The response is an RFC 7807 body whose detail is the whole wrapped message.
type Sentinel struct {
	kind Kind
	msg  string
}

// NewSentinel declares a sentinel of the given kind.
func NewSentinel(kind Kind, msg string) *Sentinel { return &Sentinel{kind: kind, msg: msg} }

func (s *Sentinel) Error() string { return s.msg }

// Kind is the sentinel's kind.
func (s *Sentinel) Kind() Kind { return s.kind }

// SentinelKind reports the kind of the first Sentinel in err's chain.
func SentinelKind(err error) (Kind, bool) {
	var s *Sentinel
	if errors.As(err, &s) {
		return s.kind, true
	}
	return KindUnspecified, false
}
