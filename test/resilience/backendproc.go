package resilience

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// ChildEnv selects the role of a re-executed test binary: "backend" makes
// TestMain run the real backend (as cmd/backend does) instead of the tests.
const ChildEnv = "IBUTSU_RESILIENCE_CHILD"

// Backend is a backend running as a child process (the test binary
// re-executed with ChildEnv=backend), so a test can signal it, read its RSS
// and capture everything it logs.
type Backend struct {
	t       testing.TB
	Cmd     *exec.Cmd
	Port    int
	URL     string
	logPath string // stdout (access log) and stderr (application log)
	exited  chan struct{}
	// Err is the process's exit error, valid once Exited is closed.
	Err error
}

// StartBackend starts a backend configured by env (KEY=value, the variables
// cmd/backend reads) on a free port, and waits until it is ready. The
// process is this test binary (with the race detector, if the tests run
// with it).
func StartBackend(t testing.TB, env ...string) *Backend {
	t.Helper()
	return StartBackendBinary(t, os.Args[0], env...)
}

// StartBackendBinary is StartBackend with another build of this package's
// test binary (see BuildTestBinary).
func StartBackendBinary(t testing.TB, bin string, env ...string) *Backend {
	t.Helper()
	b := &Backend{t: t, Port: FreePort(t), exited: make(chan struct{})}
	b.URL = fmt.Sprintf("http://127.0.0.1:%d", b.Port)
	b.logPath = filepath.Join(t.TempDir(), "backend.log")
	f, err := os.Create(b.logPath)
	if err != nil {
		t.Fatal(err)
	}
	b.Cmd = exec.Command(bin, "-test.run=^$")
	b.Cmd.Env = append(os.Environ(), ChildEnv+"=backend", "HOST=127.0.0.1", "PORT="+strconv.Itoa(b.Port),
		"IBUTSU_DATA_DIR="+t.TempDir(), "LOG_FORMAT=json", "BCRYPT_LOG_ROUNDS=4")
	b.Cmd.Env = append(b.Cmd.Env, env...)
	b.Cmd.Stdout, b.Cmd.Stderr = f, f
	if err := b.Cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		b.Err = b.Cmd.Wait()
		close(b.exited)
	}()
	t.Cleanup(func() {
		b.Signal(syscall.SIGKILL)
		<-b.exited
		_ = f.Close()
		if t.Failed() {
			t.Logf("backend log (tail):\n%s", tail(b.Log(), 4000))
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(b.URL + "/api/health/ready")
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return b
			}
		}
		select {
		case <-b.exited:
			t.Fatalf("backend exited at start (%v):\n%s", b.Err, b.Log())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("backend not ready after 60s:\n%s", b.Log())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Signal sends sig to the process (if it is still running).
func (b *Backend) Signal(sig syscall.Signal) {
	select {
	case <-b.exited:
	default:
		_ = b.Cmd.Process.Signal(sig)
	}
}

// Exited is closed when the process has ended.
func (b *Backend) Exited() <-chan struct{} { return b.exited }

// Log returns everything the process wrote so far (stdout and stderr).
func (b *Backend) Log() string {
	out, _ := os.ReadFile(b.logPath)
	return string(out)
}

// RSS reads the process's resident set size in bytes from /proc.
func (b *Backend) RSS() (int64, error) { return b.status("VmRSS:") }

// PeakRSS reads the process's peak resident set size (VmHWM) in bytes.
func (b *Backend) PeakRSS() (int64, error) { return b.status("VmHWM:") }

// status reads one size field of /proc/<pid>/status in bytes.
func (b *Backend) status(field string) (int64, error) { return procStatus(b.Cmd.Process.Pid, field) }

// procStatus reads one size field ("VmRSS:", "VmHWM:") of a process's
// /proc/<pid>/status in bytes: every measure of a process's memory in
// this suite reads it here.
func procStatus(pid int, field string) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("read process memory: %w", err)
	}
	defer func() { _ = f.Close() }()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("parse %s %q: %w", field, rest, err)
			}
			return kb * 1024, nil
		}
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", field, pid)
}

// Metric reads one unlabelled sample (go_goroutines, go_memstats_heap_inuse_bytes…)
// from the backend's /metrics.
func (b *Backend) Metric(name string) (float64, error) {
	resp, err := http.Get(b.URL + "/metrics")
	if err != nil {
		return 0, fmt.Errorf("scrape metrics: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			return strconv.ParseFloat(strings.TrimSpace(rest), 64)
		}
	}
	return 0, fmt.Errorf("metric %s not found", name)
}

// Login posts email and password to /api/login and returns the token.
func (b *Backend) Login(email, password string) string {
	b.t.Helper()
	body, _ := json.Marshal(map[string]string{"email": email, "password": password})
	resp, err := http.Post(b.URL+"/api/login", "application/json", bytes.NewReader(body))
	if err != nil {
		b.t.Fatalf("login: %v", err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, _ := io.ReadAll(resp.Body)
	var out struct {
		Token string `json:"token"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(raw, &out) != nil || out.Token == "" {
		b.t.Fatalf("login: %d %s", resp.StatusCode, raw)
	}
	return out.Token
}

// Call sends one JSON request with the token and returns status and body.
func (b *Backend) Call(ctx context.Context, method, path, token string, body any) (int, []byte) {
	b.t.Helper()
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			b.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, b.URL+path, rd)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, raw
}

// BuildTestBinary compiles this package's tests without the race detector
// (go test -c), for a backend process whose memory and speed are those of
// production: the race detector's shadow memory would swamp a soak's RSS.
func BuildTestBinary(t testing.TB) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "resilience.test")
	cmd := exec.Command("go", "test", "-c", "-o", out, ".")
	var flags []string
	for _, f := range strings.Fields(os.Getenv("GOFLAGS")) {
		if f != "-race" {
			flags = append(flags, f)
		}
	}
	cmd.Env = append(os.Environ(), "GOFLAGS="+strings.Join(flags, " "))
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build the backend binary: %v\n%s", err, b)
	}
	return out
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
