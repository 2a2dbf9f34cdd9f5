package resilience

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

// bigImportSizeEnv sets the JUnit file's size in MiB (docs/performance.md).
// CI imports bigImportDefaultMB, which takes well under a minute on two
// cores; IBUTSU_BIG_IMPORT_MB=500 is the full-size run (a few minutes).
const bigImportSizeEnv = "IBUTSU_BIG_IMPORT_MB"

const (
	bigImportDefaultMB = 50
	// bigImportRSSLimit bounds each process's peak RSS over its baseline
	// once started (bigImportResetPeak) whatever the file's size: the
	// importer streams, so the bound does not grow with it.
	bigImportRSSLimit = 64 << 20
	bigImportAdmin    = "admin@example.com"
	bigImportPassword = "admin-password"
)

// TestBigJUnitImportKeepsRSSFlat uploads a JUnit file of
// IBUTSU_BIG_IMPORT_MB MiB (default 50), generated while it is sent (the
// test never holds it), to a production build of cmd/backend that queues
// the import for a cmd/worker process through Redis. It waits for the import
// to be done, checks that the run counts every generated test case, and
// requires both processes' peak RSS (VmHWM) during the import to stay
// under 64 MiB over their baseline once started.
func TestBigJUnitImportKeepsRSSFlat(t *testing.T) {
	mb := bigImportDefaultMB
	if v := os.Getenv(bigImportSizeEnv); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("%s=%q: want a positive number of MiB", bigImportSizeEnv, v)
		}
		mb = n
	}
	size := int64(mb) << 20
	bin := bigImportBuild(t)
	env := []string{"DATABASE_URL=" + testenv.NewPostgresDatabase(t), "REDIS_URL=" + testenv.RedisURL(t),
		"TASK_QUEUE=big-" + uuid.NewString()[:8], "HOST=127.0.0.1", "JWT_SECRET=bigimport-secret",
		"IBUTSU_SUPERADMIN_EMAIL=" + bigImportAdmin, "IBUTSU_SUPERADMIN_PASSWORD=" + bigImportPassword,
		"BCRYPT_LOG_ROUNDS=4", "IBUTSU_DATA_DIR=" + t.TempDir(), "LOG_FORMAT=text"}
	port := FreePort(t)
	be := bigImportStart(t, bin, "backend", append(env, "PORT="+strconv.Itoa(port)))
	base := fmt.Sprintf("http://127.0.0.1:%d/api", port)
	bigImportWaitUp(t, base+"/health", 2*time.Minute)
	wk := bigImportStart(t, bin, "worker", append(env, "WORKER_HEALTH_PORT="+strconv.Itoa(FreePort(t))))
	token := bigImportLogin(t, base)
	beBase, wkBase := bigImportResetPeak(t, be.Process.Pid), bigImportResetPeak(t, wk.Process.Pid)

	start := time.Now()
	body, contentType, gen := bigImportBody(size)
	req, err := http.NewRequest(http.MethodPost, base+"/import", body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("upload: %d %s", resp.StatusCode, b)
	}
	uploaded := time.Since(start)
	<-gen.done
	var imp map[string]any
	if err := json.Unmarshal(b, &imp); err != nil {
		t.Fatalf("upload answer %s: %v", b, err)
	}
	id, _ := imp["id"].(string)
	// A generous deadline that grows with the file: 2 minutes plus 2 s per MiB.
	deadline := start.Add(2*time.Minute + time.Duration(mb)*2*time.Second)
	for {
		imp = bigImportGet(t, base+"/import/"+id, token)
		if st := imp["status"]; st == "done" || st == "error" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("import not done after %s: %v", time.Since(start).Round(time.Second), imp)
		}
		time.Sleep(200 * time.Millisecond)
	}
	took := time.Since(start)
	if imp["status"] != "done" {
		t.Fatalf("import failed: %v", imp)
	}
	md, _ := imp["metadata"].(map[string]any)
	runIDs, _ := md["run_id"].([]any)
	if len(runIDs) != 1 {
		t.Fatalf("import metadata names no run: %v", imp)
	}
	run := bigImportGet(t, base+"/run/"+fmt.Sprint(runIDs[0]), token)
	summary, _ := run["summary"].(map[string]any)
	if got, want := summary["tests"], float64(gen.cases); got != want {
		t.Errorf("run summary counts %v tests, the file held %v", got, want)
	}
	beRSS, wkRSS := bigImportPeakRSS(t, be.Process.Pid), bigImportPeakRSS(t, wk.Process.Pid)
	t.Logf("%d MiB JUnit import (%d bytes sent, %d test cases): upload %s (202), upload→done %s",
		mb, gen.sent, gen.cases, uploaded.Round(time.Millisecond), took.Round(time.Millisecond))
	t.Logf("peak RSS (VmHWM): backend %.1f MiB (baseline %.1f), worker %.1f MiB (baseline %.1f); limit %d MiB over baseline each",
		mib(beRSS), mib(beBase), mib(wkRSS), mib(wkBase), bigImportRSSLimit>>20)
	if beRSS-beBase >= bigImportRSSLimit || wkRSS-wkBase >= bigImportRSSLimit {
		t.Errorf("peak RSS over baseline beyond %d MiB", bigImportRSSLimit>>20)
	}
}

