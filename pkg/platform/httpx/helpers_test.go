package httpx

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

// TestBodyIDOrNew: a client id is kept, a malformed one is upstream's 400
// text, none is a fresh UUID.
func TestBodyIDOrNew(t *testing.T) {
	const id = "5b4f3d2e-1c0a-4b9e-8f7d-6a5b4c3d2e1f"
	got, err := BodyIDOrNew(map[string]any{"id": id})
	if err != nil || got.String() != id {
		t.Fatalf("client id: %v %v", got, err)
	}
	if _, err := BodyIDOrNew(map[string]any{"id": "nope"}); err == nil || err.Error() != "invalid: ID: nope is not a valid UUID" {
		t.Fatalf("bad id: %v", err)
	}
	a, _ := BodyIDOrNew(map[string]any{})
	b, _ := BodyIDOrNew(map[string]any{})
	if a == b {
		t.Fatal("no id must give a fresh UUID each time")
	}
}

// TestWriteListEnvelope: the envelope's bytes, with an empty page as [].
func TestWriteListEnvelope(t *testing.T) {
	gin.SetMode(gin.TestMode)
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	WriteList(c, "things", Views([]int{}, func(i *int) int { return *i }), NewPagination(Page{Page: 1, PageSize: 25}, 0))
	want := `{"pagination":{"page":1,"pageSize":25,"totalItems":0,"totalPages":0},"things":[]}` + "\n"
	if w.Code != http.StatusOK || w.Body.String() != want {
		t.Fatalf("%d %q", w.Code, w.Body.String())
	}
}

// TestPathUUIDAndBodyOrder: a bad path id wins over a bad body.
func TestPathUUIDAndBodyOrder(t *testing.T) {
	gin.SetMode(gin.TestMode)
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest(http.MethodPut, "/x/bad", strings.NewReader("not json"))
	c.Request.Header.Set("Content-Type", "application/json")
	c.Params = gin.Params{{Key: "id", Value: "bad"}}
	if _, _, err := PathUUIDAndBody(c, "id", 1<<20, Schema{}); err == nil || err.Error() != "invalid: ID: bad is not a valid UUID" {
		t.Fatalf("got %v", err)
	}
}
