package resilience

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// The issue-17 cases of the hostile corpus that are not a request body:
// multipart fields, rows another writer stored, concurrent writers and a
// Redis outage.

// TestHostileFormFieldsAndStoredNumbers: NUL and over-long indexed text in
// multipart fields are a 400 naming the field; a row written by SQL with a
// number beyond float64 in jsonb is still listed, read and updated.
func TestHostileFormFieldsAndStoredNumbers(t *testing.T) {
	t.Parallel()
	e := backendtest.New(t, backendtest.Options{})
	pid := e.Do("POST", "/api/project", map[string]any{"name": "p1"}, e.AdminToken).Map()["id"].(string)
	rid := e.Do("POST", "/api/result", map[string]any{"test_id": "t", "metadata": map[string]any{"project": "p1"}}, e.AdminToken).Map()["id"].(string)
	form := func(path, fileField, filename string, fields map[string]string) *backendtest.Response {
		buf := &bytes.Buffer{}
		w := multipart.NewWriter(buf)
		for k, v := range fields {
			_ = w.WriteField(k, v)
		}
		fw, _ := w.CreateFormFile(fileField, filename)
		_, _ = fw.Write([]byte("<testsuite/>"))
		_ = w.Close()
		req := httptest.NewRequest("POST", path, buf)
		req.Header.Set("Content-Type", w.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+e.AdminToken)
		return e.Serve(req)
	}
	long := strings.Repeat("0123456789", 1024)
	for _, c := range []struct {
		path, fileField, filename string
		fields                    map[string]string
		field                     string
	}{
		{"/api/artifact", "file", "a.txt", map[string]string{"resultId": rid, "filename": "a", "additionalMetadata": `{"k":"\u0000"}`}, "additionalMetadata.k"},
		{"/api/artifact", "file", "a.txt", map[string]string{"resultId": rid, "filename": "a", "additionalMetadata": `{"n":1e400}`}, "additionalMetadata.n"},
		{"/api/artifact", "file", "a.txt", map[string]string{"resultId": rid, "filename": long}, "filename"},
		{"/api/import", "importFile", "r.xml", map[string]string{"project": "p1", "metadata": `{"k":"\u0000"}`}, "metadata.k"},
		{"/api/import", "importFile", "r.xml", map[string]string{"project": "p1", "source": "\x00"}, "source"},
		{"/api/import", "importFile", long + ".xml", map[string]string{"project": "p1"}, "filename"},
	} {
		if r := form(c.path, c.fileField, c.filename, c.fields); r.Code != 400 || !strings.Contains(r.Body.String(), c.field) {
			t.Errorf("%s [%s]: %d %s", c.path, c.field, r.Code, tail(r.Body.String(), 300))
		}
	}
	id := uuid.New()
	if err := e.App.DB.Gorm.Exec(`INSERT INTO results (id, project_id, test_id, start_time, data) VALUES (?, ?, 'huge', ?, '{"n": 1e400}'::jsonb)`,
		id, uuid.MustParse(pid), time.Now().UTC()).Error; err != nil {
		t.Fatal(err)
	}
	for _, r := range []*backendtest.Response{
		e.Do("GET", "/api/result?filter=project_id="+pid, nil, e.AdminToken),
		e.Do("GET", "/api/result/"+id.String(), nil, e.AdminToken),
		e.Do("PUT", "/api/result/"+id.String(), map[string]any{"metadata": map[string]any{"fixed": true}}, e.AdminToken),
	} {
		if r.Code != 200 {
			t.Errorf("a stored 1e400 made a read fail: %d %s", r.Code, tail(r.Body.String(), 300))
		}
	}
}

// TestHostileConcurrentMetadataWriters: 40 clients PUT the same result and
// run at once, each adding its own metadata key: every acknowledged key is
// kept, on PostgreSQL and SQLite.
func TestHostileConcurrentMetadataWriters(t *testing.T) {
	t.Parallel()
	for _, sqlite := range []bool{false, true} {
		t.Run(map[bool]string{false: "postgres", true: "sqlite"}[sqlite], func(t *testing.T) {
			e := backendtest.New(t, backendtest.Options{SQLite: sqlite})
			e.Do("POST", "/api/project", map[string]any{"name": "p1"}, e.AdminToken)
			for _, kind := range []string{"result", "run"} {
				id := e.Do("POST", "/api/"+kind, map[string]any{"test_id": "t", "metadata": map[string]any{"project": "p1"}}, e.AdminToken).Map()["id"].(string)
				var wg sync.WaitGroup
				for i := 0; i < 40; i++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						if r := e.Do("PUT", "/api/"+kind+"/"+id, map[string]any{"metadata": map[string]any{fmt.Sprintf("k%d", i): i}}, e.AdminToken); r.Code != 200 {
							t.Errorf("PUT %s: %d", kind, r.Code)
						}
					}()
				}
				wg.Wait()
				md := e.Do("GET", "/api/"+kind+"/"+id, nil, e.AdminToken).Map()["metadata"].(map[string]any)
				for i := 0; i < 40; i++ {
					if md[fmt.Sprintf("k%d", i)] != float64(i) {
						t.Errorf("%s: acknowledged key k%d lost", kind, i)
					}
				}
			}
		})
	}
}

// TestHostileRedisOutageKeepsSummaries: while the (private) Redis is down,
// result writes answer at once and the run's summary update waits in the
// outbox; once Redis is back the worker recomputes the summary.
func TestHostileRedisOutageKeepsSummaries(t *testing.T) {
	rd, be := startOnPrivateRedis(t, true, "outage")
	createProject(t, be.Srv.URL, be.Token, "p1")
	call := func(method, path string, body any) (int, []byte) {
		return (&Backend{t: t, URL: be.Srv.URL}).Call(context.Background(), method, path, be.Token, body)
	}
	code, raw := call("POST", "/api/run", map[string]any{"metadata": map[string]any{"project": "p1"}})
	if code != 201 {
		t.Fatalf("run: %d %s", code, raw)
	}
	runID := jsonField(t, raw, "id")
	waitSummary := func(want string, within time.Duration) {
		t.Helper()
		deadline := time.Now().Add(within)
		for {
			code, raw := call("GET", "/api/run/"+runID, nil)
			if code == 200 && strings.Contains(string(raw), want) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("run summary never showed %s: %s", want, tail(string(raw), 300))
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	// The creation's summary task has run: from here on, only the tasks
	// of the writes below can bring the summary up to date.
	waitSummary(`"tests":0`, 30*time.Second)

	rd.Stop()
	var slowest time.Duration
	for i := 0; i < 20; i++ {
		start := time.Now()
		code, raw := call("POST", "/api/result", map[string]any{"test_id": fmt.Sprint(i), "result": "passed", "run_id": runID, "metadata": map[string]any{"project": "p1"}})
		if code != 201 {
			t.Fatalf("result with Redis down: %d %s", code, raw)
		}
		slowest = max(slowest, time.Since(start))
	}
	t.Logf("20 results with Redis down, slowest %s", slowest)
	if slowest > time.Second {
		t.Errorf("a write waited %s for the unreachable Redis", slowest)
	}
	if err := rd.Start(); err != nil {
		t.Fatal(err)
	}
	waitSummary(`"tests":20`, 60*time.Second)
}
