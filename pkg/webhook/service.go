package webhook

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
	"github.com/ibutsu-go/ibutsu/pkg/project"
)

// Task types.
const (
	// TypeDeliver sends a subscription's due deliveries, oldest first.
	TypeDeliver = "webhook.deliver"
	// TypeSweep queues TypeDeliver for every subscription with a due
	// delivery (a lost task, a worker that died holding the lease).
	TypeSweep = "webhook.sweep"
	// TypePrune trims the delivery log (Service.Prune).
	TypePrune = "webhook.prune"
)

// Limits on what a subscription holds.
const (
	maxNameLen   = 255
	maxURLLen    = 2048
	maxSecretLen = 255
	minSecretLen = 16
	logLimit     = 100
	// maxSubscriptions bounds a project's webhooks: every event of the
	// project is one delivery per subscription, so without a bound one
	// owner's project turned each run it finished into as many requests
	// to one URL as it had subscriptions (and as many delivery rows).
	maxSubscriptions = 20
	sweepBatch       = 1000
	// defaultKeepDeliveries is WEBHOOK_KEEP_DELIVERIES's default, for a
	// service built without it.
	defaultKeepDeliveries = 200
)

// Service holds the rules of subscriptions and sends deliveries.
type Service struct {
	db     *db.DB
	store  store
	queue  queue.Queue
	cfg    config.Webhooks
	base   string
	guard  guard
	sender *sender
	log    *slog.Logger
	now    func() time.Time
}

// NewService builds the service. base is the UI address links point at
// (cfg.BaseURL wins when set).
func NewService(d *db.DB, q queue.Queue, cfg config.Webhooks, base string, log *slog.Logger) (*Service, error) {
	g, err := newGuard(cfg.Allow)
	if err != nil {
		return nil, err
	}
	if cfg.BaseURL != "" {
		base = cfg.BaseURL
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.MaxResponseBytes <= 0 {
		cfg.MaxResponseBytes = 64 << 10
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 30
	}
	if cfg.BackoffBase <= 0 {
		cfg.BackoffBase = 10 * time.Second
	}
	if cfg.BackoffMax < cfg.BackoffBase {
		cfg.BackoffMax = cfg.BackoffBase
	}
	if cfg.KeepDeliveries <= 0 {
		cfg.KeepDeliveries = defaultKeepDeliveries
	}
	return &Service{db: d, store: store{db: d}, queue: q, cfg: cfg, base: strings.TrimRight(base, "/"), guard: g,
		sender: newSender(g, cfg.Timeout, cfg.MaxResponseBytes), log: log,
		now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}, nil
}

// Lane is the task lane deliveries run in (queue.Lane): a receiver that
// hangs holds a goroutine of this lane only, never one that imports and
// the other tasks need.
const Lane = "webhooks"

// Register adds the delivery tasks; deliveries run in their own lane of
// WEBHOOK_CONCURRENCY.
func (s *Service) Register(reg *queue.Registry) {
	reg.DeclareLane(Lane, s.cfg.Concurrency)
	reg.Register(TypeDeliver, s.deliverTask, queue.MaxRetry(5), queue.Timeout(30*time.Minute), queue.Durable(), queue.Lane(Lane))
	reg.Register(TypeSweep, s.sweepTask, queue.MaxRetry(0), queue.Timeout(5*time.Minute))
	reg.Register(TypePrune, s.pruneTask, queue.MaxRetry(0), queue.Timeout(30*time.Minute))
}

// Schedule is the periodic sweep, and the delivery log's prune (hourly:
// it reads every finished delivery, and an hour's growth is small).
func Schedule() []queue.Periodic {
	return []queue.Periodic{
		{Name: "webhook-sweep", Spec: "@every 1m", Type: TypeSweep, Payload: []byte(`{}`)},
		{Name: "webhook-prune", Spec: "@every 1h", Type: TypePrune, Payload: []byte(`{}`)},
	}
}

// ---- subscriptions ----

// Input is a create or update body; nil fields are absent.
type Input struct {
	Name    *string
	URL     *string
	Secret  *string
	Events  []string
	Format  *string
	Enabled *bool
}

// manage loads a project the caller may manage webhooks of: its owner or
// a superadmin (the rule of the project's settings).
func (s *Service) manage(ctx context.Context, caller *model.User, projectID uuid.UUID) (*model.Project, error) {
	return project.LoadOwned(ctx, s.store, caller, projectID)
}

// List lists a project's subscriptions.
func (s *Service) List(ctx context.Context, caller *model.User, projectID uuid.UUID) ([]Subscription, error) {
	if _, err := s.manage(ctx, caller, projectID); err != nil {
		return nil, err
	}
	return s.store.list(ctx, projectID)
}

// Get loads one subscription of the project.
func (s *Service) Get(ctx context.Context, caller *model.User, projectID, id uuid.UUID) (*Subscription, error) {
	if _, err := s.manage(ctx, caller, projectID); err != nil {
		return nil, err
	}
	return s.inProject(ctx, projectID, id)
}

// inProject loads a subscription that must belong to the project: another
// project's id is the same 404 as an unknown one.
func (s *Service) inProject(ctx context.Context, projectID, id uuid.UUID) (*Subscription, error) {
	return ofProject(projectID)(s.store.get(ctx, id))
}

// ofProject is inProject's rule on a loaded subscription.
func ofProject(projectID uuid.UUID) func(*Subscription, error) (*Subscription, error) {
	return func(sub *Subscription, err error) (*Subscription, error) {
		if errors.Is(err, ErrNotFound) || (err == nil && sub.ProjectID != projectID) {
			return nil, apperr.NotFound("Webhook not found")
		}
		return sub, err
	}
}

// Create adds a subscription.
func (s *Service) Create(ctx context.Context, caller *model.User, projectID uuid.UUID, in Input) (*Subscription, error) {
	if _, err := s.manage(ctx, caller, projectID); err != nil {
		return nil, err
	}
	for _, f := range []struct {
		name    string
		missing bool
	}{{"name", in.Name == nil}, {"url", in.URL == nil}, {"secret", in.Secret == nil}, {"events", in.Events == nil}} {
		if f.missing {
			return nil, apperr.BadRequest("Bad request, '%s' is required", f.name)
		}
	}
	now := s.now()
	sub := &Subscription{ID: uuid.New(), ProjectID: projectID, Format: FormatJSON, Enabled: true, Created: now, Updated: now}
	if err := s.apply(sub, in); err != nil {
		return nil, err
	}
	if err := s.store.create(ctx, sub); err != nil {
		return nil, err
	}
	return sub, nil
}

// Update changes a subscription's given fields.
//
// The subscription is read under its row lock (store.getForUpdate) in the
// transaction that writes it: the update writes every field, so one read
// before another owner's change committed (disabling it, a new secret)
// would put the old values back.
func (s *Service) Update(ctx context.Context, caller *model.User, projectID, id uuid.UUID, in Input) (*Subscription, error) {
	if _, err := s.manage(ctx, caller, projectID); err != nil {
		return nil, err
	}
	var sub *Subscription
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		var err error
		if sub, err = ofProject(projectID)(s.store.getForUpdate(ctx, id)); err != nil {
			return err
		}
		if err := s.apply(sub, in); err != nil {
			return err
		}
		sub.Updated = s.now()
		return s.store.update(ctx, sub)
	})
	if err != nil {
		return nil, err
	}
	if sub.Enabled {
		s.kick(ctx, sub.ID) // deliveries held while it was disabled
	}
	return sub, nil
}

