package config

import (
	"strings"
	"time"
)

// Webhooks configures outbound webhook deliveries (docs/notifications.md).
type Webhooks struct {
	// Allow lists CIDRs (or single addresses) that deliveries may reach
	// although they are loopback, link-local or private; empty allows none.
	Allow []string
	// Timeout bounds one delivery attempt (connect, send, read).
	Timeout time.Duration
	// MaxResponseBytes caps how much of a receiver's answer is read.
	MaxResponseBytes int64
	// BackoffBase is the wait after the first failed attempt; it doubles
	// with every further failure up to BackoffMax.
	BackoffBase time.Duration
	BackoffMax  time.Duration
	// MaxAttempts ends a delivery as failed after this many attempts, so
	// the subscription's later events go out.
	MaxAttempts int
	// BaseURL is the UI address the messages link to; empty: frontend_url.
	BaseURL string
	// Concurrency is how many deliveries run at once in one worker (or
	// the embedded pool), in a pool of their own beside the other tasks',
	// so slow receivers cannot starve imports.
	Concurrency int
	// KeepDeliveries and KeepDeliveriesFor bound the delivery log: the
	// periodic webhook-prune deletes a subscription's finished deliveries beyond
	// its newest KeepDeliveries or older than KeepDeliveriesFor (pending
	// ones are the queue and stay). Every event of a project is a row per
	// subscription, so the log grew without end.
	KeepDeliveries    int
	KeepDeliveriesFor time.Duration
	// TestInterval is the least time between two test deliveries of one
	// subscription; one asked for sooner is a 429 with Retry-After.
	TestInterval time.Duration
}

func (p *parser) webhooks() Webhooks {
	return Webhooks{
		Allow:             p.list("webhooks.allow"),
		Timeout:           p.dur("webhooks.timeout"),
		MaxResponseBytes:  int64(p.posInt("webhooks.max_response_bytes")),
		BackoffBase:       p.dur("webhooks.backoff_base"),
		BackoffMax:        p.dur("webhooks.backoff_max"),
		MaxAttempts:       p.posInt("webhooks.max_attempts"),
		BaseURL:           strings.TrimRight(p.str("webhooks.base_url"), "/"),
		Concurrency:       p.posInt("webhooks.concurrency"),
		KeepDeliveries:    p.posInt("webhooks.keep_deliveries"),
		KeepDeliveriesFor: p.dur("webhooks.keep_deliveries_for"),
		TestInterval:      p.dur("webhooks.test_interval"),
	}
}
