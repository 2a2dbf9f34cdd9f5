// Package webhook owns per-project webhook subscriptions and their
// deliveries (docs/notifications.md): the events other packages raise are
// written as delivery rows in the caller's transaction, and asynq tasks send
// them, in order per subscription, signed, with retries and backoff.
package webhook

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/project"
)

// ErrNotFound is returned for an unknown subscription id.
var ErrNotFound = errors.New("webhook not found")

// Subscription is one row of ibutsu_webhooks (migration 00015). Events is
// the comma-separated list of event types it receives.
type Subscription struct {
	ID         uuid.UUID  `gorm:"column:id;type:uuid;primaryKey"`
	ProjectID  uuid.UUID  `gorm:"column:project_id;type:uuid"`
	Name       string     `gorm:"column:name"`
	URL        string     `gorm:"column:url"`
	Secret     string     `gorm:"column:secret"`
	Events     string     `gorm:"column:events"`
	Format     string     `gorm:"column:format"`
	Enabled    bool       `gorm:"column:enabled"`
	Created    time.Time  `gorm:"column:created"`
	Updated    time.Time  `gorm:"column:updated"`
	LeaseOwner *string    `gorm:"column:lease_owner"`
	LeaseUntil *time.Time `gorm:"column:lease_until"`
}

// TableName implements gorm's Tabler.
func (Subscription) TableName() string { return "ibutsu_webhooks" }

// Delivery is one event queued for one subscription
// (ibutsu_webhook_deliveries): the durable queue and the delivery log.
type Delivery struct {
	Seq          int64      `gorm:"column:seq;primaryKey;autoIncrement"`
	WebhookID    uuid.UUID  `gorm:"column:webhook_id;type:uuid"`
	EventID      string     `gorm:"column:event_id"`
	Event        string     `gorm:"column:event"`
	Payload      string     `gorm:"column:payload"`
	Status       string     `gorm:"column:status"`
	Attempts     int        `gorm:"column:attempts"`
	ResponseCode *int       `gorm:"column:response_code"`
	LastError    *string    `gorm:"column:last_error"`
	Created      time.Time  `gorm:"column:created"`
	NextAttempt  time.Time  `gorm:"column:next_attempt"`
	LastAttempt  *time.Time `gorm:"column:last_attempt"`
	Delivered    *time.Time `gorm:"column:delivered"`
}

// TableName implements gorm's Tabler.
func (Delivery) TableName() string { return "ibutsu_webhook_deliveries" }

// Delivery states.
const (
	StatusPending   = "pending"
	StatusDelivered = "delivered"
	StatusFailed    = "failed"
)

// announced is one new-failure fingerprint of a run already announced.
type announced struct {
	RunID       uuid.UUID `gorm:"column:run_id;type:uuid;primaryKey"`
	Fingerprint string    `gorm:"column:fingerprint;primaryKey"`
}

func (announced) TableName() string { return "ibutsu_webhook_announced" }

// store is the SQL of the package.
type store struct{ db *db.DB }

func (s store) list(ctx context.Context, projectID uuid.UUID) ([]Subscription, error) {
	var out []Subscription
	if err := s.db.Conn(ctx).Where("project_id = ?", projectID).Order("name, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list webhooks: %w", err)
	}
	return out, nil
}

func (s store) get(ctx context.Context, id uuid.UUID) (*Subscription, error) {
	return db.Take[Subscription](s.db.Conn(ctx).Where("id = ?", id), ErrNotFound, "webhook")
}

// getForUpdate is get with the row locked FOR UPDATE until ctx's
// transaction ends (PostgreSQL; SQLite admits one writer at a time).
func (s store) getForUpdate(ctx context.Context, id uuid.UUID) (*Subscription, error) {
	q := s.db.Conn(ctx)
	if s.db.Dialect == db.Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return db.Take[Subscription](q.Where("id = ?", id), ErrNotFound, "webhook")
}

// create inserts sub unless its project already has maxSubscriptions
// webhooks. The project's row is locked first (PostgreSQL; SQLite admits
// one writer), so concurrent creates cannot pass the count together.
func (s store) create(ctx context.Context, sub *Subscription) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		q := s.db.Conn(ctx).Model(&model.Project{}).Select("id").Where("id = ?", sub.ProjectID)
		if s.db.Dialect == db.Postgres {
			q = q.Clauses(clause.Locking{Strength: "UPDATE"})
		}
		var p model.Project
		if err := q.Take(&p).Error; err != nil {
			return fmt.Errorf("lock project of a new webhook: %w", err)
		}
		var n int64
		if err := s.db.Conn(ctx).Model(&Subscription{}).Where("project_id = ?", sub.ProjectID).Count(&n).Error; err != nil {
			return fmt.Errorf("count webhooks: %w", err)
		}
		if n >= maxSubscriptions {
			return apperr.BadRequest("Bad request, a project can have at most %d webhooks", maxSubscriptions)
		}
		if err := s.db.Conn(ctx).Create(sub).Error; err != nil {
			return fmt.Errorf("create webhook: %w", err)
		}
		return nil
	})
}

