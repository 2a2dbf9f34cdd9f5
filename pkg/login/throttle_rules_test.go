package login

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
)

// The login rules hold whichever throttle counts: failures from many
// addresses never refuse the owner's address, they delay it; one address
// is refused for that account after MaxPerEmail, and for every account after
// MaxPerIP.
func TestThrottleRulesOnEveryBackend(t *testing.T) {
	lim := config.LoginThrottle{MaxPerEmail: 3, MaxPerIP: 5, MaxPerAccount: 4, MaxDelay: 250 * time.Millisecond, Window: 15 * time.Minute}
	backends := map[string]func(t *testing.T) Throttle{
		"memory": func(*testing.T) Throttle { return NewMemoryThrottle(lim.Window) },
		"redis": func(t *testing.T) Throttle {
			return NewRedisThrottle(newTestRedis(t), "rules-"+uuid.NewString()[:8], lim.Window, quietLog())
		},
	}
	for name, mk := range backends {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			th := mk(t)
			// Six addresses fail twice each on the superadmin: none reaches
			// its per-address limit.
			for i := 0; i < 6; i++ {
				ip := "203.0.113." + string(rune('1'+i))
				for j := 0; j < 2; j++ {
					k := throttleKeys("Admin@example.com", ip)
					if _, refused, _ := throttleCheck(ctx, th, lim, k); refused {
						t.Fatalf("address %s refused after %d failures", ip, j)
					}
					th.Fail(ctx, k.pair, k.ip, k.account)
				}
			}
			owner := throttleKeys("admin@example.com", "198.51.100.1")
			_, refused, delay := throttleCheck(ctx, th, lim, owner)
			if refused {
				t.Fatal("the owner's address is refused because of failures elsewhere")
			}
			if delay != lim.MaxDelay {
				t.Fatalf("12 failures on the account: delay %v, want the cap %v", delay, lim.MaxDelay)
			}
			// One address: refused for that account after 3, for all after 5.
			guesser := throttleKeys("user@example.com", "192.0.2.9")
			for i := 0; i < 3; i++ {
				th.Fail(ctx, guesser.pair, guesser.ip, guesser.account)
			}
			if _, refused, _ := throttleCheck(ctx, th, lim, guesser); !refused {
				t.Fatal("pair over its limit not refused")
			}
			other := throttleKeys("other@example.com", "192.0.2.9")
			if _, refused, _ := throttleCheck(ctx, th, lim, other); refused {
				t.Fatal("another account from that address refused below the address limit")
			}
			th.Fail(ctx, other.pair, other.ip, other.account)
			th.Fail(ctx, other.pair, other.ip, other.account)
			if wait, refused, _ := throttleCheck(ctx, th, lim, other); !refused || wait <= 0 {
				t.Fatalf("address over its limit: refused=%v wait=%v", refused, wait)
			}
			if n := th.Count(ctx, guesser.account); n != 3 {
				t.Fatalf("count %d", n)
			}
		})
	}
}

func TestAccountDelayGrowsToItsCap(t *testing.T) {
	for _, c := range []struct {
		n    int
		want time.Duration
	}{{0, 0}, {9, 0}, {10, 100 * time.Millisecond}, {12, 300 * time.Millisecond}, {1000, 2 * time.Second}} {
		if got := accountDelay(c.n, 10, 2*time.Second); got != c.want {
			t.Errorf("accountDelay(%d) = %v, want %v", c.n, got, c.want)
		}
	}
	if accountDelay(50, 0, time.Second) != 0 {
		t.Error("limit 0 must disable the delay")
	}
}
