package resilience

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Postgres is a private PostgreSQL cluster in a temporary directory, on its
// own port, that a test may stop, kill and start again. The shared test
// server (IBUTSU_TEST_DATABASE_URL) is never touched.
type Postgres struct {
	t    testing.TB
	bin  string // directory of initdb, pg_ctl and postgres
	base string // owns data/, the log and the socket
	Port int
	// runAs is "postgres" when the test runs as root (initdb refuses root).
	runAs string
}

// StartPostgres creates and starts a private cluster; it is stopped and
// removed when the test ends.
func StartPostgres(t testing.TB) *Postgres {
	t.Helper()
	bin := postgresBin()
	need(t, bin != "", "no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin or on PATH")
	p := &Postgres{t: t, bin: bin, Port: FreePort(t)}
	// Not t.TempDir(): its parents are private to root, and the postgres
	// user must reach the data directory.
	base, err := os.MkdirTemp("", "ibutsu-resilience-pg-")
	if err != nil {
		t.Fatal(err)
	}
	p.base = base
	t.Cleanup(func() { _ = os.RemoveAll(base) })
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		need(t, err == nil, "running as root and there is no postgres OS user to run initdb as")
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(base, uid, gid); err != nil {
			t.Fatal(err)
		}
		p.runAs = "postgres"
	}
	if out, err := p.command("initdb", "-D", p.dataDir(), "-U", "postgres", "-A", "trust", "-E", "UTF8",
		"--locale=C", "--no-sync", "--no-instructions").CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	if err := p.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := p.Stop("immediate"); err != nil {
			t.Logf("stop private PostgreSQL: %v", err)
		}
	})
	return p
}

// postgresBin finds the newest installed server binaries.
func postgresBin() string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) < versionOf(dirs[j]) })
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "pg_ctl")); err == nil {
			return dirs[i]
		}
	}
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if _, err := exec.LookPath("initdb"); err == nil {
			return filepath.Dir(p)
		}
	}
	return ""
}

func versionOf(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

func (p *Postgres) dataDir() string { return filepath.Join(p.base, "data") }

// command runs one of the server binaries, as the postgres user under root.
func (p *Postgres) command(name string, args ...string) *exec.Cmd {
	path := filepath.Join(p.bin, name)
	if p.runAs != "" {
		return exec.Command("runuser", append([]string{"-u", p.runAs, "--", path}, args...)...)
	}
	return exec.Command(path, args...)
}

// Start starts the server and waits until it accepts connections.
func (p *Postgres) Start() error {
	opts := strings.Join([]string{
		"-p", strconv.Itoa(p.Port), "-k", p.base,
		"-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200",
		// Tests need no durability against OS crashes, only process crashes,
		// which the page cache survives.
		"-c", "fsync=off", "-c", "full_page_writes=off",
	}, " ")
	out, err := p.command("pg_ctl", "start", "-w", "-t", "60", "-D", p.dataDir(),
		"-l", filepath.Join(p.base, "server.log"), "-o", opts).CombinedOutput()
	if err != nil {
		log, _ := os.ReadFile(filepath.Join(p.base, "server.log"))
		return fmt.Errorf("start private PostgreSQL: %w\n%s\n%s", err, out, log)
	}
	return nil
}

// Stop stops the server: mode "fast" (clean) or "immediate" (like a crash:
// every backend is killed and the next start runs crash recovery).
func (p *Postgres) Stop(mode string) error {
	out, err := p.command("pg_ctl", "stop", "-w", "-t", "60", "-m", mode, "-D", p.dataDir()).CombinedOutput()
	if err != nil && !strings.Contains(string(out), "not running") && !strings.Contains(string(out), "PID file") {
		return fmt.Errorf("stop private PostgreSQL: %w: %s", err, out)
	}
	return nil
}

// DSN is the URL of database name on the private server.
func (p *Postgres) DSN(name string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", p.Port, name)
}

// CreateDatabase adds an empty database and returns its URL.
func (p *Postgres) CreateDatabase(name string) string {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, p.DSN("postgres"))
	if err != nil {
		p.t.Fatalf("connect to private PostgreSQL: %v", err)
	}
	defer func() { _ = conn.Close(ctx) }()
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		p.t.Fatalf("create database: %v", err)
	}
	return p.DSN(name)
}
