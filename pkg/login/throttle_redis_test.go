package login

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

func newTestRedis(t *testing.T) redis.UniversalClient {
	t.Helper()
	opt, err := redis.ParseURL(testenv.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// The Redis throttle has the in-process one's sliding window, shared by
// every replica (two throttles on one Redis stand for two replicas).
func TestRedisThrottleSharedSlidingWindow(t *testing.T) {
	rdb := newTestRedis(t)
	ctx := context.Background()
	ns := "test-" + uuid.NewString()[:8]
	now := time.Now().Truncate(time.Millisecond)
	clock := func() time.Time { return now }
	a := NewRedisThrottle(rdb, ns, 15*time.Minute, quietLog())
	b := NewRedisThrottle(rdb, ns, 15*time.Minute, quietLog())
	a.now, b.now = clock, clock
	// b reads what a and b record; a reads again after the window moved on,
	// and b's reset clears it for a.
	checkSlidingWindow(t, windowReplicas{fail: []Throttle{a, b, a}, check: b, other: a,
		advance: func(d time.Duration) { now = now.Add(d) }}, "email:user@example.com", []string{"ip:10.0.0.1"}, func() {
		if _, blocked := a.Blocked(ctx, "ip:10.0.0.1", 4); blocked {
			t.Fatal("ip key blocked below its limit")
		}
		// Another deployment on the same Redis counts on its own.
		if _, blocked := NewRedisThrottle(rdb, ns+"-other", 15*time.Minute, quietLog()).Blocked(ctx, "email:user@example.com", 1); blocked {
			t.Fatal("namespaces share counts")
		}
		// Nothing in Redis names the e-mail or the IP, and the keys expire.
		keys, err := rdb.Keys(ctx, throttleKeyPrefix+ns+":*").Result()
		if err != nil || len(keys) != 2 {
			t.Fatalf("keys %v %v", keys, err)
		}
		for _, k := range keys {
			if strings.Contains(k, "example.com") || strings.Contains(k, "10.0.0.1") {
				t.Fatalf("clear-text key %q", k)
			}
			if ttl := rdb.PTTL(ctx, k).Val(); ttl <= 0 || ttl > 15*time.Minute {
				t.Fatalf("key %s ttl %v", k, ttl)
			}
		}
	})
}

// countingHook counts the commands a client sends (pipelines as one).
type countingHook struct{ n atomic.Int64 }

func (h *countingHook) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h *countingHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { h.n.Add(1); return next(ctx, cmd) }
}
func (h *countingHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error { h.n.Add(1); return next(ctx, cmds) }
}

// Without Redis, logins are still throttled, in the process, and after one
// failed call the throttle stops asking Redis for a while, so a login does
// not wait on a dead Redis three times over.
func TestRedisThrottleFallsBackWhenRedisIsDown(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 100 * time.Millisecond, MaxRetries: -1})
	defer func() { _ = rdb.Close() }()
	hook := &countingHook{}
	rdb.AddHook(hook)
	ctx := context.Background()
	th := NewRedisThrottle(rdb, "down", time.Minute, quietLog())
	th.Fail(ctx, "k")
	th.Fail(ctx, "k")
	if _, blocked := th.Blocked(ctx, "k", 2); !blocked {
		t.Fatal("failures lost while Redis is down")
	}
	if !th.down.Load() {
		t.Fatal("outage not noticed")
	}
	if n := hook.n.Load(); n != 1 {
		t.Fatalf("%d Redis calls after the first failure, want 1", n)
	}
	// After the pause Redis is asked again.
	th.downSince.Store(time.Now().Add(-throttleRetryAfter).UnixNano())
	th.Blocked(ctx, "k", 2)
	if n := hook.n.Load(); n != 2 {
		t.Fatalf("%d Redis calls after the pause, want 2", n)
	}
}
