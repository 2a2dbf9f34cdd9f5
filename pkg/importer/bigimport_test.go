package importer_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
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

	"github.com/ibutsu-go/ibutsu/pkg/platform/testenv"
)

// bigEnv enables the 500 MB import (a few minutes, about 2 GB of disk);
// with bigEnv_LOGS=1 the processes' logs are shown too (GODEBUG=gctrace=1
// reaches them).
const bigEnv = "IBUTSU_IMPORT_BIG"

const (
	bigAdmin    = "admin@example.com"
	bigPassword = "admin-password"
)

// TestImport500MB uploads a 500 MiB JUnit file, generated while it is
// sent (the test never holds it), to a cmd/backend process that queues the
// import for a cmd/worker process through Redis, waits for the import to
// be done and logs both processes' peak RSS (VmHWM), which must stay under
// 64 MiB. Run it with IBUTSU_IMPORT_BIG=1.
func TestImport500MB(t *testing.T) {
	if os.Getenv(bigEnv) != "1" {
		t.Skip("set " + bigEnv + "=1 to run the 500 MB import (several minutes)")
	}
	const size = 500 << 20
	const rssLimit = 64 << 20
	bin := buildBinaries(t)
	env := []string{"DATABASE_URL=" + testenv.NewPostgresDatabase(t), "REDIS_URL=" + testenv.RedisURL(t),
		"TASK_QUEUE=big-" + uuid.NewString()[:8], "HOST=127.0.0.1", "JWT_SECRET=bigimport-secret",
		"IBUTSU_SUPERADMIN_EMAIL=" + bigAdmin, "IBUTSU_SUPERADMIN_PASSWORD=" + bigPassword,
		"BCRYPT_LOG_ROUNDS=4", "IBUTSU_DATA_DIR=" + t.TempDir(), "LOG_FORMAT=text"}
	port := freePort(t)
	be := startProc(t, bin, "backend", append(env, "PORT="+strconv.Itoa(port)))
	base := fmt.Sprintf("http://127.0.0.1:%d/api", port)
	waitHTTP(t, base+"/health", 2*time.Minute)
	wk := startProc(t, bin, "worker", append(env, "WORKER_HEALTH_PORT="+strconv.Itoa(freePort(t))))
	token := login(t, base)

	start := time.Now()
	body, contentType, sent := bigBody(size)
	req, err := http.NewRequest("POST", base+"/import", body)
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
	resp.Body.Close()
	if resp.StatusCode != 202 {
		t.Fatalf("upload: %d %s", resp.StatusCode, b)
	}
	uploaded := time.Since(start)
	var imp map[string]any
	json.Unmarshal(b, &imp)
	id := imp["id"].(string)
	for {
		imp = getJSON(t, base+"/import/"+id, token)
		if st := imp["status"]; st == "done" || st == "error" {
			break
		}
		if time.Since(start) > 30*time.Minute {
			t.Fatalf("import not done after 30 min: %v", imp)
		}
		time.Sleep(200 * time.Millisecond)
	}
	took := time.Since(start)
	if imp["status"] != "done" {
		t.Fatalf("import failed: %v", imp)
	}
	runID := imp["metadata"].(map[string]any)["run_id"].([]any)[0].(string)
	run := getJSON(t, base+"/run/"+runID, token)
	summary := run["summary"].(map[string]any)
	beRSS, wkRSS := peakRSS(t, be.Process.Pid), peakRSS(t, wk.Process.Pid)
	t.Logf("500 MiB JUnit import (%d bytes sent, %v test cases): upload %s (202), upload→done %s",
		*sent, summary["tests"], uploaded.Round(time.Millisecond), took.Round(time.Millisecond))
	t.Logf("peak RSS (VmHWM): backend %.1f MiB, worker %.1f MiB", float64(beRSS)/(1<<20), float64(wkRSS)/(1<<20))
	if beRSS >= rssLimit || wkRSS >= rssLimit {
		t.Errorf("peak RSS over %d MiB", rssLimit>>20)
	}
}

// bigBody streams a multipart form whose JUnit file has size bytes of XML
// (give or take a test case), written as the request reads it; the
// metadata field comes after the file. sent counts the bytes.
func bigBody(size int64) (io.Reader, string, *int64) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	var sent int64
	go func() {
		fw, err := mw.CreateFormFile("importFile", "big.xml")
		if err != nil {
			pw.CloseWithError(err)
			return
		}
		w := bufio.NewWriterSize(fw, 64<<10)
		out := strings.Repeat("log line of a chatty test, with a timestamp 2026-11-29T07:00:00Z and some detail\n", 60)
		put := func(s string) {
			n, _ := w.WriteString(s)
			sent += int64(n)
		}
		put(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<testsuites>\n")
		for s := 0; sent < size; s++ {
			put(fmt.Sprintf(`<testsuite name="suite%d" tests="100" failures="10" time="10">`+"\n", s))
			for i := 0; i < 100; i++ {
				put(fmt.Sprintf(`<testcase classname="pkg.mod%d.TestX" name="test_%d" time="0.1">`, s, i))
				if i%10 == 0 {
					put(`<failure message="assert 1 == 2">Traceback (most recent call last):
  File "test_x.py", line 10, in test
AssertionError</failure>`)
				}
				put("<system-out>" + out + "</system-out></testcase>\n")
			}
			put("</testsuite>\n")
		}
		put("</testsuites>\n")
		if err := w.Flush(); err != nil {
			pw.CloseWithError(err)
			return
		}
		mw.WriteField("metadata", `{"build": "big"}`)
		pw.CloseWithError(mw.Close())
	}()
	return pr, mw.FormDataContentType(), &sent
}

// peakRSS reads a process's VmHWM in bytes.
func peakRSS(t *testing.T, pid int) int64 {
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

// buildBinaries builds cmd/backend and cmd/worker (the go.work workspace
// this package belongs to) into a temporary directory: their peak RSS is
// what production would see.
func buildBinaries(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, cmd := range []string{"backend", "worker"} {
		out, err := exec.Command("go", "build", "-o", filepath.Join(dir, cmd), "github.com/ibutsu-go/ibutsu/cmd/"+cmd).CombinedOutput()
		if err != nil {
			t.Fatalf("build cmd/%s: %v\n%s", cmd, err, out)
		}
	}
	return dir
}

// startProc runs one of the built binaries, configured by env, until the
// test ends.
func startProc(t *testing.T, bin, name string, env []string) *exec.Cmd {
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
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
		out.Close()
		if t.Failed() || os.Getenv(bigEnv+"_LOGS") == "1" {
			b, _ := os.ReadFile(logPath)
			t.Logf("%s log:\n%s", name, b)
		}
	})
	return cmd
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func waitHTTP(t *testing.T, url string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not up after %s (%v)", url, within, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func login(t *testing.T, base string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"email": bigAdmin, "password": bigPassword})
	resp, err := http.Post(base+"/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v struct{ Token string }
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || v.Token == "" {
		t.Fatalf("login: %d %v", resp.StatusCode, err)
	}
	return v.Token
}

func getJSON(t *testing.T, url, token string) map[string]any {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
	}
	return v
}
