package db

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"
)

func TestStatementLoggerRendersOnlyWhatItLogs(t *testing.T) {
	var buf bytes.Buffer
	l := newStatementLogger(slog.New(slog.NewJSONHandler(&buf, nil)), 50*time.Millisecond)
	rendered := 0
	fc := func() (string, int64) { rendered++; return "SELECT 1", 1 }
	ctx := context.Background()

	l.Trace(ctx, time.Now(), fc, nil)                    // fast, fine: silent
	l.Trace(ctx, time.Now(), fc, gorm.ErrRecordNotFound) // a 404, not a failure
	if rendered != 0 || buf.Len() != 0 {
		t.Fatalf("quiet statements rendered %d times, logged %q", rendered, buf.String())
	}
	l.Trace(ctx, time.Now().Add(-time.Second), fc, nil) // slow
	l.Trace(ctx, time.Now(), fc, context.DeadlineExceeded)
	if rendered != 2 {
		t.Fatalf("rendered %d times, want 2", rendered)
	}
	out := buf.String()
	for _, want := range []string{`"level":"WARN"`, `"msg":"slow SQL statement"`, `"level":"ERROR"`, `"error":"context deadline exceeded"`, `"sql":"SELECT 1"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s:\n%s", want, out)
		}
	}
}

func TestStatementLoggerLeavesValuesOut(t *testing.T) {
	d := openTestSQLite(t)
	var buf bytes.Buffer
	d.Gorm.Logger = newStatementLogger(slog.New(slog.NewTextHandler(&buf, nil)), time.Second)
	const secret = "hunter2-secret-value"
	err := d.Gorm.Exec("INSERT INTO no_such_table (x) VALUES (?)", secret).Error
	if err == nil {
		t.Fatal("insert into a missing table succeeded")
	}
	if !strings.Contains(buf.String(), "no_such_table") {
		t.Fatalf("failed statement not logged: %q", buf.String())
	}
	if strings.Contains(buf.String(), secret) {
		t.Fatalf("log holds the argument value: %q", buf.String())
	}
}