// update writes the editable columns of sub (never the lease).
func (s store) update(ctx context.Context, sub *Subscription) error {
	return db.Done(s.db.Conn(ctx).Model(&Subscription{}).Where("id = ? AND project_id = ?", sub.ID, sub.ProjectID).
		Updates(map[string]any{"name": sub.Name, "url": sub.URL, "secret": sub.Secret, "events": sub.Events,
			"format": sub.Format, "enabled": sub.Enabled, "updated": sub.Updated}), "update webhook")
}

func (s store) delete(ctx context.Context, id, projectID uuid.UUID) error {
	if err := s.db.Conn(ctx).Where("id = ? AND project_id = ?", id, projectID).Delete(&Subscription{}).Error; err != nil {
		return fmt.Errorf("delete webhook: %w", err)
	}
	return nil
}

// enabled lists the project's enabled subscriptions.
func (s store) enabled(ctx context.Context, projectID uuid.UUID) ([]Subscription, error) {
	var out []Subscription
	if err := s.db.Conn(ctx).Where("project_id = ? AND enabled = ?", projectID, true).Order("id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("webhooks of a project: %w", err)
	}
	return out, nil
}

// queue inserts deliveries; one already queued for the same subscription
// and event id is left alone. It returns the rows it inserted.
func (s store) queue(ctx context.Context, ds []Delivery) ([]Delivery, error) {
	var out []Delivery
	for i := range ds {
		res := s.db.Conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&ds[i])
		if res.Error != nil {
			return nil, fmt.Errorf("queue webhook delivery: %w", res.Error)
		}
		if res.RowsAffected == 1 {
			out = append(out, ds[i])
		}
	}
	return out, nil
}

// lastTest locks the subscription's row (PostgreSQL; SQLite admits one
// writer) and returns when its newest test delivery was created (nil:
// none).
func (s store) lastTest(ctx context.Context, webhookID uuid.UUID) (*time.Time, error) {
	q := s.db.Conn(ctx).Model(&Subscription{}).Select("id").Where("id = ?", webhookID)
	if s.db.Dialect == db.Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var sub Subscription
	if err := q.Take(&sub).Error; err != nil {
		return nil, wrap(err, "lock webhook for a test delivery")
	}
	var last []Delivery
	if err := s.db.Conn(ctx).Select("created").Where("webhook_id = ? AND event = ?", webhookID, EventTest).
		Order("seq DESC").Limit(1).Find(&last).Error; err != nil {
		return nil, fmt.Errorf("last test delivery: %w", err)
	}
	if len(last) == 0 {
		return nil, nil //nolint:nilnil // no test delivery yet
	}
	return &last[0].Created, nil
}

// pruneBatch bounds one DELETE of the delivery log, so a first prune of a
// large log holds its locks briefly, many times.
const pruneBatch = 5000

// prune deletes finished deliveries (delivered or failed) beyond each
// subscription's newest keep, or created before before (zero: no age
// bound), in batches; pending ones are the queue and are never touched.
// It returns how many it deleted.
func (s store) prune(ctx context.Context, keep int, before time.Time) (int64, error) {
	var total int64
	for {
		res := s.db.Conn(ctx).Exec(`DELETE FROM ibutsu_webhook_deliveries WHERE seq IN (
	SELECT seq FROM (
		SELECT seq, created, row_number() OVER (PARTITION BY webhook_id ORDER BY seq DESC) AS n
		FROM ibutsu_webhook_deliveries WHERE status <> ?) f
	WHERE n > ? OR created < ? LIMIT ?)`, StatusPending, keep, before, pruneBatch)
		if res.Error != nil {
			return total, fmt.Errorf("prune webhook deliveries: %w", res.Error)
		}
		total += res.RowsAffected
		if res.RowsAffected < pruneBatch {
			return total, nil
		}
	}
}

// deliveries lists a subscription's deliveries, newest first.
func (s store) deliveries(ctx context.Context, webhookID uuid.UUID, limit int) ([]Delivery, error) {
	var out []Delivery
	if err := s.db.Conn(ctx).Where("webhook_id = ?", webhookID).Order("seq DESC").Limit(limit).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("webhook deliveries: %w", err)
	}
	return out, nil
}

