package login

import (
	"context"
	"testing"
	"time"
)

// windowReplicas are the throttles one sliding-window check drives: the
// failures are recorded by fail in turn, read back by check, and after the
// window moved on, again (and reset) across the two — one throttle for the
// in-process kind, two replicas on one Redis for the shared kind.
type windowReplicas struct {
	fail         []Throttle
	check, other Throttle
	advance      func(time.Duration)
}

// checkSlidingWindow is the contract every Throttle keeps, on key: three
// failures a minute apart block for the 12 minutes until the first leaves
// the 15-minute window; Reset clears; a limit of 0 never blocks.
// afterBlocked runs once the key is blocked, for a kind's own checks.
func checkSlidingWindow(t *testing.T, r windowReplicas, key string, extraKeys []string, afterBlocked func()) {
	t.Helper()
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if _, blocked := r.check.Blocked(ctx, key, 3); blocked {
			t.Fatalf("blocked after %d failures", i)
		}
		r.fail[i%len(r.fail)].Fail(ctx, append([]string{key}, extraKeys...)...)
		r.advance(time.Minute)
	}
	wait, blocked := r.check.Blocked(ctx, key, 3)
	if !blocked || wait != 12*time.Minute {
		t.Fatalf("after 3 failures: blocked=%v wait=%v", blocked, wait)
	}
	afterBlocked()
	r.advance(12 * time.Minute) // the first failure leaves the window
	if _, blocked := r.other.Blocked(ctx, key, 3); blocked {
		t.Fatal("still blocked after the window moved on")
	}
	r.other.Fail(ctx, key)
	r.check.Reset(ctx, key)
	if _, blocked := r.other.Blocked(ctx, key, 1); blocked {
		t.Fatal("reset did not clear")
	}
	if _, blocked := r.other.Blocked(ctx, key, 0); blocked {
		t.Fatal("limit 0 must disable")
	}
}

func TestThrottleSlidingWindow(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	th := NewMemoryThrottle(15 * time.Minute)
	th.now = func() time.Time { return now }
	checkSlidingWindow(t, windowReplicas{fail: []Throttle{th}, check: th, other: th,
		advance: func(d time.Duration) { now = now.Add(d) }}, "k", nil, func() {})
}