// Delete removes a subscription and its delivery log.
func (s *Service) Delete(ctx context.Context, caller *model.User, projectID, id uuid.UUID) error {
	if _, err := s.manage(ctx, caller, projectID); err != nil {
		return err
	}
	if _, err := s.inProject(ctx, projectID, id); err != nil {
		return err
	}
	return s.store.delete(ctx, id, projectID)
}

// Deliveries is a subscription's delivery log, newest first.
func (s *Service) Deliveries(ctx context.Context, caller *model.User, projectID, id uuid.UUID) ([]Delivery, error) {
	if _, err := s.Get(ctx, caller, projectID, id); err != nil {
		return nil, err
	}
	return s.store.deliveries(ctx, id, logLimit)
}

// SendTest queues a test event to one subscription (enabled or not: the
// point is to try it).
func (s *Service) SendTest(ctx context.Context, caller *model.User, projectID, id uuid.UUID) (*Delivery, error) {
	p, err := s.manage(ctx, caller, projectID)
	if err != nil {
		return nil, err
	}
	sub, err := s.inProject(ctx, projectID, id)
	if err != nil {
		return nil, err
	}
	env := &Envelope{ID: EventTest + ":" + uuid.NewString(), Type: EventTest, Created: s.now(), Project: projectRef(p),
		Message: "This is a test event from Ibutsu. Your webhook works."}
	var ds []Delivery
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		// Under the subscription's row lock, so two tests asked for at
		// once cannot both find the last one old enough.
		last, err := s.store.lastTest(ctx, sub.ID)
		if err != nil {
			return err
		}
		if wait := s.testWait(last); wait > 0 {
			return &TooSoon{RetryAfter: wait}
		}
		ds, err = s.queueFor(ctx, []Subscription{*sub}, env)
		return err
	})
	if err != nil || len(ds) == 0 {
		return nil, err
	}
	return &ds[0], nil
}

// TooSoon refuses a test delivery asked for within TestInterval of the
// subscription's last one: every test is a request to the receiver and a
// row of the delivery log, and the route had no bound. The handler
// answers 429 with Retry-After.
type TooSoon struct{ RetryAfter time.Duration }

func (e *TooSoon) Error() string {
	return fmt.Sprintf("a test delivery of this webhook was sent less than the interval ago; retry in %s", e.RetryAfter.Round(time.Second))
}

// testWait is how long a new test delivery must wait after the last one
// (created at last; nil: none), 0 when it may go now.
func (s *Service) testWait(last *time.Time) time.Duration {
	if last == nil || s.cfg.TestInterval <= 0 {
		return 0
	}
	return max(last.Add(s.cfg.TestInterval).Sub(s.now()), 0)
}