// bigImportGen counts what bigImportBody wrote; read it once done is
// closed.
type bigImportGen struct {
	sent  int64
	cases int
	done  chan struct{}
}

// bigImportBody streams a multipart form whose JUnit file has size bytes
// of XML (give or take a test case), written as the request reads it; the
// metadata field comes after the file. One case in ten fails with a
// traceback, and every case carries about 5 KB of captured output.
func bigImportBody(size int64) (io.Reader, string, *bigImportGen) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	gen := &bigImportGen{done: make(chan struct{})}
	go func() {
		defer close(gen.done)
		fw, err := mw.CreateFormFile("importFile", "big.xml")
		if err != nil {
			pw.CloseWithError(err)
			return
		}
		w := bufio.NewWriterSize(fw, 64<<10)
		out := strings.Repeat("log line of a chatty test, with a timestamp 2026-11-29T07:00:00Z and some detail\n", 60)
		put := func(s string) {
			n, _ := w.WriteString(s)
			gen.sent += int64(n)
		}
		put(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<testsuites>\n")
		for s := 0; gen.sent < size; s++ {
			put(fmt.Sprintf(`<testsuite name="suite%d" tests="100" failures="10" time="10">`+"\n", s))
			for i := 0; i < 100; i++ {
				put(fmt.Sprintf(`<testcase classname="pkg.mod%d.TestX" name="test_%d" time="0.1">`, s, i))
				if i%10 == 0 {
					put(`<failure message="assert 1 == 2">Traceback (most recent call last):
  File "test_x.py", line 10, in test
AssertionError</failure>`)
				}
				put("<system-out>" + out + "</system-out></testcase>\n")
				gen.cases++
			}
			put("</testsuite>\n")
		}
		put("</testsuites>\n")
		if err := w.Flush(); err != nil {
			pw.CloseWithError(err)
			return
		}
		if err := mw.WriteField("metadata", `{"build": "big"}`); err != nil {
			pw.CloseWithError(err)
			return
		}
		pw.CloseWithError(mw.Close())
	}()
	return pr, mw.FormDataContentType(), gen
}

// bigImportResetPeak resets a started process's peak RSS to its current
// RSS (clear_refs, Linux 4.0+) and returns that baseline: the binary's
// pages, the pools and caches it keeps, without the start's transient
// peak. Where the reset is refused, the baseline is the start's peak.
func bigImportResetPeak(t *testing.T, pid int) int64 {
	t.Helper()
	if err := os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0); err != nil {
		t.Logf("cannot reset peak RSS of %d (%v): baseline is the start's peak", pid, err)
	}
	return bigImportPeakRSS(t, pid)
}

// bigImportPeakRSS reads a process's VmHWM in bytes.
func bigImportPeakRSS(t *testing.T, pid int) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmHWM")
	return 0
}

// bigImportBuild builds cmd/backend and cmd/worker (members of the go.work
// workspace) into a temporary directory, without the race detector: their
// peak RSS is what production would see.
func bigImportBuild(t *testing.T) string {
	t.Helper()
	return buildCommands(t, "backend", "worker")
}

// buildCommands builds the named commands of cmd/ (members of the go.work
// workspace) into a temporary directory, without the race detector, and
// returns the directory.
func buildCommands(t *testing.T, names ...string) string {
	t.Helper()
	dir := t.TempDir()
	var flags []string
	for _, f := range strings.Fields(os.Getenv("GOFLAGS")) {
		if f != "-race" {
			flags = append(flags, f)
		}
	}
	for _, cmd := range names {
		c := exec.Command("go", "build", "-o", filepath.Join(dir, cmd), "github.com/ibutsu-go/ibutsu/cmd/"+cmd)
		c.Env = append(os.Environ(), "GOFLAGS="+strings.Join(flags, " "))
		if out, err := c.CombinedOutput(); err != nil {
			t.Fatalf("build cmd/%s: %v\n%s", cmd, err, out)
		}
	}
	return dir
}

// bigImportStart runs one of the built binaries, configured by env, until
// the test ends; its log is shown when the test fails.
func bigImportStart(t *testing.T, bin, name string, env []string) *exec.Cmd {
	t.Helper()
	logPath := filepath.Join(t.TempDir(), name+".log")
	out, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(filepath.Join(bin, name))
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
		_ = out.Close()
		if t.Failed() {
			b, _ := os.ReadFile(logPath)
			t.Logf("%s log (tail):\n%s", name, tail(string(b), 4000))
		}
	})
	return cmd
}

func bigImportWaitUp(t *testing.T, url string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		resp, err := http.Get(url)
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not up after %s (%v)", url, within, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func bigImportLogin(t *testing.T, base string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"email": bigImportAdmin, "password": bigImportPassword})
	resp, err := http.Post(base+"/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var v struct{ Token string }
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || v.Token == "" {
		t.Fatalf("login: %d %v", resp.StatusCode, err)
	}
	return v.Token
}

func bigImportGet(t *testing.T, url, token string) map[string]any {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var v map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
	}
	return v
}
