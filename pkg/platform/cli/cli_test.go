package cli

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

func TestMainExitCodes(t *testing.T) {
	ok := func(context.Context, Env) error { return nil }
	var out, errb bytes.Buffer
	if code := Main("backend", []string{"--version"}, &out, &errb, ok); code != 0 || !strings.HasPrefix(out.String(), "ibutsu backend ") {
		t.Fatalf("--version: %d %q", code, out.String())
	}

	t.Setenv("PORT", "eighty")
	errb.Reset()
	if code := Main("backend", nil, &out, &errb, ok); code != 2 || strings.Count(errb.String(), "\n") != 1 || !strings.Contains(errb.String(), "PORT:") {
		t.Fatalf("bad PORT: %d %q", code, errb.String())
	}
	t.Setenv("PORT", "8080")

	requireRedis := func(_ context.Context, env Env) error { return env.Config.Require("worker") }
	errb.Reset()
	if code := Main("worker", nil, &out, &errb, requireRedis); code != 2 || !strings.Contains(errb.String(), "REDIS_URL/CELERY_BROKER_URL") {
		t.Fatalf("worker without Redis: %d %q", code, errb.String())
	}

	errb.Reset()
	fail := func(context.Context, Env) error { return errors.New("boom") }
	if code := Main("worker", nil, &out, &errb, fail); code != 1 || !strings.Contains(errb.String(), "boom") {
		t.Fatalf("runtime failure: %d %q", code, errb.String())
	}
	if code := Main("backend", []string{"--nope"}, &out, &errb, ok); code != 2 {
		t.Fatalf("unknown flag: %d", code)
	}
}
