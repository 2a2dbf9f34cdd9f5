package main

import (
	"context"
	"regexp"
	"testing"
	"testing/fstest"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/backend"
	"github.com/ibutsu-go/ibutsu/pkg/mail"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

var linkRe = regexp.MustCompile(`https?://\S+`)

// PORT alone (no BACKEND_URL/FRONTEND_URL) moves every URL the server hands
// out: /api/health/info and the links in activation and recovery e-mail.
func TestPortAloneMovesPublicURLs(t *testing.T) {
	t.Setenv("PORT", "9191")
	t.Setenv("BACKEND_URL", "")
	t.Setenv("FRONTEND_URL", "")
	ui := fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>Ibutsu UI</title>")}}
	e := backendtest.New(t, backendtest.Options{App: []backend.Option{backend.WithUI(ui)}})

	r := e.Do("GET", "/api/health/info", nil, e.AdminToken)
	info := r.Map()
	if r.Code != 200 || info["backend"] != "http://127.0.0.1:9191" || info["frontend"] != "http://127.0.0.1:9191" || info["api_ui"] != "http://127.0.0.1:9191/api/ui/" {
		t.Fatalf("health info with PORT=9191: %d %v", r.Code, info)
	}

	if r := e.Do("POST", "/api/login/register", map[string]any{"email": "new@example.com", "password": "new-password"}, ""); r.Code != 201 {
		t.Fatalf("register: %d %s", r.Code, r.Body)
	}
	if r := e.Do("POST", "/api/login/recover", map[string]any{"email": "user@example.com"}, ""); r.Code != 201 && r.Code != 200 {
		t.Fatalf("recover: %d %s", r.Code, r.Body)
	}
	sent := waitMails(t, e.Mail, 2)
	want := regexp.MustCompile(`^http://127\.0\.0\.1:9191/(api/login/activate|reset-password)/\S+$`)
	for _, m := range sent {
		link := linkRe.FindString(m.Body)
		if !want.MatchString(link) {
			t.Fatalf("%q: link %q does not follow PORT", m.Subject, link)
		}
	}
}

func waitMails(t *testing.T, rec *mail.Recorder, n int) []mail.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	sent, err := rec.Wait(ctx, n)
	if err != nil {
		t.Fatalf("waiting for %d e-mails: %v (got %d)", n, err, len(rec.Sent()))
	}
	return sent
}
