package widget

import (
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgconn"
)

// TestFailMapsTimeoutTo504 checks the controller's error mapping: the
// statement timeout (SQLSTATE 57014) is upstream's 504 message.
func TestFailMapsTimeoutTo504(t *testing.T) {
	h := &Handler{log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, tc := range []struct {
		err  error
		code int
		body string
	}{
		{fmt.Errorf("widget query: %w", &pgconn.PgError{Code: "57014"}), 504, `"Database error or timeout"`},
		{paramError("run-aggregator", "missing required argument: '%s'", "weeks"), 400, `"Parameter error for widget 'run-aggregator': missing required argument: 'weeks'"`},
		{fmt.Errorf("widget query: %w", &pgconn.PgError{Code: "2201B", Message: "invalid regular expression: parentheses () not balanced"}), 400,
			`"Parameter error for widget 'run-aggregator': Invalid regular expression in filter: invalid regular expression: parentheses () not balanced"`},
		{fmt.Errorf("boom"), 500, `"Error processing widget 'run-aggregator'"`},
	} {
		rec := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(rec)
		c.Request = httptest.NewRequest("GET", "/api/widget/run-aggregator", nil)
		h.fail(c, "run-aggregator", tc.err)
		if rec.Code != tc.code || rec.Body.String() != tc.body+"\n" {
			t.Errorf("%v: %d %s", tc.err, rec.Code, rec.Body)
		}
	}
}
