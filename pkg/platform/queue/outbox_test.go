package queue

import (
	"context"
	"errors"
	"io"
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

// redisProxy is a TCP hop in front of the real Redis that the test can take
// down (new connections are cut at once, open ones closed) and bring back,
// so the real client sees a real outage.
type redisProxy struct {
	ln     net.Listener
	target string
	down   atomic.Bool
	mu     sync.Mutex
	conns  []net.Conn
}

func startRedisProxy(t *testing.T, target string) *redisProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &redisProxy{ln: ln, target: target}
	t.Cleanup(func() { _ = ln.Close(); p.setDown(true) })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			if p.down.Load() {
				_ = c.Close()
				continue
			}
			up, err := net.Dial("tcp", target)
			if err != nil {
				_ = c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(up, c); _ = up.Close() }()
			go func() { _, _ = io.Copy(c, up); _ = c.Close() }()
		}
	}()
	return p
}

func (p *redisProxy) setDown(down bool) {
	p.down.Store(down)
	if down {
		p.mu.Lock()
		for _, c := range p.conns {
			_ = c.Close()
		}
		p.conns = nil
		p.mu.Unlock()
	}
}

func openOutboxDB(t *testing.T) *db.DB {
	t.Helper()
	d, err := db.Open(context.Background(), config.Database{URL: testenv.NewPostgresDatabase(t), MaxOpenConns: 5, MaxIdleConns: 2,
		ConnMaxLifetime: time.Minute, StatementTimeout: 25 * time.Second}, discard())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	if err := d.Migrate(context.Background(), discard()); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestRedisDownEnqueueFailsFastAndDurableTasksWait: with Redis unreachable
// an enqueue opens the breaker and later ones fail without waiting (a
// plain task with ErrUnavailable, a Durable one kept in the outbox and
// reported queued); once Redis answers, the next successful enqueue
// drains the outbox into Redis (issue 17, finding 7).
func TestRedisDownEnqueueFailsFastAndDurableTasksWait(t *testing.T) {
	u, err := url.Parse(testenv.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	proxy := startRedisProxy(t, u.Host)
	u.Host = proxy.ln.Addr().String()
	opt, err := RedisConnOpt(u.String())
	if err != nil {
		t.Fatal(err)
	}
	reg := NewRegistry()
	nop := func(context.Context, []byte) ([]byte, error) { return nil, nil }
	reg.Register("test.plain", nop)
	reg.Register("test.durable", nop, Durable())
	queueName := "outbox-" + uuid.NewString()[:8]
	q := NewRedisQueue(opt, reg, queueName)
	d := openOutboxDB(t)
	q.UseOutbox(d, discard())
	defer func() { _ = q.Close() }()
	ctx := context.Background()
	if _, err := q.Enqueue(ctx, "test.plain", nil); err != nil {
		t.Fatalf("enqueue with Redis up: %v", err)
	}

	proxy.setDown(true)
	start := time.Now()
	if _, err := q.Enqueue(ctx, "test.plain", nil); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("enqueue with Redis down: %v, want ErrUnavailable", err)
	}
	first := time.Since(start)
	if !q.BreakerOpen() {
		t.Fatal("the breaker did not open after a failed enqueue")
	}
	if first > 2*EnqueueTimeout {
		t.Errorf("the failing enqueue took %s, bound is %s", first, EnqueueTimeout)
	}
	// While open, enqueues do not touch Redis: far below one attempt.
	start = time.Now()
	ids := map[string]bool{}
	for i := 0; i < 20; i++ {
		if _, err := q.Enqueue(ctx, "test.plain", nil); !errors.Is(err, ErrUnavailable) {
			t.Fatalf("plain enqueue while open: %v", err)
		}
		id, err := q.Enqueue(ctx, "test.durable", []byte(`{"i":1}`), TaskID("durable-"+uuid.NewString()))
		if err != nil {
			t.Fatalf("durable enqueue while Redis is down: %v", err)
		}
		ids[id] = true
	}
	if d := time.Since(start); d > EnqueueTimeout {
		t.Errorf("40 enqueues with the breaker open took %s; they must not wait for Redis", d)
	}
	var kept int64
	d.Conn(ctx).Table("ibutsu_task_outbox").Count(&kept)
	if kept != 20 {
		t.Fatalf("outbox holds %d tasks, want 20", kept)
	}

	proxy.setDown(false)
	q.breaker.succeed() // skip the cooldown: Redis is back
	if _, err := q.Enqueue(ctx, "test.plain", nil); err != nil {
		t.Fatalf("enqueue after Redis is back: %v", err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		d.Conn(ctx).Table("ibutsu_task_outbox").Count(&kept)
		if kept == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox still holds %d tasks after Redis came back", kept)
		}
		time.Sleep(20 * time.Millisecond)
	}
	for id := range ids {
		info, err := q.inspector.GetTaskInfo(queueName, id)
		if err != nil || info.Type != "test.durable" {
			t.Fatalf("kept task %s not in Redis: %v %v", id, info, err)
		}
	}
}