// apply validates in onto sub.
func (s *Service) apply(sub *Subscription, in Input) error {
	if in.Name != nil {
		n := strings.TrimSpace(*in.Name)
		if n == "" || len(n) > maxNameLen {
			return apperr.BadRequest("Bad request, 'name' must be 1 to %d characters", maxNameLen)
		}
		sub.Name = n
	}
	if in.URL != nil {
		u := strings.TrimSpace(*in.URL)
		if len(u) > maxURLLen {
			return apperr.BadRequest("Bad request, 'url' is longer than %d characters", maxURLLen)
		}
		if err := s.guard.checkURL(u); err != nil {
			return apperr.BadRequest("Bad request, 'url': %s", err)
		}
		sub.URL = u
	}
	if in.Secret != nil {
		if len(*in.Secret) < minSecretLen || len(*in.Secret) > maxSecretLen {
			return apperr.BadRequest("Bad request, 'secret' must be %d to %d characters", minSecretLen, maxSecretLen)
		}
		sub.Secret = *in.Secret
	}
	if in.Events != nil {
		evs := []string{}
		for _, e := range in.Events {
			if !slices.Contains(Events, e) {
				return apperr.BadRequest("Bad request, unknown event '%s' (one of %s)", trim(e), strings.Join(Events, ", "))
			}
			if !slices.Contains(evs, e) {
				evs = append(evs, e)
			}
		}
		if len(evs) == 0 {
			return apperr.BadRequest("Bad request, 'events' must name at least one event")
		}
		sub.Events = strings.Join(evs, ",")
	}
	if in.Format != nil {
		if !slices.Contains(Formats, *in.Format) {
			return apperr.BadRequest("Bad request, 'format' must be one of %s", strings.Join(Formats, ", "))
		}
		sub.Format = *in.Format
	}
	if in.Enabled != nil {
		sub.Enabled = *in.Enabled
	}
	return nil
}

// EventList is a subscription's events as a list.
func (sub *Subscription) EventList() []string {
	if sub.Events == "" {
		return []string{}
	}
	return strings.Split(sub.Events, ",")
}

func parseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.User != nil {
		return nil, errors.New("must be an http or https URL with a host and no user info")
	}
	return u, nil
}

// ---- raising events ----

// emit queues an event to every enabled subscription of the project that
// chose its type, in the caller's transaction if there is one.
func (s *Service) emit(ctx context.Context, env *Envelope) error {
	subs, err := s.store.enabled(ctx, env.Project.ID)
	if err != nil {
		return err
	}
	var to []Subscription
	for _, sub := range subs {
		if slices.Contains(sub.EventList(), env.Type) {
			to = append(to, sub)
		}
	}
	if len(to) == 0 {
		return nil
	}
	_, err = s.queueFor(ctx, to, env)
	return err
}

// queueFor writes one delivery per subscription and asks the worker to
// send them. Inside a transaction the task waits a moment, so it finds
// the rows committed; the sweep covers a task that ran too early anyway.
func (s *Service) queueFor(ctx context.Context, subs []Subscription, env *Envelope) ([]Delivery, error) {
	body, err := render(FormatJSON, env)
	if err != nil {
		return nil, err
	}
	now := s.now()
	ds := make([]Delivery, 0, len(subs))
	for _, sub := range subs {
		ds = append(ds, Delivery{WebhookID: sub.ID, EventID: env.ID, Event: env.Type, Payload: string(body),
			Status: StatusPending, Created: now, NextAttempt: now})
	}
	ds, err = s.store.queue(ctx, ds)
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		s.kick(ctx, d.WebhookID)
	}
	return ds, nil
}

// kickDelay is how long a task queued inside a transaction waits.
const kickDelay = time.Second

// kick queues a delivery task for a subscription; failures are logged
// (the rows are kept and the sweep finds them).
func (s *Service) kick(ctx context.Context, id uuid.UUID) {
	s.enqueue(ctx, id, 0)
}

// retryAt queues the subscription's task for when its oldest delivery is
// due. The task id names the subscription and the time, so the workers
// that found the same delivery waiting queue one task, not one each.
func (s *Service) retryAt(ctx context.Context, id uuid.UUID, due time.Time) {
	wait := max(due.Sub(s.now()), time.Millisecond)
	s.enqueue(ctx, id, wait, queue.TaskID(fmt.Sprintf("webhook-%s-%d", id, due.UnixMilli())))
}

func (s *Service) enqueue(ctx context.Context, id uuid.UUID, delay time.Duration, extra ...queue.Option) {
	if s.queue == nil {
		return
	}
	if delay == 0 && db.InTx(ctx) {
		delay = kickDelay
	}
	payload := []byte(fmt.Sprintf(`{"webhook_id":%q}`, id))
	opts := extra
	if delay > 0 {
		opts = append(opts, queue.Delay(delay))
	}
	if _, err := s.queue.Enqueue(context.WithoutCancel(ctx), TypeDeliver, payload, opts...); err != nil && !errors.Is(err, queue.ErrDuplicate) {
		s.log.Warn("could not queue a webhook delivery task (the sweep retries)", "webhook_id", id, "error", err)
	}
}
