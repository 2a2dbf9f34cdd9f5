package importer_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/parsertest"
)

// TestImportWhenRedisIsDown: an upload whose task cannot be queued is
// refused with a 503 problem and leaves nothing behind, while reads keep
// working.
func TestImportWhenRedisIsDown(t *testing.T) {
	e := backendtest.New(t, backendtest.Options{RedisDown: true})
	start := time.Now()
	r := upload(e, e.AdminToken, "a.xml", parsertest.ReadFile(t, "fx01-single-suite.xml"), map[string]string{"metadata": `{"build":"1"}`})
	if r.Code != 503 {
		t.Fatalf("upload with Redis down: %d %s", r.Code, r.Body)
	}
	if ct := r.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Errorf("content type %q", ct)
	}
	if r.Header().Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	if m := r.Map(); m["status"] != float64(503) || m["detail"] != "The task queue is unavailable; try again later" {
		t.Errorf("problem body %v", m)
	}
	if d := time.Since(start); d > 15*time.Second {
		t.Errorf("the refusal took %s", d)
	}
	for _, table := range []string{"imports", "import_files", "ibutsu_import_chunks", "runs", "results"} {
		if n := count(t, e, table); n != 0 {
			t.Errorf("%s: %d rows left behind", table, n)
		}
	}
	p := e.CreateProject("reads", e.Admin)
	for _, path := range []string{"/api/run?filter=project_id=" + p.ID.String(), "/api/result?filter=project_id=" + p.ID.String(), "/api/import", "/api/project"} {
		if r := e.Do("GET", path, nil, e.AdminToken); r.Code != 200 {
			t.Errorf("GET %s with Redis down: %d %s", path, r.Code, r.Body)
		}
	}
}
