// Package mail sends the few e-mails the server writes (account activation
// and password recovery) through a configurable SMTP server. Without one the
// message is logged instead, as upstream does, so a development server still
// shows the link. Handlers depend on the Mailer interface so tests can record
// what would have been sent.
package mail

import (
	"context"
	"log/slog"
	"sync"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
)

// Message is one plain-text e-mail.
type Message struct {
	To      []string
	Subject string
	Body    string
}

// Mailer delivers messages.
type Mailer interface {
	Send(ctx context.Context, m Message) error
}

// New returns the SMTP mailer when a server is configured, else a mailer
// that only logs.
func New(cfg config.Mail, log *slog.Logger) Mailer {
	if cfg.Enabled() {
		return NewSMTP(cfg)
	}
	return Logger{Log: log}
}

// Logger "sends" by logging: the no-SMTP fallback, so an operator finds the
// activation or reset link in the server log.
type Logger struct{ Log *slog.Logger }

// Send logs m.
func (l Logger) Send(ctx context.Context, m Message) error {
	l.Log.InfoContext(ctx, "no e-mail server configured (MAIL_SERVER); message not sent", "to", m.To, "subject", m.Subject, "body", m.Body)
	return nil
}

// Recorder keeps every message instead of sending it; tests inject it to
// read the links the server mails.
type Recorder struct {
	mu   sync.Mutex
	sent []Message
}

// Send records m.
func (r *Recorder) Send(_ context.Context, m Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, m)
	return nil
}

// Sent returns a copy of the recorded messages, oldest first.
func (r *Recorder) Sent() []Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Message(nil), r.sent...)
}
