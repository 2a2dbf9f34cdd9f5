package login

import (
	"context"
	"testing"
	"time"
)

func TestThrottleSlidingWindow(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	th := NewMemoryThrottle(15 * time.Minute)
	ctx := context.Background()
	th.now = func() time.Time { return now }
	for i := 0; i < 3; i++ {
		if _, blocked := th.Blocked(ctx, "k", 3); blocked {
			t.Fatalf("blocked after %d failures", i)
		}
		th.Fail(ctx, "k")
		now = now.Add(time.Minute)
	}
	wait, blocked := th.Blocked(ctx, "k", 3)
	if !blocked || wait != 12*time.Minute {
		t.Fatalf("after 3 failures: blocked=%v wait=%v", blocked, wait)
	}
	now = now.Add(12 * time.Minute) // the first failure leaves the window
	if _, blocked := th.Blocked(ctx, "k", 3); blocked {
		t.Fatal("still blocked after the window moved on")
	}
	th.Fail(ctx, "k")
	th.Reset(ctx, "k")
	if _, blocked := th.Blocked(ctx, "k", 1); blocked {
		t.Fatal("reset did not clear")
	}
	if _, blocked := th.Blocked(ctx, "k", 0); blocked {
		t.Fatal("limit 0 must disable")
	}
}
