package httpx

import (
	"errors"
	"net/http"

	"github.com/jackc/pgx/v5/pgconn"
)

// Messages of the answers to a transaction PostgreSQL gave up on because of
// a concurrent one. Nothing the request asked for was written (the whole
// transaction rolled back), so the same request may simply be sent again.
const (
	ConflictRetryMessage    = "The request collided with a concurrent change and was rolled back; nothing was changed. Send it again."
	LockTimeoutRetryMessage = "A record the request needs is held by another change for longer than the server waits; nothing was changed. Send it again shortly."
)

// contention is the answer for err when PostgreSQL aborted the request's
// transaction because of another one, and 0 otherwise:
//
//   - 40P01 deadlock_detected and 40001 serialization_failure: the
//     transaction lost a conflict with a concurrent writer and was chosen
//     to roll back. PostgreSQL's documentation tells applications to
//     retry such transactions; the answer is 409, the status this API
//     already gives a write that met a concurrent change (a run moved
//     while a result was written), because the conflict is about the
//     state the two requests touched, not an outage: a 503 would count
//     toward availability alerts and trip circuit breakers for a single
//     unlucky request.
//   - 55P03 lock_not_available: a lock was not granted within the
//     database's lock_timeout (set by an operator; this server sets none)
//     or a NOWAIT lock was refused. The other writer is still at work, so
//     the request can only succeed later: 503 with Retry-After, as for
//     a database that is unavailable for a moment.
func contention(err error) int {
	var pg *pgconn.PgError
	if !errors.As(err, &pg) {
		return 0
	}
	switch pg.Code {
	case "40P01", "40001":
		return http.StatusConflict
	case "55P03":
		return http.StatusServiceUnavailable
	}
	return 0
}
