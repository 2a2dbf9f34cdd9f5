package resilience

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

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
	procs := startImportProcs(t, bigImportBuild(t), testenv.NewPostgresDatabase(t), testenv.RedisURL(t), t.TempDir(), "big")

	start := time.Now()
	body, contentType, gen := bigImportBody(size)
	id := procs.upload(body, contentType)
	uploaded := time.Since(start)
	<-gen.form.done
	// A generous deadline that grows with the file: 2 minutes plus 2 s per MiB.
	tests := procs.importedTests(id, start.Add(2*time.Minute+time.Duration(mb)*2*time.Second))
	took := time.Since(start)
	if want := float64(gen.cases); tests != want {
		t.Errorf("run summary counts %v tests, the file held %v", tests, want)
	}
	peak := procs.peakRSS()
	t.Logf("%d MiB JUnit import (%d bytes sent, %d test cases): upload %s (202), upload→done %s",
		mb, gen.form.sent, gen.cases, uploaded.Round(time.Millisecond), took.Round(time.Millisecond))
	t.Logf("peak RSS (VmHWM): backend %.1f MiB (baseline %.1f), worker %.1f MiB (baseline %.1f); limit %d MiB over baseline each",
		mib(peak[0]), mib(procs.baseRSS[0]), mib(peak[1]), mib(procs.baseRSS[1]), bigImportRSSLimit>>20)
	if peak[0]-procs.baseRSS[0] >= bigImportRSSLimit || peak[1]-procs.baseRSS[1] >= bigImportRSSLimit {
		t.Errorf("peak RSS over baseline beyond %d MiB", bigImportRSSLimit>>20)
	}
}

// bigImportGen counts the cases bigImportBody wrote; read it once
// form.done is closed.
type bigImportGen struct {
	cases int
	form  *formStream
}

// bigImportBody streams a multipart form whose JUnit file has size bytes
// of XML (give or take a test case), written as the request reads it; the
// metadata field comes after the file. One case in ten fails with a
// traceback, and every case carries about 5 KB of captured output.
func bigImportBody(size int64) (io.Reader, string, *bigImportGen) {
	gen := &bigImportGen{}
	out := strings.Repeat("log line of a chatty test, with a timestamp 2026-11-29T07:00:00Z and some detail\n", 60)
	body, contentType, form := streamForm("big.xml", `{"build": "big"}`, func(w *bufio.Writer) error {
		var sent int64
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
				gen.cases++
			}
			put("</testsuite>\n")
		}
		put("</testsuites>\n")
		return nil
	})
	gen.form = form
	return body, contentType, gen
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
	n, err := procStatus(pid, "VmHWM:")
	if err != nil {
		t.Fatal(err)
	}
	return n
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
	status, raw := authDo(t, http.MethodGet, url, token, nil, "")
	var v map[string]any
	if err := json.Unmarshal(raw, &v); err != nil || status != http.StatusOK {
		t.Fatalf("GET %s: %d %v", url, status, err)
	}
	return v
}
