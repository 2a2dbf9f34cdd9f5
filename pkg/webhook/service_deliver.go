package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
)

type deliverPayload struct {
	WebhookID string `json:"webhook_id"`
}

func (s *Service) deliverTask(ctx context.Context, payload []byte) ([]byte, error) {
	_, id, err := queue.DecodeIDPayload("webhook.deliver", payload, func(p *deliverPayload) string { return p.WebhookID })
	if err != nil {
		return nil, err
	}
	return nil, s.Drain(ctx, id)
}

func (s *Service) sweepTask(ctx context.Context, _ []byte) ([]byte, error) {
	n, err := s.Sweep(ctx)
	if err != nil {
		return nil, err
	}
	return []byte(fmt.Sprintf(`{"queued":%d}`, n)), nil
}

func (s *Service) pruneTask(ctx context.Context, _ []byte) ([]byte, error) {
	n, err := s.Prune(ctx)
	if err != nil {
		return nil, err
	}
	return []byte(fmt.Sprintf(`{"deleted":%d}`, n)), nil
}

// Prune trims the delivery log (docs/notifications.md#delivery-log): a
// subscription keeps its newest KeepDeliveries finished deliveries, and
// none older than KeepDeliveriesFor (0: no age bound); pending ones stay.
// The periodic webhook-prune task runs it.
func (s *Service) Prune(ctx context.Context) (int64, error) {
	var before time.Time
	if s.cfg.KeepDeliveriesFor > 0 {
		before = s.now().Add(-s.cfg.KeepDeliveriesFor)
	}
	n, err := s.store.prune(ctx, s.cfg.KeepDeliveries, before)
	if n > 0 {
		s.log.Info("webhook deliveries pruned", "deleted", n)
	}
	return n, err
}

// Sweep queues a delivery task for every subscription with a due
// delivery and returns how many it queued.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	ids, err := s.store.dueWebhooks(ctx, s.now(), sweepBatch)
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		s.enqueue(ctx, id, 0)
	}
	return len(ids), nil
}

// Backoff is the wait after the n-th failed attempt (n ≥ 1): the base
// doubled n-1 times, capped.
func (s *Service) Backoff(n int) time.Duration {
	d := s.cfg.BackoffBase
	for i := 1; i < n && d < s.cfg.BackoffMax; i++ {
		d *= 2
	}
	return min(d, s.cfg.BackoffMax)
}

// lease is how long one claim of a subscription lasts; it is renewed
// before every attempt and outlives one attempt by a margin.
func (s *Service) lease() time.Duration { return 2*s.cfg.Timeout + 30*time.Second }

// Drain sends the subscription's due deliveries in order. Only the holder
// of the subscription's lease sends, so two workers never send the same
// subscription at once; a delivery leaves "pending" once, so a key that
// was answered 2xx is never sent again. A failed attempt stops the
// subscription (later events wait: order is kept) and queues the next
// try after the backoff.
func (s *Service) Drain(ctx context.Context, id uuid.UUID) error {
	owner := uuid.NewString()
	for {
		now := s.now()
		ok, err := s.store.claim(ctx, id, owner, now, now.Add(s.lease()))
		if err != nil || !ok {
			return err // busy: the holder looks again after releasing
		}
		due, err := s.drainClaimed(ctx, id, owner)
		rerr := s.store.release(context.WithoutCancel(ctx), id, owner)
		if err = errors.Join(err, rerr); err != nil {
			return err
		}
		if !due.IsZero() {
			s.retryAt(ctx, id, due)
			return nil
		}
		// A delivery queued while we held the lease may have found us
		// busy: look once more now that the lease is free.
		next, err := s.store.nextPending(ctx, id)
		if err != nil || next == nil || next.NextAttempt.After(s.now()) {
			return err
		}
		if sub, err := s.store.get(ctx, id); err != nil || (!sub.Enabled && next.Event != EventTest) {
			return ignoreGone(err)
		}
	}
}

// drainClaimed sends while the lease is held; a non-zero time is when the
// oldest pending delivery is due next.
func (s *Service) drainClaimed(ctx context.Context, id uuid.UUID, owner string) (time.Time, error) {
	for {
		sub, err := s.store.get(ctx, id)
		if err != nil {
			return time.Time{}, ignoreGone(err)
		}
		// A disabled subscription keeps its events pending until it is
		// enabled again; only test events go out (they are no part of
		// the ordered stream).
		var only []string
		if !sub.Enabled {
			only = []string{EventTest}
		}
		d, err := s.store.nextPending(ctx, id, only...)
		if err != nil || d == nil {
			return time.Time{}, err
		}
		now := s.now()
		if d.NextAttempt.After(now) {
			return d.NextAttempt, nil
		}
		if ok, err := s.store.claim(ctx, id, owner, now, now.Add(s.lease())); err != nil || !ok {
			return time.Time{}, err
		}
		if err := s.attempt(ctx, sub, d); err != nil {
			return time.Time{}, err
		}
		if d.Status == StatusPending {
			return d.NextAttempt, nil
		}
	}
}

// attempt sends one delivery once and records the outcome.
func (s *Service) attempt(ctx context.Context, sub *Subscription, d *Delivery) error {
	var env Envelope
	if err := json.Unmarshal([]byte(d.Payload), &env); err != nil {
		return s.finish(ctx, d, outcome{err: "unreadable stored event: " + err.Error()}, true)
	}
	body, err := render(sub.Format, &env)
	if err != nil {
		return s.finish(ctx, d, outcome{err: err.Error()}, true)
	}
	out := s.sender.send(ctx, sub.URL, sub.Secret, d.Event, d.EventID, body)
	if !out.ok() {
		s.log.Warn("webhook delivery failed", "webhook_id", sub.ID, "event_id", d.EventID, "attempt", d.Attempts+1, "error", out.err)
	}
	return s.finish(ctx, d, out, false)
}

// finish records an attempt: delivered, pending with the next try after
// the backoff, or failed for good after MaxAttempts (or at once when the
// stored event cannot be sent at all).
func (s *Service) finish(ctx context.Context, d *Delivery, out outcome, final bool) error {
	now := s.now()
	d.Attempts++
	d.LastAttempt = &now
	if out.code != 0 {
		code := out.code
		d.ResponseCode = &code
	}
	switch {
	case out.ok():
		d.Status, d.Delivered, d.LastError = StatusDelivered, &now, nil
	case final || d.Attempts >= s.cfg.MaxAttempts:
		msg := out.err
		d.Status, d.LastError = StatusFailed, &msg
	default:
		msg := out.err
		d.LastError = &msg
		d.NextAttempt = now.Add(s.Backoff(d.Attempts))
	}
	return s.store.saveAttempt(context.WithoutCancel(ctx), d)
}

func ignoreGone(err error) error {
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}
