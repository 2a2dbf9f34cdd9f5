package resilience

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/formatgen"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

// formatsRSSSizesEnv sets the two file sizes, in MiB, of
// TestFormatImportsKeepRSSFlat: "small,large". CI imports
// formatsRSSDefault; IBUTSU_FORMAT_IMPORT_MB=50,500 is the full-size run
// of docs/performance.md (several minutes per format).
const formatsRSSSizesEnv = "IBUTSU_FORMAT_IMPORT_MB"

const (
	formatsRSSDefault = "10,100"
	// formatsRSSPad is the captured output each generated case carries, so
	// that a large file does not need millions of cases.
	formatsRSSPad = 4 << 10
	// formatsRSSGrowth bounds how much more a process may peak at on the
	// large file than on the small one.
	formatsRSSGrowth = 16 << 20
)

// formatsRSSPerTest is the memory a format keeps per test until its last
// pass, allowed on top of both bounds: Allure (which attempt of each test
// is the last, its statuses, which attachments it needs: its parser alone
// peaks at about 0.9 KiB of heap per test) and TRX with its definitions
// after the results (class, storage and name of every test). Their peak
// grows with the number of tests, not with the bytes of output.
var formatsRSSPerTest = map[string]int64{"allure": 1 << 10, "trx": 1 << 10}

// TestFormatImportsKeepRSSFlat is TestBigJUnitImportKeepsRSSFlat for every
// other streaming format (pkg/testkit/formatgen): for each, a production
// build of cmd/backend and cmd/worker, fresh for every import, receives a
// small and a large generated report (streamed while it is sent; this
// process never holds it), imports it through Redis, and must count every
// case. Each process's peak RSS (VmHWM) over its baseline once started
// (bigImportResetPeak) must stay under 64 MiB, and the large file may
// raise neither peak by more than 16 MiB over the small one (plus, for
// the formats that keep a few facts per test, formatsRSSPerTest).
func TestFormatImportsKeepRSSFlat(t *testing.T) {
	small, large := formatsRSSSizes(t)
	bin := bigImportBuild(t)
	dsn, redis := testenv.NewPostgresDatabase(t), testenv.RedisURL(t)
	dataDir := t.TempDir()
	for _, format := range formatgen.Formats() {
		t.Run(format, func(t *testing.T) {
			var peaks, bases [2][2]int64
			var cases [2]int
			for i, mb := range []int{small, large} {
				peaks[i], bases[i], cases[i] = formatsRSSImport(t, bin, dsn, redis, dataDir, format, mb)
			}
			perTest := formatsRSSPerTest[format]
			for p, name := range []string{"backend", "worker"} {
				s, l := peaks[0][p]-bases[0][p], peaks[1][p]-bases[1][p]
				if l >= bigImportRSSLimit+perTest*int64(cases[1]) {
					t.Errorf("%s: %s peak RSS +%.1f MiB over baseline on %d MiB, over %d MiB", format, name, mib(l), large, bigImportRSSLimit>>20)
				}
				// A process's RSS once started moves by up to 15 MiB
				// between processes (pages the kernel reclaimed under the
				// machine's load), which moves both the absolute peak and
				// the peak over it: growth counts when both measures show
				// it.
				growth := min(l-s, peaks[1][p]-peaks[0][p])
				if growth > formatsRSSGrowth+perTest*int64(cases[1]-cases[0]) {
					t.Errorf("%s: %s peak RSS grew by %.1f MiB from the %d MiB file to the %d MiB one (over baseline +%.1f → +%.1f MiB, absolute %.1f → %.1f MiB)",
						format, name, mib(growth), small, large, mib(s), mib(l), mib(peaks[0][p]), mib(peaks[1][p]))
				}
			}
		})
	}
}

func mib(n int64) float64 { return float64(n) / (1 << 20) }

func formatsRSSSizes(t *testing.T) (int, int) {
	v := os.Getenv(formatsRSSSizesEnv)
	if v == "" {
		v = formatsRSSDefault
	}
	a, b, ok := strings.Cut(v, ",")
	small, err1 := strconv.Atoi(a)
	large, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || small < 1 || large <= small {
		t.Fatalf("%s=%q: want two sizes in MiB, small,large", formatsRSSSizesEnv, v)
	}
	return small, large
}

