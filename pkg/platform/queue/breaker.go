package queue

import (
	"errors"
	"sync"
	"time"
)

// ErrUnavailable is wrapped into Enqueue's error when Redis cannot be
// reached (or was unreachable moments ago): the task was not queued.
var ErrUnavailable = errors.New("task queue unavailable")

// Enqueue bounds. Without them an enqueue against a Redis that refuses
// connections took ~1.75 s (go-redis retries with backoff) and every write
// request paid it (issue 17).
const (
	// EnqueueTimeout bounds one enqueue round trip to Redis.
	EnqueueTimeout = 300 * time.Millisecond
	// BreakerCooldown is how long enqueues fail at once after a failure
	// before one is let through to probe Redis again.
	BreakerCooldown = 5 * time.Second
)

// breaker is a small circuit breaker: after a failure it is open for the
// cooldown (callers fail without touching Redis), then half-open (the next
// call probes), and a success closes it. The zero value is closed.
type breaker struct {
	mu        sync.Mutex
	openUntil time.Time
	cooldown  time.Duration
	now       func() time.Time
}

func (b *breaker) clock() time.Time {
	if b.now != nil {
		return b.now()
	}
	return time.Now()
}

// allow reports whether a call may go to Redis now. In the half-open state
// it lets one caller through per cooldown and keeps the others failing fast.
func (b *breaker) allow() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.clock()
	if b.openUntil.IsZero() {
		return true
	}
	if now.Before(b.openUntil) {
		return false
	}
	b.openUntil = now.Add(b.cooldownOrDefault()) // this caller probes
	return true
}

// fail opens the breaker.
func (b *breaker) fail() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.openUntil = b.clock().Add(b.cooldownOrDefault())
}

// succeed closes the breaker.
func (b *breaker) succeed() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.openUntil = time.Time{}
}

// Open reports whether the breaker is open or half-open (a failure was seen
// and no success since).
func (b *breaker) open() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return !b.openUntil.IsZero()
}

func (b *breaker) cooldownOrDefault() time.Duration {
	if b.cooldown > 0 {
		return b.cooldown
	}
	return BreakerCooldown
}
