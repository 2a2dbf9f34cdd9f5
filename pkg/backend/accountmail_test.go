package backend_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/backend"
	"github.com/ibutsu-go/ibutsu/pkg/mail"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/logbuf"
)

// gateMailer blocks every Send until open is closed, failing the first
// `fail` attempts, then records into rec.
type gateMailer struct {
	open    chan struct{}
	entered chan struct{}
	once    sync.Once
	mu      sync.Mutex
	fail    int
	rec     *mail.Recorder
}

func (g *gateMailer) Send(ctx context.Context, m mail.Message) error {
	g.once.Do(func() { close(g.entered) })
	select {
	case <-g.open:
	case <-ctx.Done():
		return ctx.Err()
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.fail > 0 {
		g.fail--
		return errors.New("451 mail server busy")
	}
	return g.rec.Send(ctx, m)
}

// TestAccountMailIsQueued: registration and recovery answer while the
// mail server hangs, a failed delivery is retried, and neither the task
// nor the logs carry the secret link.
func TestAccountMailIsQueued(t *testing.T) {
	cfg := backendtest.Config(t, backendtest.Options{SQLite: true})
	var logs logbuf.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	app, err := backend.New(context.Background(), cfg, log, backendtest.Quiet())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = app.Close() })
	rec := &mail.Recorder{}
	gate := &gateMailer{open: make(chan struct{}), entered: make(chan struct{}), fail: 1, rec: rec}
	app.Mailer = gate
	e := &backendtest.Env{T: t, App: app, Mail: rec}

	r := e.Do("POST", "/api/login/register", map[string]any{"email": "slow@example.com", "password": "pw"}, "")
	if r.Code != 201 {
		t.Fatalf("register: %d %s", r.Code, r.Body)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	select {
	case <-gate.entered: // the task is talking to the "server" now; the request has returned
	case <-ctx.Done():
		t.Fatal("the mail task never ran")
	}
	if n := len(rec.Sent()); n != 0 {
		t.Fatalf("%d mails before the server answered", n)
	}
	close(gate.open) // the first attempt fails, the retry (after ~1 s) delivers
	sent, err := rec.Wait(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	u, err := app.Users.ByEmail(ctx, "slow@example.com")
	if err != nil || u.ActivationCode == nil {
		t.Fatalf("user %v %v", u, err)
	}
	if sent[0].To[0] != "slow@example.com" || !strings.Contains(sent[0].Body, "/api/login/activate/"+*u.ActivationCode) {
		t.Fatalf("mail %+v", sent[0])
	}
	if !strings.Contains(logs.String(), "451 mail server busy") {
		t.Fatalf("the failed attempt is not logged:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), *u.ActivationCode) {
		t.Fatalf("the activation code is in the logs:\n%s", logs.String())
	}

	// Recovery is queued the same way; the mail carries the current code.
	// (An account still waiting for activation would get a new activation
	// link instead, so activate it first.)
	if r = e.Do("GET", "/api/login/activate/"+*u.ActivationCode, nil, ""); r.Code != 302 || !strings.Contains(r.Header().Get("Location"), "st=success") {
		t.Fatalf("activate: %d %s", r.Code, r.Header().Get("Location"))
	}
	if r = e.Do("POST", "/api/login/recover", map[string]any{"email": "slow@example.com"}, ""); r.Code != 201 {
		t.Fatalf("recover: %d %s", r.Code, r.Body)
	}
	if sent, err = rec.Wait(ctx, 2); err != nil {
		t.Fatal(err)
	}
	u, _ = app.Users.ByEmail(ctx, "slow@example.com")
	if sent[1].Subject != "[Ibutsu] Password Recovery" || !strings.HasSuffix(strings.TrimSpace(linkRe.FindString(sent[1].Body)), "/reset-password/"+*u.ActivationCode) {
		t.Fatalf("recovery mail %+v", sent[1])
	}
	if strings.Contains(logs.String(), *u.ActivationCode) {
		t.Fatalf("the reset code is in the logs")
	}
}

// TestAccountMailThroughRedisWorker sends the activation mail the
// production way: the backend enqueues into Redis, an asynq worker sends.
func TestAccountMailThroughRedisWorker(t *testing.T) {
	e := backendtest.New(t, backendtest.Options{Redis: true, Configure: func(c *config.Config) {
		c.Tasks.Queue = "mail-" + uuid.NewString()[:8]
	}})
	e.StartWorker(2)
	if r := e.Do("POST", "/api/login/register", map[string]any{"email": "queued@example.com", "password": "pw"}, ""); r.Code != 201 {
		t.Fatalf("register: %d %s", r.Code, r.Body)
	}
	link := lastLink(t, e, 1)
	if r := e.Do("GET", strings.TrimPrefix(link, "http://127.0.0.1:8080"), nil, ""); r.Code != 302 || !strings.Contains(r.Header().Get("Location"), "st=success") {
		t.Fatalf("activate: %d %v", r.Code, r.Header())
	}
}
