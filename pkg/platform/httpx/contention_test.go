package httpx

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/logbuf"
)

// TestContentionAsksToRetry: a transaction PostgreSQL rolled back for a
// concurrent one (a deadlock, a serialization failure) is a 409 problem
// telling the client to send the request again, a lock timeout a 503 with
// Retry-After; both are logged at warn, never as a server error. Other
// database errors keep their answers.
func TestContentionAsksToRetry(t *testing.T) {
	gin.SetMode(gin.TestMode)
	for _, tt := range []struct {
		err        error
		status     int
		detail     string
		retryAfter string
	}{
		{fmt.Errorf("update result: %w", &pgconn.PgError{Code: "40P01", Message: "deadlock detected"}), http.StatusConflict, ConflictRetryMessage, ""},
		{fmt.Errorf("move run results: %w", &pgconn.PgError{Code: "40001"}), http.StatusConflict, ConflictRetryMessage, ""},
		{&pgconn.PgError{Code: "55P03"}, http.StatusServiceUnavailable, LockTimeoutRetryMessage, "1"},
	} {
		var logs logbuf.Buffer
		rec := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(rec)
		c.Request = httptest.NewRequest(http.MethodPut, "/api/result/x", nil)
		WriteError(c, logs.JSONLogger(), tt.err)
		want := fmt.Sprintf(`{"type":"about:blank","title":%q,"detail":%q,"status":%d}`+"\n", http.StatusText(tt.status), tt.detail, tt.status)
		if rec.Code != tt.status || rec.Body.String() != want {
			t.Errorf("%v: %d %s, want %d %s", tt.err, rec.Code, rec.Body, tt.status, want)
		}
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
			t.Errorf("%v: content type %q", tt.err, ct)
		}
		if ra := rec.Header().Get("Retry-After"); ra != tt.retryAfter {
			t.Errorf("%v: Retry-After %q, want %q", tt.err, ra, tt.retryAfter)
		}
		if out := logs.String(); !strings.Contains(out, `"level":"WARN"`) || strings.Contains(out, `"level":"ERROR"`) {
			t.Errorf("%v: logged %s, want one warning", tt.err, out)
		}
	}
	for _, err := range []error{&pgconn.PgError{Code: "23505"}, &pgconn.PgError{Code: "57014"}, errors.New("boom")} {
		if s := contention(err); s != 0 {
			t.Errorf("contention(%v) = %d, want 0", err, s)
		}
	}
}
