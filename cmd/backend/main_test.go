package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

func exec(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestHelpListsCommandsAndEnvironment(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}, {"--config", "nope.yaml", "--help"}} {
		code, out, errs := exec(t, "", args...)
		if code != 0 {
			t.Fatalf("%v: exit %d, stderr %q", args, code, errs)
		}
		for _, want := range []string{"serve", "migrate", "reset-password", "--config",
			"PORT", "DATABASE_URL", "POSTGRESQL_HOST", "JWT_SECRET", "CELERY_BROKER_URL", "IBUTSU_SUPERADMIN_PASSWORD", "BACKEND_URL", "MONITOR_HOST"} {
			if !strings.Contains(out, want) {
				t.Fatalf("%v: help lacks %q:\n%s", args, want, out)
			}
		}
	}
	// Every variable the configuration reads is listed (generated, not copied).
	_, out, _ := exec(t, "", "--help")
	for _, name := range config.EnvNames() {
		if !regexp.MustCompile(`\b` + regexp.QuoteMeta(name) + `\b`).MatchString(out) {
			t.Errorf("help lacks %s", name)
		}
	}
	code, out, _ := exec(t, "", "reset-password", "--help")
	if code != 0 || !strings.Contains(out, "-email") || !strings.Contains(out, "-password-stdin") || !strings.Contains(out, "BCRYPT_LOG_ROUNDS") {
		t.Fatalf("reset-password --help: %d\n%s", code, out)
	}
	if code, out, _ := exec(t, "", "help", "reset-password"); code != 0 || !strings.Contains(out, "-password-stdin") {
		t.Fatalf("help reset-password: %d\n%s", code, out)
	}
	if code, _, errs := exec(t, "", "nosuch"); code != 2 || !strings.Contains(errs, "unknown command") {
		t.Fatalf("unknown command: %d %q", code, errs)
	}
	if code, _, errs := exec(t, "", "migrate", "extra"); code != 2 || !strings.Contains(errs, "unexpected argument") {
		t.Fatalf("stray argument: %d %q", code, errs)
	}
}

// publicTables counts the tables in the database dsn points at.
func publicTables(t *testing.T, dsn string) int {
	t.Helper()
	d, err := db.Open(context.Background(), config.Database{URL: dsn, MaxOpenConns: 1, MaxIdleConns: 1, StatementTimeout: 0}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = d.Close() }()
	var n int
	if err := d.SQL.QueryRow("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// No command's --help does anything: `backend migrate --help` pointed at an
// empty PostgreSQL database leaves it empty, and `serve --help` neither
// migrates nor listens.
func TestSubcommandHelpDoesNothing(t *testing.T) {
	dsn := testenv.NewPostgresDatabase(t)
	t.Setenv("DATABASE_URL", dsn)
	t.Setenv("JWT_SECRET", "test-secret")
	t.Setenv("IBUTSU_SUPERADMIN_EMAIL", "")
	for _, args := range [][]string{{"migrate", "--help"}, {"migrate", "-h"}, {"help", "migrate"}, {"serve", "--help"}, {"--help", "migrate"}, {"reset-password", "--email", "a@b.c", "--help"}} {
		code, out, errs := exec(t, "", args...)
		if code != 0 || !strings.Contains(out, "Usage: backend") {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out, errs)
		}
		if n := publicTables(t, dsn); n != 0 {
			t.Fatalf("%v touched the database: %d tables", args, n)
		}
	}
	// The control: without --help, migrate does migrate this database.
	if code, _, errs := exec(t, "", "migrate"); code != 0 {
		t.Fatalf("migrate: %d %s", code, errs)
	}
	if n := publicTables(t, dsn); n == 0 {
		t.Fatal("migrate created no tables")
	}
}

// A lost superadmin password is reset from the command line, and the new
// password logs in through the real login endpoint while the old one no
// longer does.
func TestResetPasswordLogsIn(t *testing.T) {
	e := backendtest.New(t, backendtest.Options{})
	t.Setenv("DATABASE_URL", e.App.Config.Database.URL)
	t.Setenv("BCRYPT_LOG_ROUNDS", "4")
	login := func(password string) int {
		t.Helper()
		return e.Do("POST", "/api/login", map[string]any{"email": "admin@example.com", "password": password}, "").Code
	}
	if c := login("admin-password"); c != 200 {
		t.Fatalf("login before reset: %d", c)
	}

	code, out, errs := exec(t, "chosen-password-1\n", "reset-password", "--email", "Admin@Example.com", "--password-stdin")
	if code != 0 || !strings.Contains(out, "changed") {
		t.Fatalf("reset from stdin: %d %q %q", code, out, errs)
	}
	if c := login("chosen-password-1"); c != 200 {
		t.Fatalf("new password does not log in: %d", c)
	}
	if c := login("admin-password"); c != 401 {
		t.Fatalf("old password still logs in: %d", c)
	}

	code, out, errs = exec(t, "", "reset-password", "--email", "admin@example.com")
	m := regexp.MustCompile(`New password for admin@example.com: (\S+)`).FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("generated reset: %d %q %q", code, out, errs)
	}
	if c := login(m[1]); c != 200 {
		t.Fatalf("generated password does not log in: %d", c)
	}
	if c := login("chosen-password-1"); c != 401 {
		t.Fatalf("previous password still logs in: %d", c)
	}

	// Unknown user, missing --email, empty password: refused, nothing changed.
	if code, _, errs := exec(t, "x\n", "reset-password", "--email", "nobody@example.com", "--password-stdin"); code != 1 || !strings.Contains(errs, "no user") {
		t.Fatalf("unknown user: %d %q", code, errs)
	}
	if code, _, errs := exec(t, "", "reset-password"); code != 1 || !strings.Contains(errs, "--email") {
		t.Fatalf("missing --email: %d %q", code, errs)
	}
	if code, _, errs := exec(t, "\n", "reset-password", "--email", "admin@example.com", "--password-stdin"); code != 1 || !strings.Contains(errs, "empty") {
		t.Fatalf("empty password: %d %q", code, errs)
	}
	if c := login(m[1]); c != 200 {
		t.Fatalf("a refused reset changed the password: %d", c)
	}
}
