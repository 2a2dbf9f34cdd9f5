package resilience

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/monitor"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
)

// TestMonitorRequiresAuthEverywhere extends pkg/monitor's test: with
// MONITOR_BASIC_AUTH set, every asynqmon page and API call (reads and the
// destructive ones: deleting, pausing, running tasks) and the queue metrics
// refuse missing, wrong and partial credentials; only /healthz is open.
func TestMonitorRequiresAuthEverywhere(t *testing.T) {
	t.Parallel()
	rd := StartRedis(t, false)
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Redis.URL = rd.URL()
	cfg.MonitorBasicAuth = "ops:s3cret"
	h, closeFn, err := monitor.Handler(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = closeFn() })
	routes := []struct{ method, path string }{
		{"GET", "/"}, {"GET", "/queues/default"}, {"GET", "/static/js/main.js"}, {"GET", "/metrics"},
		{"GET", "/api/queues"}, {"GET", "/api/servers"}, {"GET", "/api/redis_info"}, {"GET", "/api/scheduler_entries"},
		{"GET", "/api/queues/default/pending_tasks"}, {"DELETE", "/api/queues/default"},
		{"POST", "/api/queues/default/pause"}, {"POST", "/api/queues/default/scheduled_tasks:run_all"},
		{"DELETE", "/api/queues/default/archived_tasks:delete_all"},
	}
	creds := map[string]func(*http.Request){
		"none":           func(*http.Request) {},
		"wrong password": func(r *http.Request) { r.SetBasicAuth("ops", "wrong") },
		"wrong user":     func(r *http.Request) { r.SetBasicAuth("root", "s3cret") },
		"empty password": func(r *http.Request) { r.SetBasicAuth("ops", "") },
		"prefix":         func(r *http.Request) { r.SetBasicAuth("ops", "s3cre") },
		"whole as user":  func(r *http.Request) { r.SetBasicAuth("ops:s3cret", "") },
		"bearer":         func(r *http.Request) { r.Header.Set("Authorization", "Bearer s3cret") },
	}
	for _, rt := range routes {
		for name, set := range creds {
			req := httptest.NewRequest(rt.method, rt.path, nil)
			set(req)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusUnauthorized || !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Basic") {
				t.Errorf("%s %s with %s credentials: %d", rt.method, rt.path, name, rec.Code)
			}
		}
		req := httptest.NewRequest(rt.method, rt.path, nil)
		req.SetBasicAuth("ops", "s3cret")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code == http.StatusUnauthorized {
			t.Errorf("%s %s with the right credentials: 401", rt.method, rt.path)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
	if rec.Code != http.StatusOK {
		t.Errorf("/healthz: %d", rec.Code)
	}
}
