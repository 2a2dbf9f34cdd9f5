package mail

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestRecorderWait(t *testing.T) {
	r := &Recorder{}
	go func() {
		for _, s := range []string{"a", "b"} {
			_ = r.Send(context.Background(), Message{Subject: s})
		}
	}()
	got, err := r.Wait(t.Context(), 2)
	if err != nil || len(got) != 2 || got[1].Subject != "b" {
		t.Fatalf("wait: %v %v", got, err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	if got, err := r.Wait(ctx, 3); !errors.Is(err, context.DeadlineExceeded) || len(got) != 2 {
		t.Fatalf("wait for a third: %v %v", got, err)
	}
}

func TestLoggerKeepsLinksOutOfLogs(t *testing.T) {
	var b strings.Builder
	l := Logger{Log: slog.New(slog.NewTextHandler(&b, nil))}
	if err := l.Send(context.Background(), Message{To: []string{"a@example.com"}, Subject: "[Ibutsu] Password Recovery", Body: "http://ui/reset-password/SECRETCODE"}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "SECRETCODE") || !strings.Contains(b.String(), "Password Recovery") {
		t.Fatalf("log line %q", b.String())
	}
}
