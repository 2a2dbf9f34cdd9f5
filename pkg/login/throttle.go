package login

import (
	"context"
	"sync"
	"time"
)

// throttleMaxKeys bounds the failure table; past it, expired entries are
// swept and, if still full, the oldest-keyed entries give way.
const throttleMaxKeys = 100_000

// Throttle counts failed logins per key (an e-mail, a client IP) in a
// sliding window and blocks a key that reached its limit until its oldest
// counted failure leaves the window. MemoryThrottle keeps the counts in the
// process (the embedded mode, one replica); RedisThrottle shares them
// between every backend replica.
type Throttle interface {
	// Blocked reports whether key has limit or more failures in the window,
	// and how long until it may try again; limit <= 0 never blocks.
	Blocked(ctx context.Context, key string, limit int) (time.Duration, bool)
	// Count is key's number of failures in the window.
	Count(ctx context.Context, key string) int
	// Fail records a failure for each key.
	Fail(ctx context.Context, keys ...string)
	// Reset forgets a key's failures (after a successful login).
	Reset(ctx context.Context, key string)
}

// MemoryThrottle is the in-process Throttle: with several backend
// replicas each would enforce the limit on its own share of the traffic,
// which is why a Redis-backed server uses RedisThrottle.
type MemoryThrottle struct {
	window time.Duration
	now    func() time.Time

	mu    sync.Mutex
	fails map[string][]time.Time
}

// NewMemoryThrottle counts failures within window.
func NewMemoryThrottle(window time.Duration) *MemoryThrottle {
	return &MemoryThrottle{window: window, now: time.Now, fails: map[string][]time.Time{}}
}

// recent drops failures older than the window; callers hold mu.
func (t *MemoryThrottle) recent(key string, now time.Time) []time.Time {
	list := t.fails[key]
	i := 0
	for i < len(list) && now.Sub(list[i]) >= t.window {
		i++
	}
	list = list[i:]
	if len(list) == 0 {
		delete(t.fails, key)
		return nil
	}
	t.fails[key] = list
	return list
}

// Blocked implements Throttle.
func (t *MemoryThrottle) Blocked(_ context.Context, key string, limit int) (time.Duration, bool) {
	if limit <= 0 {
		return 0, false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	list := t.recent(key, now)
	if len(list) < limit {
		return 0, false
	}
	return t.window - now.Sub(list[len(list)-limit]), true
}

// Count implements Throttle.
func (t *MemoryThrottle) Count(_ context.Context, key string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.recent(key, t.now()))
}

// Fail implements Throttle.
func (t *MemoryThrottle) Fail(_ context.Context, keys ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	if len(t.fails) >= throttleMaxKeys {
		for k := range t.fails {
			t.recent(k, now)
		}
		for k := range t.fails {
			if len(t.fails) < throttleMaxKeys {
				break
			}
			delete(t.fails, k)
		}
	}
	for _, k := range keys {
		t.fails[k] = append(t.recent(k, now), now)
	}
}

// Reset implements Throttle.
func (t *MemoryThrottle) Reset(_ context.Context, key string) {
	t.mu.Lock()
	delete(t.fails, key)
	t.mu.Unlock()
}
