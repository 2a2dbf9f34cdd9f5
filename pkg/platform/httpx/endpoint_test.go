package httpx

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

// serveEndpoint runs h on one request with path parameter id and body.
func serveEndpoint(h gin.HandlerFunc, method, id, body string) *httptest.ResponseRecorder {
	gin.SetMode(gin.TestMode)
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest(method, "/x/"+id, strings.NewReader(body))
	c.Request.Header.Set("Content-Type", "application/json")
	c.Params = gin.Params{{Key: "id", Value: id}}
	h(c)
	return w
}

// TestEndpointHelpersOrderAndAnswers: a malformed path id is the 400 before
// any service call; a service error is written by the handler's Fail; a
// success is the rendered row with the endpoint's status; UpdateLoaded
// answers the row's absence before it reads a bad body.
func TestEndpointHelpersOrderAndAnswers(t *testing.T) {
	fail := ErrorWriter(discard())
	const id = "5b4f3d2e-1c0a-4b9e-8f7d-6a5b4c3d2e1f"
	calls := 0
	get := func(_ context.Context, got uuid.UUID) (string, error) {
		calls++
		if got.String() != id {
			return "", apperr.NotFound("Thing not found")
		}
		return "thing " + got.String()[:4], nil
	}
	render := func(s string) map[string]string { return map[string]string{"name": s} }
	update := func(_ context.Context, row string, body map[string]any) (string, error) {
		return row + "+" + body["k"].(string), nil
	}
	for _, c := range []struct {
		name       string
		h          gin.HandlerFunc
		method, id string
		body       string
		status     int
		want       string
		calls      int
	}{
		{"get bad id", GetByID(fail, get, render), "GET", "nope", "", 400, `"ID: nope is not a valid UUID"`, 0},
		{"get missing", GetByID(fail, get, render), "GET", uuid.Nil.String(), "", 404, `"Thing not found"`, 1},
		{"get", GetByID(fail, get, render), "GET", id, "", 200, `{"name":"thing 5b4f"}`, 1},
		{"delete bad id", DeleteByID(fail, func(context.Context, uuid.UUID) error { calls++; return nil }), "DELETE", "nope", "", 400, `"ID: nope is not a valid UUID"`, 0},
		{"delete", DeleteByID(fail, func(context.Context, uuid.UUID) error { calls++; return nil }), "DELETE", id, "", 200, `"OK"`, 1},
		{"update missing before bad body", UpdateLoaded(fail, 1<<20, Schema{}, get, update, render), "PUT", uuid.Nil.String(), "not json", 404, `"Thing not found"`, 1},
		{"update", UpdateLoaded(fail, 1<<20, Schema{"k": {Kind: String}}, get, update, render), "PUT", id, `{"k":"v"}`, 200, `{"name":"thing 5b4f+v"}`, 1},
	} {
		calls = 0
		w := serveEndpoint(c.h, c.method, c.id, c.body)
		if w.Code != c.status || strings.TrimSpace(w.Body.String()) != c.want || calls != c.calls {
			t.Errorf("%s: %d %s after %d calls, want %d %s after %d", c.name, w.Code, w.Body, calls, c.status, c.want, c.calls)
		}
	}
}
