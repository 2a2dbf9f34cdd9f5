// Package climain holds the check every background binary's main_test.go
// makes of its command line (cli.Daemon): help answers before anything
// starts, and a missing Redis stops the command with exit 2.
package climain

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/platform/cli"
)

// CheckDaemon runs p's command line as its binary would. --help, -h, `help`
// and `run --help` must exit 0 before anything else happens (no Redis, no
// database is configured here, so running the command would exit 2) and
// list the command, the shared environment variables and want (the
// binary's own); without Redis the command must refuse to start (exit 2).
func CheckDaemon(t *testing.T, p cli.Program, want ...string) {
	t.Helper()
	t.Setenv("REDIS_URL", "")
	t.Setenv("CELERY_BROKER_URL", "")
	want = append([]string{"Usage: " + p.Name, "run", "CELERY_BROKER_URL", "REDIS_URL", "POSTGRESQL_HOST", "LOG_LEVEL"}, want...)
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}, {"run", "--help"}} {
		var out, errb bytes.Buffer
		if code := p.Exec(args, &out, &errb); code != 0 {
			t.Fatalf("%v: exit %d %q", args, code, errb.String())
		}
		for _, w := range want {
			if !strings.Contains(out.String(), w) {
				t.Fatalf("%v: help lacks %q:\n%s", args, w, out.String())
			}
		}
	}
	var out, errb bytes.Buffer
	if code := p.Exec(nil, &out, &errb); code != 2 {
		t.Fatalf("without Redis the command must refuse to start (exit 2), got %d %q", code, errb.String())
	}
}
