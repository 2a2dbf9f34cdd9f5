package httpx

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"syscall"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
)

// TestUnavailableIsA503 checks the failures of a service that is down or
// restarting are told apart from server bugs: 503 with Retry-After.
func TestUnavailableIsA503(t *testing.T) {
	reset := &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	for err, want := range map[error]bool{
		fmt.Errorf("insert results: %w", &pgconn.ConnectError{}):        true,
		fmt.Errorf("insert results: %w", reset):                         true,
		&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}: true,
		&pgconn.PgError{Code: "57P01"}:                                  true, // admin_shutdown
		&pgconn.PgError{Code: "57P03"}:                                  true, // cannot_connect_now
		&pgconn.PgError{Code: "08006"}:                                  true, // connection_failure
		fmt.Errorf("x: %w", io.ErrUnexpectedEOF):                        true,
		fmt.Errorf("create result: %w", pgconn.ErrConnClosed):           true, // a dropped connection inside a transaction
		fmt.Errorf("submit: %w", queue.ErrUnavailable):                  true, // Redis down, or its breaker open
		&pgconn.PgError{Code: "23505"}:                                  false,
		&pgconn.PgError{Code: "57014"}:                                  false, // statement timeout: 504 elsewhere
		errors.New("boom"):                                              false,
	} {
		if got := unavailable(err); got != want {
			t.Errorf("unavailable(%v) = %v, want %v", err, got, want)
		}
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/", func(c *gin.Context) { WriteError(c, discard(), fmt.Errorf("q: %w", &pgconn.ConnectError{})) })
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("%d %v %s", rec.Code, rec.Header(), rec.Body)
	}
}
