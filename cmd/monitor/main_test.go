package main

import (
	"bytes"
	"strings"
	"testing"
)

// --help exits 0 before anything else happens (no Redis, no database is
// configured here, so running the command would fail with exit 2) and
// lists the command and the environment variables.
func TestHelp(t *testing.T) {
	t.Setenv("REDIS_URL", "")
	t.Setenv("CELERY_BROKER_URL", "")
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}, {"run", "--help"}} {
		var out, errb bytes.Buffer
		if code := run(args, &out, &errb); code != 0 {
			t.Fatalf("%v: exit %d %q", args, code, errb.String())
		}
		for _, want := range []string{"Usage: monitor", "run", "CELERY_BROKER_URL", "REDIS_URL", "POSTGRESQL_HOST", "LOG_LEVEL", "MONITOR_BASIC_AUTH"} {
			if !strings.Contains(out.String(), want) {
				t.Fatalf("%v: help lacks %q:\n%s", args, want, out.String())
			}
		}
	}
	var out, errb bytes.Buffer
	if code := run(nil, &out, &errb); code != 2 {
		t.Fatalf("without Redis the command must refuse to start (exit 2), got %d %q", code, errb.String())
	}
}
