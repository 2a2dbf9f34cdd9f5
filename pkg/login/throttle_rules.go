package login

import (
	"context"
	"strings"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
)

// accountDelayStep is how much later an attempt on an account is answered
// for each failure past LoginThrottle.MaxPerAccount.
const accountDelayStep = 100 * time.Millisecond

// attemptKeys are the throttle keys one login attempt is counted under.
//
// The rules, the same whichever Throttle counts (process or Redis):
//   - pair (account, client address): MaxPerEmail failures, then that
//     address gets 429 for that account. The owner, at another address, is
//     not affected: failures sent from elsewhere (or with a forged
//     X-Forwarded-For, which only trusted proxies may set) never lock them out.
//   - ip (client address): MaxPerIP failures over all accounts, then 429.
//   - account (all addresses): past MaxPerAccount failures every attempt on
//     the account, right or wrong, is answered later, by accountDelayStep per
//     further failure up to MaxDelay. It slows a guesser with many addresses
//     and never refuses the owner.
type attemptKeys struct{ pair, ip, account string }

func throttleKeys(email, clientIP string) attemptKeys {
	e := strings.ToLower(email)
	return attemptKeys{pair: "pair:" + e + "|" + clientIP, ip: "ip:" + clientIP, account: "email:" + e}
}

// accountRequestKey counts every sign-up, recovery and password-reset
// request from one client address, apart from the login failures.
func accountRequestKey(clientIP string) string { return "account-ip:" + clientIP }

// admitAccountRequest counts an anonymous request that costs a bcrypt hash
// (sign-up, reset) or sends an e-mail (sign-up, recovery) and refuses it
// once the client address made LoginThrottle.MaxPerIP of them in the
// window. Every request counts, not only failures: a successful sign-up
// costs as much and mails a stranger's address as well. Without it one
// anonymous client kept the CPUs busy with bcrypt (cost 12: about a third of
// a core-second each), created any number of accounts, and made the
// server mail any address without end.
func admitAccountRequest(ctx context.Context, t Throttle, lim config.LoginThrottle, clientIP string) error {
	key := accountRequestKey(clientIP)
	if wait, blocked := t.Blocked(ctx, key, lim.MaxPerIP); blocked {
		return &Throttled{RetryAfter: wait}
	}
	t.Fail(ctx, key)
	return nil
}

// throttleCheck reports whether the attempt is refused (and for how long),
// and otherwise how long to hold it before checking the password.
func throttleCheck(ctx context.Context, t Throttle, lim config.LoginThrottle, k attemptKeys) (retryAfter time.Duration, refused bool, delay time.Duration) {
	retryAfter, refused = t.Blocked(ctx, k.pair, lim.MaxPerEmail)
	if w, b := t.Blocked(ctx, k.ip, lim.MaxPerIP); b {
		retryAfter, refused = max(retryAfter, w), true
	}
	if refused || lim.MaxPerAccount <= 0 {
		return retryAfter, refused, 0
	}
	return 0, false, accountDelay(t.Count(ctx, k.account), lim.MaxPerAccount, lim.MaxDelay)
}

// accountDelay is the hold for an account with n failures in the window.
func accountDelay(n, limit int, maxDelay time.Duration) time.Duration {
	if limit <= 0 || n < limit {
		return 0
	}
	return min(time.Duration(n-limit+1)*accountDelayStep, maxDelay)
}

// hold waits d or until ctx ends.
func hold(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