// formatsRSSImport starts a backend and a worker, uploads an mb-MiB report
// of format, waits until the import is done, checks its case count, and
// returns both processes' peak RSS, their RSS once started (the peak
// counts from there) and the number of cases.
func formatsRSSImport(t *testing.T, bin, dsn, redis, dataDir, format string, mb int) (peakRSS, baseRSS [2]int64, cases int) {
	t.Helper()
	env := []string{"DATABASE_URL=" + dsn, "REDIS_URL=" + redis,
		"TASK_QUEUE=fmt-" + uuid.NewString()[:8], "HOST=127.0.0.1", "JWT_SECRET=formatsrss-secret",
		"IBUTSU_SUPERADMIN_EMAIL=" + bigImportAdmin, "IBUTSU_SUPERADMIN_PASSWORD=" + bigImportPassword,
		"BCRYPT_LOG_ROUNDS=4", "IBUTSU_DATA_DIR=" + dataDir, "LOG_FORMAT=text"}
	port := FreePort(t)
	be := bigImportStart(t, bin, "backend", append(env, "PORT="+strconv.Itoa(port)))
	base := fmt.Sprintf("http://127.0.0.1:%d/api", port)
	bigImportWaitUp(t, base+"/health", 2*time.Minute)
	wk := bigImportStart(t, bin, "worker", append(env, "WORKER_HEALTH_PORT="+strconv.Itoa(FreePort(t))))
	token := bigImportLogin(t, base)
	// The peaks count from here: the start (migrations, caches, the
	// binary's own pages) is the baseline, not the import.
	beBase, wkBase := bigImportResetPeak(t, be.Process.Pid), bigImportResetPeak(t, wk.Process.Pid)

	n := formatsRSSCases(t, format, int64(mb)<<20)
	start := time.Now()
	body, contentType, sent := formatsRSSBody(format, n)
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
		t.Fatalf("%s upload: %d %s", format, resp.StatusCode, b)
	}
	var imp map[string]any
	if err := json.Unmarshal(b, &imp); err != nil {
		t.Fatalf("upload answer %s: %v", b, err)
	}
	id, _ := imp["id"].(string)
	deadline := start.Add(2*time.Minute + time.Duration(mb)*2*time.Second)
	for {
		imp = bigImportGet(t, base+"/import/"+id, token)
		if st := imp["status"]; st == "done" || st == "error" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s import not done after %s: %v", format, time.Since(start).Round(time.Second), imp)
		}
		time.Sleep(200 * time.Millisecond)
	}
	took := time.Since(start)
	if imp["status"] != "done" {
		t.Fatalf("%s import failed: %v", format, imp)
	}
	md, _ := imp["metadata"].(map[string]any)
	runIDs, _ := md["run_id"].([]any)
	if len(runIDs) != 1 {
		t.Fatalf("import metadata names no run: %v", imp)
	}
	run := bigImportGet(t, base+"/run/"+fmt.Sprint(runIDs[0]), token)
	summary, _ := run["summary"].(map[string]any)
	if got := summary["tests"]; got != float64(n) {
		t.Errorf("%s: run summary counts %v tests, the file held %d", format, got, n)
	}
	peak := [2]int64{bigImportPeakRSS(t, be.Process.Pid), bigImportPeakRSS(t, wk.Process.Pid)}
	t.Logf("%s %d MiB (%d bytes, %d cases): upload→done %s; peak RSS backend %.1f MiB (+%.1f over %.1f once started), worker %.1f MiB (+%.1f over %.1f)",
		format, mb, *sent, n, took.Round(time.Millisecond), mib(peak[0]), mib(peak[0]-beBase), mib(beBase), mib(peak[1]), mib(peak[1]-wkBase), mib(wkBase))
	return peak, [2]int64{beBase, wkBase}, n
}

// formatsRSSCases is the number of padded cases that make a report of
// format about size bytes, measured on a sample.
func formatsRSSCases(t *testing.T, format string, size int64) int {
	t.Helper()
	const sample = 200
	c := &countWriter{}
	if err := formatgen.Write(c, format, sample, formatgen.Options{Output: formatsRSSPad}); err != nil {
		t.Fatal(err)
	}
	return max(100, int(size*sample/c.n))
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

// formatsRSSBody streams a multipart form whose file is an n-case padded
// report of format, generated as the request reads it; *sent holds the
// file's size once the body is read to its end.
func formatsRSSBody(format string, n int) (io.Reader, string, *int64) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	sent := new(int64)
	go func() {
		fw, err := mw.CreateFormFile("importFile", "report."+format)
		if err != nil {
			pw.CloseWithError(err)
			return
		}
		c := &countWriter{}
		w := bufio.NewWriterSize(io.MultiWriter(fw, c), 64<<10)
		if err := formatgen.Write(w, format, n, formatgen.Options{Output: formatsRSSPad}); err != nil {
			pw.CloseWithError(err)
			return
		}
		if err := w.Flush(); err != nil {
			pw.CloseWithError(err)
			return
		}
		*sent = c.n
		if err := mw.WriteField("metadata", `{"build": "formats-rss"}`); err != nil {
			pw.CloseWithError(err)
			return
		}
		pw.CloseWithError(mw.Close())
	}()
	return pr, mw.FormDataContentType(), sent
}
