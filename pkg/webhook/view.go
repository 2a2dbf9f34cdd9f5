package webhook

import (
	"time"

	"github.com/google/uuid"
)

// View is a subscription as the API shows it: the secret is write-only.
type View struct {
	ID        uuid.UUID `json:"id"`
	ProjectID uuid.UUID `json:"project_id"`
	Name      string    `json:"name"`
	URL       string    `json:"url"`
	Events    []string  `json:"events"`
	Format    string    `json:"format"`
	Enabled   bool      `json:"enabled"`
	HasSecret bool      `json:"has_secret"`
	Created   time.Time `json:"created"`
	Updated   time.Time `json:"updated"`
}

// NewView renders a subscription.
func NewView(s *Subscription) View {
	return View{ID: s.ID, ProjectID: s.ProjectID, Name: s.Name, URL: s.URL, Events: s.EventList(), Format: s.Format,
		Enabled: s.Enabled, HasSecret: s.Secret != "", Created: s.Created, Updated: s.Updated}
}

// DeliveryView is one entry of the delivery log.
type DeliveryView struct {
	ID           int64      `json:"id"`
	EventID      string     `json:"event_id"`
	Event        string     `json:"event"`
	Status       string     `json:"status"`
	Attempts     int        `json:"attempts"`
	ResponseCode *int       `json:"response_code"`
	LastError    *string    `json:"last_error"`
	Created      time.Time  `json:"created"`
	NextAttempt  *time.Time `json:"next_attempt"`
	LastAttempt  *time.Time `json:"last_attempt"`
	Delivered    *time.Time `json:"delivered"`
}

// NewDeliveryView renders a delivery.
func NewDeliveryView(d *Delivery) DeliveryView {
	v := DeliveryView{ID: d.Seq, EventID: d.EventID, Event: d.Event, Status: d.Status, Attempts: d.Attempts,
		ResponseCode: d.ResponseCode, LastError: d.LastError, Created: d.Created, LastAttempt: d.LastAttempt, Delivered: d.Delivered}
	if d.Status == StatusPending {
		n := d.NextAttempt
		v.NextAttempt = &n
	}
	return v
}
