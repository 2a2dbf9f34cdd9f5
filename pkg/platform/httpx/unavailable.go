package httpx

import (
	"database/sql/driver"
	"errors"
	"io"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
)

// unavailable reports whether err means a backing service (PostgreSQL,
// Redis) cannot be reached right now — down, restarting, or it dropped the
// connection — rather than that the request or the server is wrong. Such
// failures are answered 503 with Retry-After: the pools reconnect by
// themselves within moments of the service being back (test/resilience
// TestPostgresRestartUnderIngest), so clients and proxies may retry.
func unavailable(err error) bool {
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		// 08: connection exception; 57P: shutting down, crashed, starting up.
		return strings.HasPrefix(pg.Code, "08") || strings.HasPrefix(pg.Code, "57P")
	}
	// ErrConnClosed: a pooled connection PostgreSQL dropped, met inside a
	// transaction, where database/sql cannot retry on a fresh one.
	return errors.Is(err, queue.ErrUnavailable) || errors.Is(err, pgconn.ErrConnClosed) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.ErrUnexpectedEOF)
}
