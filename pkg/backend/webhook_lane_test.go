package backend_test

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// TestWebhookDeliveriesCannotStarveImports: with more deliveries to a
// receiver that hangs than the task pool has goroutines, an import still
// finishes, because deliveries run in their own lane of
// WEBHOOK_CONCURRENCY (in process, and in their own asynq queue and
// server with Redis).
func TestWebhookDeliveriesCannotStarveImports(t *testing.T) {
	for _, redis := range []bool{false, true} {
		t.Run(map[bool]string{false: "embedded", true: "redis"}[redis], func(t *testing.T) {
			release := make(chan struct{})
			var once sync.Once
			free := func() { once.Do(func() { close(release) }) }
			var hanging atomic.Int32
			rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hanging.Add(1)
				select {
				case <-release:
				case <-r.Context().Done():
				}
				w.WriteHeader(http.StatusOK)
			}))
			t.Cleanup(rcv.Close)
			t.Cleanup(free)
			e := backendtest.New(t, backendtest.Options{Redis: redis, Configure: func(c *config.Config) {
				c.Webhooks.Allow = []string{"127.0.0.1/32"}
				c.Webhooks.Timeout = 2 * time.Minute
				c.Webhooks.Concurrency = 1
				c.Tasks.Concurrency = 2
			}})
			if redis {
				e.StartWorker(e.App.Config.Tasks.Concurrency)
			}
			p := mustOK(t, e.Do("POST", "/api/project", map[string]any{"name": "lanes"}, e.UserToken), "project")["id"].(string)
			base := "/api/project/" + p + "/webhooks"
			// Four subscriptions, four deliveries that hang: twice the pool.
			for i := 0; i < 4; i++ {
				id := mustOK(t, e.Do("POST", base, map[string]any{"name": "slow", "url": rcv.URL, "secret": "0123456789abcdef",
					"events": []any{"run.finished"}}, e.UserToken), "webhook")["id"].(string)
				if r := e.Do("POST", base+"/"+id+"/test", nil, e.UserToken); r.Code != http.StatusAccepted {
					t.Fatalf("test event: %d %s", r.Code, r.Body)
				}
			}
			deadline := time.Now().Add(30 * time.Second)
			for hanging.Load() == 0 {
				if time.Now().After(deadline) {
					t.Fatal("no delivery reached the receiver")
				}
				time.Sleep(10 * time.Millisecond)
			}
			r := postMultipart(e, "/api/import", map[string]string{"project": p}, "importFile", "report.xml", junitXML("lanes", nil), e.UserToken)
			if r.Code >= 300 {
				t.Fatalf("import: %d %s", r.Code, r.Body)
			}
			waitImportDone(t, e, r.Map()["id"].(string))
			if n := hanging.Load(); n > 1 {
				t.Errorf("%d deliveries ran at once, want at most WEBHOOK_CONCURRENCY (1)", n)
			}
			free()
		})
	}
}
