package monitor

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

func TestMonitorServesAsynqmon(t *testing.T) {
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Redis.URL = testenv.RedisURL(t)
	cfg.MonitorBasicAuth = "ops:secret"
	h, closeFn, err := Handler(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = closeFn() }()

	get := func(path string, auth bool) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", path, nil)
		if auth {
			req.SetBasicAuth("ops", "secret")
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	if r := get("/", false); r.Code != 401 || r.Header().Get("WWW-Authenticate") == "" {
		t.Fatalf("without credentials: %d", r.Code)
	}
	r := get("/", true)
	if r.Code != 200 || !strings.Contains(strings.ToLower(r.Body.String()), "asynq") {
		t.Fatalf("asynqmon page: %d %.300s", r.Code, r.Body)
	}
	if r := get("/api/queues", true); r.Code != 200 || !strings.Contains(r.Body.String(), "queues") {
		t.Fatalf("asynqmon API (talks to Redis): %d %.300s", r.Code, r.Body)
	}
	if r := get("/metrics", true); r.Code != 200 || !strings.Contains(r.Body.String(), "asynq_redis_up 1") {
		t.Fatalf("queue metrics: %d %.500s", r.Code, r.Body)
	}
	if r := get("/healthz", false); r.Code != 200 {
		t.Fatalf("healthz must not need credentials: %d", r.Code)
	}
}

func TestMonitorRequiresRedis(t *testing.T) {
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	if err := Run(t.Context(), cfg, nil); err == nil || !strings.Contains(err.Error(), "CELERY_BROKER_URL") {
		t.Fatalf("monitor without Redis: %v", err)
	}
}
