package backend_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// TestWebhooksThroughTheAPI: a subscription made over HTTP never shows its
// secret, bad bodies are 400s with a JSON body, and a test event reaches an
// allowlisted local receiver through the embedded queue and shows in the
// delivery log.
func TestWebhooksThroughTheAPI(t *testing.T) {
	eachDB(t, func(t *testing.T, sqlite bool) {
		var hits atomic.Int32
		var mu sync.Mutex
		var events []string
		rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			hits.Add(1)
			mu.Lock()
			events = append(events, r.URL.Path+" "+r.Header.Get("X-Ibutsu-Event"))
			mu.Unlock()
			w.WriteHeader(http.StatusOK)
		}))
		defer rcv.Close()
		e := backendtest.New(t, backendtest.Options{SQLite: sqlite, Configure: func(c *config.Config) { c.Webhooks.Allow = []string{"127.0.0.1/32"} }})
		p := mustOK(t, e.Do("POST", "/api/project", map[string]any{"name": "hooks"}, e.UserToken), "project")["id"].(string)
		base := "/api/project/" + p + "/webhooks"
		r := e.Do("POST", base, map[string]any{"name": "local", "url": rcv.URL, "secret": "0123456789abcdef-xyz", "events": []any{"import.done"}, "format": "slack"}, e.UserToken)
		if r.Code != http.StatusCreated || strings.Contains(r.Body.String(), "0123456789abcdef-xyz") || r.Map()["has_secret"] != true {
			t.Fatalf("create: %d %s", r.Code, r.Body)
		}
		id := r.Map()["id"].(string)
		for name, body := range map[string]any{
			"events not strings": map[string]any{"events": []any{1}},
			"format unknown":     map[string]any{"format": "xml"},
			"enabled a string":   map[string]any{"enabled": "yes"},
			"url private":        map[string]any{"url": "http://192.168.0.10/"},
			"not an object":      []any{1},
		} {
			r := e.Do("PUT", base+"/"+id, body, e.UserToken)
			if r.Code != http.StatusBadRequest || !strings.HasPrefix(r.Header().Get("Content-Type"), "application/") {
				t.Errorf("%s: %d %s", name, r.Code, r.Body)
			}
		}
		if r := e.Do("GET", base+"/not-a-uuid", nil, e.UserToken); r.Code != http.StatusBadRequest {
			t.Errorf("bad id: %d", r.Code)
		}
		// An unknown project is the project routes' 404, before any owner check.
		if r := e.Do("GET", "/api/project/4b1d3c2e-5f6a-4b7c-9d8e-0f1a2b3c4d5e/webhooks", nil, e.UserToken); r.Code != http.StatusNotFound ||
			strings.TrimSpace(r.Body.String()) != `"Project not found"` {
			t.Errorf("unknown project: %d %s", r.Code, r.Body)
		}
		if r := e.Do("POST", base+"/"+id+"/test", nil, e.UserToken); r.Code != http.StatusAccepted {
			t.Fatalf("test event: %d %s", r.Code, r.Body)
		}
		deadline := time.Now().Add(30 * time.Second)
		for {
			var log struct {
				Deliveries []struct {
					Status       string `json:"status"`
					ResponseCode *int   `json:"response_code"`
				} `json:"deliveries"`
			}
			e.Do("GET", base+"/"+id+"/deliveries", nil, e.UserToken).JSON(&log)
			if len(log.Deliveries) == 1 && log.Deliveries[0].Status == "delivered" && *log.Deliveries[0].ResponseCode == 200 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("not delivered: %+v", log)
			}
			time.Sleep(50 * time.Millisecond)
		}
		if hits.Load() != 1 {
			t.Errorf("receiver got %d requests", hits.Load())
		}

		// An import with a failure raises import.done and, its failure
		// being new to the project, run.new_failures.
		mustOK(t, e.Do("POST", base, map[string]any{"name": "imports", "url": rcv.URL + "/imports", "secret": "0123456789abcdef-xyz",
			"events": []any{"import.done", "run.new_failures"}}, e.UserToken), "second webhook")
		mustOK(t, postMultipart(e, "/api/import", map[string]string{"project": p}, "importFile", "junit.xml", junitXML("hooked", nil), e.UserToken), "import")
		deadline = time.Now().Add(30 * time.Second)
		for {
			mu.Lock()
			got := strings.Join(events, ",")
			mu.Unlock()
			if strings.Contains(got, "/imports import.done") && strings.Contains(got, "/imports run.new_failures") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("receiver got %s", got)
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}

// TestRunFinishedAndFlakyReachWebhooks: the composition root connects the
// live runs' "finished" state and the flaky-test detection to the
// webhooks, so finishing a run and a test turning flaky each reach a
// subscribed receiver once.
func TestRunFinishedAndFlakyReachWebhooks(t *testing.T) {
	eachDB(t, func(t *testing.T, sqlite bool) {
		var mu sync.Mutex
		var events []string
		rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			mu.Lock()
			events = append(events, r.Header.Get("X-Ibutsu-Event"))
			mu.Unlock()
			w.WriteHeader(http.StatusOK)
		}))
		defer rcv.Close()
		e := backendtest.New(t, backendtest.Options{SQLite: sqlite, Configure: func(c *config.Config) { c.Webhooks.Allow = []string{"127.0.0.1/32"} }})
		p := mustOK(t, e.Do("POST", "/api/project", map[string]any{"name": "finishing"}, e.UserToken), "project")["id"].(string)
		mustOK(t, e.Do("POST", "/api/project/"+p+"/webhooks", map[string]any{"name": "all", "url": rcv.URL, "secret": "0123456789abcdef-xyz",
			"events": []any{"run.finished", "test.flaky"}}, e.UserToken), "webhook")
		run := mustOK(t, e.Do("POST", "/api/run", map[string]any{"metadata": map[string]any{"project": p}}, e.UserToken), "run")["id"].(string)
		for _, outcome := range []string{"failed", "passed"} {
			mustOK(t, e.Do("POST", "/api/result", map[string]any{"test_id": "test_wobbly", "result": outcome, "run_id": run, "project_id": p,
				"start_time": time.Now().UTC().Format(time.RFC3339)}, e.UserToken), outcome)
		}
		// A settings change re-examines the project at once: the test
		// that failed and passed in one run turns flaky.
		mustOK(t, e.Do("PUT", "/api/project/"+p+"/flaky-settings", map[string]any{"min_flips": 2}, e.UserToken), "flaky settings")
		mustOK(t, e.Do("POST", "/api/run/"+run+"/finish", nil, e.UserToken), "finish")
		mustOK(t, e.Do("POST", "/api/run/"+run+"/finish", nil, e.UserToken), "finish again")
		deadline := time.Now().Add(30 * time.Second)
		for {
			mu.Lock()
			got := strings.Join(events, ",")
			mu.Unlock()
			if strings.Count(got, "run.finished") == 1 && strings.Count(got, "test.flaky") == 1 {
				break
			}
			if time.Now().After(deadline) || strings.Count(got, "run.finished") > 1 {
				t.Fatalf("receiver got %q, want run.finished and test.flaky once each", got)
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}
