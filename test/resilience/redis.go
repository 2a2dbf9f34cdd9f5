package resilience

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// Redis is a private redis-server on its own port that a test may stop and
// start again. With Persist it keeps an append-only file (fsync on every
// write) in a temporary directory, so data survives a restart; without it,
// like the CI Redis, a restart loses everything.
type Redis struct {
	t       testing.TB
	Port    int
	dir     string
	persist bool
	extra   []string
	cmd     *exec.Cmd
}

// StartRedis starts a private Redis, stopped when the test ends. extra are
// more redis-server arguments (e.g. "--requirepass", pw).
func StartRedis(t testing.TB, persist bool, extra ...string) *Redis {
	t.Helper()
	_, err := exec.LookPath("redis-server")
	need(t, err == nil, "no redis-server binary on PATH")
	r := &Redis{t: t, Port: FreePort(t), dir: t.TempDir(), persist: persist, extra: extra}
	if err := r.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Stop() })
	return r
}

// URL is the redis:// URL of database 0.
func (r *Redis) URL() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", r.Port) }

// Start runs redis-server and waits until it accepts connections.
func (r *Redis) Start() error {
	args := []string{"--port", strconv.Itoa(r.Port), "--bind", "127.0.0.1", "--dir", r.dir,
		"--save", "", "--daemonize", "no", "--logfile", "redis.log"}
	if r.persist {
		args = append(args, "--appendonly", "yes", "--appendfsync", "always")
	} else {
		args = append(args, "--appendonly", "no")
	}
	r.cmd = exec.Command("redis-server", append(args, r.extra...)...)
	r.cmd.Dir = r.dir
	if err := r.cmd.Start(); err != nil {
		return fmt.Errorf("start private Redis: %w", err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(r.Port)), time.Second)
		if err == nil {
			_ = c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(r.dir + "/redis.log")
			return fmt.Errorf("private Redis did not start: %w\n%s", err, log)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Stop shuts Redis down with SIGTERM (it flushes its append-only file, if
// any, and exits) and waits for the process.
func (r *Redis) Stop() {
	if r.cmd == nil || r.cmd.Process == nil {
		return
	}
	_ = r.cmd.Process.Signal(syscall.SIGTERM)
	_ = r.cmd.Wait()
	r.cmd = nil
}
