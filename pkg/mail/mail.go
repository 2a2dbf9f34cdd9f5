// Package mail sends the few e-mails the server writes (account activation
// and password recovery) through a configurable SMTP server. Without one the
// message is dropped with a log line that leaves out the secret link.
// Senders depend on the Mailer interface so tests can record what would
// have been sent.
package mail

import (
	"context"
	"fmt"
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

// Logger stands in for SMTP when no server is configured: it logs that a
// message was not sent, without its body, because account e-mails carry
// secret links (activation, password reset) that must not end up in log
// storage. Upstream logged the link; here a superadmin activates such
// accounts (PUT /api/admin/user/{id}) or configures MAIL_SERVER.
type Logger struct{ Log *slog.Logger }

// Send logs that m was not sent.
func (l Logger) Send(ctx context.Context, m Message) error {
	l.Log.WarnContext(ctx, "no e-mail server configured (MAIL_SERVER); message not sent", "to", m.To, "subject", m.Subject)
	return nil
}

// Recorder keeps every message instead of sending it; tests inject it to
// read the links the server mails. Mail is sent by a background task, so
// tests Wait for it rather than read it right after the request.
type Recorder struct {
	mu   sync.Mutex
	sent []Message
	// more is closed (and replaced) whenever a message arrives.
	more chan struct{}
}

// Send records m.
func (r *Recorder) Send(_ context.Context, m Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, m)
	if r.more != nil {
		close(r.more)
		r.more = nil
	}
	return nil
}

// Sent returns a copy of the recorded messages, oldest first.
func (r *Recorder) Sent() []Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Message(nil), r.sent...)
}

// Wait blocks until at least n messages were recorded, then returns them
// all; it gives up with ctx's error.
func (r *Recorder) Wait(ctx context.Context, n int) ([]Message, error) {
	for {
		r.mu.Lock()
		if len(r.sent) >= n {
			out := append([]Message(nil), r.sent...)
			r.mu.Unlock()
			return out, nil
		}
		if r.more == nil {
			r.more = make(chan struct{})
		}
		more := r.more
		r.mu.Unlock()
		select {
		case <-more:
		case <-ctx.Done():
			return r.Sent(), fmt.Errorf("waiting for e-mail %d: %w", n, ctx.Err())
		}
	}
}