// claim takes the subscription's sending lease until until, if nobody
// holds it; only the holder sends the subscription's deliveries.
func (s store) claim(ctx context.Context, id uuid.UUID, owner string, now, until time.Time) (bool, error) {
	res := s.db.Conn(ctx).Model(&Subscription{}).
		Where("id = ? AND (lease_until IS NULL OR lease_until < ? OR lease_owner = ?)", id, now, owner).
		Updates(map[string]any{"lease_owner": owner, "lease_until": until})
	if res.Error != nil {
		return false, fmt.Errorf("claim webhook: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

func (s store) release(ctx context.Context, id uuid.UUID, owner string) error {
	err := s.db.Conn(ctx).Model(&Subscription{}).Where("id = ? AND lease_owner = ?", id, owner).
		Updates(map[string]any{"lease_owner": nil, "lease_until": nil}).Error
	if err != nil {
		return fmt.Errorf("release webhook: %w", err)
	}
	return nil
}

// nextPending is the subscription's oldest pending delivery (nil: none),
// of the given event types only when some are given.
func (s store) nextPending(ctx context.Context, webhookID uuid.UUID, events ...string) (*Delivery, error) {
	var out []Delivery
	q := s.db.Conn(ctx).Where("webhook_id = ? AND status = ?", webhookID, StatusPending)
	if len(events) > 0 {
		q = q.Where("event IN ?", events)
	}
	err := q.Order("seq").Limit(1).Find(&out).Error
	if err != nil || len(out) == 0 {
		return nil, wrap(err, "next webhook delivery")
	}
	return &out[0], nil
}

// saveAttempt records one attempt at a pending delivery.
func (s store) saveAttempt(ctx context.Context, d *Delivery) error {
	err := s.db.Conn(ctx).Model(&Delivery{}).Where("seq = ? AND status = ?", d.Seq, StatusPending).
		Updates(map[string]any{"status": d.Status, "attempts": d.Attempts, "response_code": d.ResponseCode,
			"last_error": d.LastError, "next_attempt": d.NextAttempt, "last_attempt": d.LastAttempt, "delivered": d.Delivered}).Error
	return wrap(err, "record webhook attempt")
}

// dueWebhooks lists subscriptions with a pending delivery due by now.
func (s store) dueWebhooks(ctx context.Context, now time.Time, limit int) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	err := s.db.Conn(ctx).Model(&Delivery{}).Distinct("webhook_id").
		Where("status = ? AND next_attempt <= ?", StatusPending, now).Limit(limit).Pluck("webhook_id", &ids).Error
	return ids, wrap(err, "due webhooks")
}

// ByID makes the store a project.Finder: the owner rule of the webhook
// routes is project.LoadOwned's, with its 404.
func (s store) ByID(ctx context.Context, id uuid.UUID) (*model.Project, error) {
	return db.Take[model.Project](s.db.Conn(ctx).Where("id = ?", id), project.ErrNotFound, "project")
}

func (s store) run(ctx context.Context, id uuid.UUID) (*model.Run, error) {
	var out []model.Run
	if err := s.db.Conn(ctx).Where("id = ?", id).Limit(1).Find(&out).Error; err != nil || len(out) == 0 {
		return nil, wrap(err, "webhook run")
	}
	return &out[0], nil
}

// Failure is one new failure fingerprint of a run.
type Failure struct {
	Fingerprint string `json:"fingerprint"`
	Exception   string `json:"exception"`
	Count       int    `json:"count"`
	TestID      string `json:"test_id"`
}

// newFailures lists the run's fingerprints the project never had in an
// earlier result of another run, most frequent first.
func (s store) newFailures(ctx context.Context, runID uuid.UUID, projectID uuid.UUID, limit int) ([]Failure, error) {
	var out []Failure
	err := s.db.Conn(ctx).Raw(`SELECT c.fingerprint, MIN(c.exception) AS exception, COUNT(*) AS count, MIN(r.test_id) AS test_id
		FROM ibutsu_result_fingerprints c JOIN results r ON r.id = c.result_id
		WHERE c.run_id = ? AND NOT EXISTS (SELECT 1 FROM ibutsu_result_fingerprints e
			WHERE e.project_id = ? AND e.fingerprint = c.fingerprint AND (e.run_id IS NULL OR e.run_id <> ?) AND e.start_time < c.start_time)
		GROUP BY c.fingerprint ORDER BY count DESC, c.fingerprint LIMIT ?`, runID, projectID, runID, limit).Scan(&out).Error
	return out, wrap(err, "new failures of a run")
}

// announce records fingerprints of a run as announced and returns those
// that were not before.
func (s store) announce(ctx context.Context, runID uuid.UUID, fs []Failure) ([]Failure, error) {
	var out []Failure
	for _, f := range fs {
		res := s.db.Conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&announced{RunID: runID, Fingerprint: f.Fingerprint})
		if res.Error != nil {
			return nil, fmt.Errorf("announce new failure: %w", res.Error)
		}
		if res.RowsAffected == 1 {
			out = append(out, f)
		}
	}
	return out, nil
}

func wrap(err error, what string) error {
	if err == nil || errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	}
	return fmt.Errorf("%s: %w", what, err)
}
