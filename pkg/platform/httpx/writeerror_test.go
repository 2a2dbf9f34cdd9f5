package httpx

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

// TestWriteErrorKinds pins the kind→status mapping and the exact bodies: the
// domain kinds, explicit statuses from edge code, and a kinded sentinel
// wrapped by a feature package (how filter.ErrInvalid reaches a 400 without
// this package importing it).
func TestWriteErrorKinds(t *testing.T) {
	gin.SetMode(gin.TestMode)
	invalidFilter := apperr.NewSentinel(apperr.KindInvalid, "invalid filter")
	for _, tt := range []struct {
		err         error
		status      int
		contentType string
		body        string
	}{
		{apperr.BadRequest("ID: %s is not a valid UUID", "x"), 400, "application/json", `"ID: x is not a valid UUID"` + "\n"},
		{apperr.Invalid("bad %d", 1), 400, "application/problem+json", `{"type":"about:blank","title":"Bad Request","detail":"bad 1","status":400}` + "\n"},
		{apperr.NotFound("Result not found"), 404, "application/json", `"Result not found"` + "\n"},
		{fmt.Errorf("load: %w", apperr.Forbidden()), 403, "application/json", `"Forbidden"` + "\n"},
		{apperr.Unauthorized(), 401, "application/json", `"Unauthorized"` + "\n"},
		{apperr.Conflict("taken"), 409, "application/json", `"taken"` + "\n"},
		{apperr.Of(apperr.KindTooLarge, "big").AsProblem(), 413, "application/problem+json", `{"type":"about:blank","title":"Request Entity Too Large","detail":"big","status":413}` + "\n"},
		{apperr.Unavailable("later"), 503, "application/json", `"later"` + "\n"},
		{apperr.Of(apperr.KindTimeout, "slow"), 504, "application/json", `"slow"` + "\n"},
		{apperr.Of(apperr.Kind(99), "odd"), 500, "application/json", `"odd"` + "\n"},
		{apperr.New(http.StatusMethodNotAllowed, "no"), 405, "application/json", `"no"` + "\n"},
		{apperr.Problem(http.StatusUnsupportedMediaType, "mt"), 415, "application/problem+json", `{"type":"about:blank","title":"Unsupported Media Type","detail":"mt","status":415}` + "\n"},
		{&apperr.Error{Kind: apperr.KindUnauthorized, Message: "m", Body: map[string]string{"code": "c"}}, 401, "application/json", `{"code":"c"}` + "\n"},
		{fmt.Errorf("%w: the value of %q is not valid text", invalidFilter, "name"), 400, "application/problem+json",
			`{"type":"about:blank","title":"Bad Request","detail":"invalid filter: the value of \"name\" is not valid text","status":400}` + "\n"},
	} {
		rec := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(rec)
		c.Request = httptest.NewRequest(http.MethodGet, "/api/x", nil)
		WriteError(c, slog.New(slog.NewTextHandler(io.Discard, nil)), tt.err)
		if rec.Code != tt.status || rec.Body.String() != tt.body {
			t.Errorf("%v: %d %q, want %d %q", tt.err, rec.Code, rec.Body.String(), tt.status, tt.body)
		}
		if ct := rec.Header().Get("Content-Type"); len(ct) < len(tt.contentType) || ct[:len(tt.contentType)] != tt.contentType {
			t.Errorf("%v: content type %q, want %q", tt.err, ct, tt.contentType)
		}
		if ra, want := rec.Header().Get("Retry-After"), map[bool]string{true: "1"}[tt.status == http.StatusServiceUnavailable]; ra != want {
			t.Errorf("%v: Retry-After %q, want %q", tt.err, ra, want)
		}
	}
	// A handler's own Retry-After (the import's 30 s) is kept.
	rec := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(rec)
	c.Request = httptest.NewRequest(http.MethodPost, "/api/import", nil)
	c.Header("Retry-After", "30")
	WriteError(c, slog.New(slog.NewTextHandler(io.Discard, nil)), apperr.Unavailable("later"))
	if ra := rec.Header().Get("Retry-After"); rec.Code != http.StatusServiceUnavailable || ra != "30" {
		t.Errorf("503 after the handler set Retry-After 30: %d, Retry-After %q", rec.Code, ra)
	}
}
