package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"log/slog"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
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
	errb.Reset()
	if code := Main("backend", []string{"--help"}, &out, &errb, fail); code != 0 || !strings.Contains(errb.String(), "DATABASE_URL") {
		t.Fatalf("--help: %d %q", code, errb.String())
	}
}

// Help never runs the command or loads the configuration (a bad PORT would
// exit 2): --help, -h, `help`, `help cmd`, `cmd --help` all exit 0.
func TestProgramHelpRunsNothing(t *testing.T) {
	t.Setenv("PORT", "eighty")
	ran := false
	p := Program{Name: "tool", Summary: "A tool.", Commands: []Command{
		{Name: "serve", Summary: "serve things", Run: func(context.Context, Env) error { ran = true; return nil }},
		{Name: "fix", Summary: "fix a thing", Flags: func(fs *flag.FlagSet) RunFunc {
			fs.String("thing", "", "the thing to fix")
			return func(context.Context, Env) error { ran = true; return nil }
		}},
	}}
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}, {"help", "fix"}, {"fix", "--help"}, {"fix", "--thing", "x", "-h"}, {"serve", "--help"}, {"--help", "fix"}} {
		var out, errb bytes.Buffer
		if code := p.Exec(args, &out, &errb); code != 0 || ran {
			t.Fatalf("%v: exit %d, ran=%v, %q", args, code, ran, errb.String())
		}
		if !strings.Contains(out.String(), "Usage: tool") || !strings.Contains(out.String(), "PORT") {
			t.Fatalf("%v: %s", args, out.String())
		}
	}
	var out, errb bytes.Buffer
	if p.Exec([]string{"help", "fix"}, &out, &errb); !strings.Contains(out.String(), "-thing") {
		t.Fatalf("command help lacks its flags: %s", out.String())
	}
	out.Reset()
	if p.Exec([]string{"--help"}, &out, &errb); !strings.Contains(out.String(), "serve") || !strings.Contains(out.String(), "fix a thing") {
		t.Fatalf("program help lacks commands: %s", out.String())
	}
	// Without help the configuration is loaded: the bad PORT stops it.
	errb.Reset()
	if code := p.Exec([]string{"fix", "--thing", "x"}, &out, &errb); code != 2 || ran || !strings.Contains(errb.String(), "PORT") {
		t.Fatalf("bad config: %d ran=%v %q", code, ran, errb.String())
	}
	t.Setenv("PORT", "8080")
	if code := p.Exec([]string{"fix", "--thing", "x"}, &out, &errb); code != 0 || !ran {
		t.Fatalf("fix: %d ran=%v", code, ran)
	}
	for _, args := range [][]string{{"nope"}, {"serve", "extra"}, {"fix", "--nope"}} {
		errb.Reset()
		if code := p.Exec(args, &out, &errb); code != 2 || !strings.Contains(errb.String(), "--help") {
			t.Fatalf("%v: %d %q", args, code, errb.String())
		}
	}
}

// A daemon's run command is the default and receives the loaded
// configuration and logger; its error decides the exit code like Main's.
func TestDaemonRunsWithConfigAndLog(t *testing.T) {
	t.Setenv("PORT", "8081")
	var gotPort int
	p := Daemon("svc", "A service.", "serve until SIGTERM", func(_ context.Context, cfg *config.Config, log *slog.Logger) error {
		if log == nil {
			return errors.New("no logger")
		}
		gotPort = cfg.HTTP.Port
		return nil
	})
	for _, args := range [][]string{nil, {"run"}} {
		gotPort = 0
		var out, errb bytes.Buffer
		if code := p.Exec(args, &out, &errb); code != 0 || gotPort != 8081 {
			t.Fatalf("%v: exit %d, port %d, %q", args, code, gotPort, errb.String())
		}
	}
	var out, errb bytes.Buffer
	if code := p.Exec([]string{"--help"}, &out, &errb); code != 0 || !strings.Contains(out.String(), "Usage: svc") || !strings.Contains(out.String(), "serve until SIGTERM (the default)") {
		t.Fatalf("--help: %d\n%s", code, out.String())
	}
	fail := Daemon("svc", "A service.", "serve", func(context.Context, *config.Config, *slog.Logger) error { return errors.New("boom") })
	if code := fail.Exec(nil, &out, &errb); code != 1 || !strings.Contains(errb.String(), "svc: boom") {
		t.Fatalf("failing run: %d %q", code, errb.String())
	}
}
