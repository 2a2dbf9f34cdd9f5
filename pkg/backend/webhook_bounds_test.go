package backend_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// TestWebhookTestIsThrottled: a test delivery asked for within
// WEBHOOK_TEST_INTERVAL of the webhook's last one is a 429 JSON answer
// with Retry-After, and stores no delivery row: of six asked for at once,
// one is accepted. Another webhook is not affected.
func TestWebhookTestIsThrottled(t *testing.T) {
	e := backendtest.New(t, backendtest.Options{Configure: func(c *config.Config) { c.Webhooks.TestInterval = time.Minute }})
	p := mustOK(t, e.Do("POST", "/api/project", map[string]any{"name": "throttle"}, e.UserToken), "project")["id"].(string)
	base := "/api/project/" + p + "/webhooks"
	hook := func(name string) string {
		return mustOK(t, e.Do("POST", base, map[string]any{"name": name, "url": "https://hooks.example/x", "secret": "0123456789abcdef",
			"events": []any{"run.finished"}}, e.UserToken), "webhook")["id"].(string)
	}
	a, b := hook("a"), hook("b")
	// Six at once: the subscription's row lock lets exactly one through.
	var wg sync.WaitGroup
	var mu sync.Mutex
	accepted := 0
	for range 6 {
		wg.Go(func() {
			r := e.Do("POST", base+"/"+a+"/test", nil, e.UserToken)
			if r.Code == http.StatusAccepted {
				mu.Lock()
				accepted++
				mu.Unlock()
				return
			}
			var msg string
			secs, _ := strconv.Atoi(r.Header().Get("Retry-After"))
			if r.Code != http.StatusTooManyRequests || json.Unmarshal(r.Body.Bytes(), &msg) != nil || msg == "" || secs < 1 || secs > 60 {
				t.Errorf("test again: %d %q Retry-After %q, want a 429 JSON message with Retry-After in 1..60",
					r.Code, r.Body, r.Header().Get("Retry-After"))
			}
		})
	}
	wg.Wait()
	if accepted != 1 {
		t.Errorf("%d of six concurrent tests accepted, want 1", accepted)
	}
	if r := e.Do("POST", base+"/"+b+"/test", nil, e.UserToken); r.Code != http.StatusAccepted {
		t.Errorf("another webhook's test: %d %s", r.Code, r.Body)
	}
	var n int64
	if err := e.App.DB.Gorm.Table("ibutsu_webhook_deliveries").Where("webhook_id = ?", a).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("%d delivery rows for the throttled webhook, want 1", n)
	}
}

// TestWebhookDeliveriesArePruned: the sweep's prune keeps, per webhook,
// the newest WEBHOOK_KEEP_DELIVERIES finished deliveries younger than
// WEBHOOK_KEEP_DELIVERIES_FOR, and every pending one however old; another
// webhook's rows are counted apart.
func TestWebhookDeliveriesArePruned(t *testing.T) {
	eachDB(t, testWebhookDeliveriesArePruned)
}

func testWebhookDeliveriesArePruned(t *testing.T, sqlite bool) {
	e := backendtest.New(t, backendtest.Options{SQLite: sqlite, Configure: func(c *config.Config) {
		c.Webhooks.KeepDeliveries = 3
		c.Webhooks.KeepDeliveriesFor = 24 * time.Hour
	}})
	p := mustOK(t, e.Do("POST", "/api/project", map[string]any{"name": "prune"}, e.UserToken), "project")["id"].(string)
	base := "/api/project/" + p + "/webhooks"
	var hooks []string
	for _, name := range []string{"a", "b"} {
		hooks = append(hooks, mustOK(t, e.Do("POST", base, map[string]any{"name": name, "url": "https://hooks.example/x",
			"secret": "0123456789abcdef", "events": []any{"run.finished"}}, e.UserToken), "webhook")["id"].(string))
	}
	now := time.Now().UTC()
	// Oldest first: (webhook, status, age). Seq grows in this order.
	rows := []struct {
		hook   int
		status string
		age    time.Duration
	}{
		{0, "pending", 90 * 24 * time.Hour}, // 1: pending, kept however old
		{0, "delivered", 48 * time.Hour},    // 2: too old
		{0, "failed", 10 * time.Hour},       // 3: beyond the newest 3 finished
		{0, "delivered", 9 * time.Hour},     // 4: kept
		{1, "delivered", 9 * time.Hour},     // 5: b's only one, kept
		{0, "delivered", 8 * time.Hour},     // 6: kept
		{0, "pending", 7 * time.Hour},       // 7: pending, kept
		{0, "failed", 6 * time.Hour},        // 8: kept
		{1, "delivered", 30 * time.Hour},    // 9: b's, too old
	}
	var seqs []int64
	for i, r := range rows {
		var seq int64
		if err := e.App.DB.Gorm.Raw(`INSERT INTO ibutsu_webhook_deliveries (webhook_id, event_id, event, payload, status, attempts, created, next_attempt)
			VALUES (?, ?, 'run.finished', '{}', ?, 1, ?, ?) RETURNING seq`, hooks[r.hook], "ev"+strconv.Itoa(i), r.status, now.Add(-r.age), now.Add(-r.age)).
			Scan(&seq).Error; err != nil {
			t.Fatal(err)
		}
		seqs = append(seqs, seq)
	}
	n, err := e.App.Services.Webhooks.Prune(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var left []int64
	if err := e.App.DB.Gorm.Raw(`SELECT seq FROM ibutsu_webhook_deliveries ORDER BY seq`).Scan(&left).Error; err != nil {
		t.Fatal(err)
	}
	want := []int64{seqs[0], seqs[3], seqs[4], seqs[5], seqs[6], seqs[7]}
	if n != 3 || !slices.Equal(left, want) {
		t.Errorf("pruned %d, left %v; want 3 pruned, left %v", n, left, want)
	}
}
