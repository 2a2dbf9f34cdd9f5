package login

import (
	"testing"
	"time"
)

func TestThrottleSlidingWindow(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	th := NewThrottle(15 * time.Minute)
	th.now = func() time.Time { return now }
	for i := 0; i < 3; i++ {
		if _, blocked := th.Blocked("k", 3); blocked {
			t.Fatalf("blocked after %d failures", i)
		}
		th.Fail("k")
		now = now.Add(time.Minute)
	}
	wait, blocked := th.Blocked("k", 3)
	if !blocked || wait != 12*time.Minute {
		t.Fatalf("after 3 failures: blocked=%v wait=%v", blocked, wait)
	}
	now = now.Add(12 * time.Minute) // the first failure leaves the window
	if _, blocked := th.Blocked("k", 3); blocked {
		t.Fatal("still blocked after the window moved on")
	}
	th.Fail("k")
	th.Reset("k")
	if _, blocked := th.Blocked("k", 1); blocked {
		t.Fatal("reset did not clear")
	}
	if _, blocked := th.Blocked("k", 0); blocked {
		t.Fatal("limit 0 must disable")
	}
}
