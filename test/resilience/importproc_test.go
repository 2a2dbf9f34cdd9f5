package resilience

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"
)

// importProcs is a backend and a worker, production builds of cmd/backend
// and cmd/worker (bigImportBuild) started fresh for one import measurement:
// the worker takes the import from Redis, and each process's peak RSS
// counts from its RSS once started. TestBigJUnitImportKeepsRSSFlat and
// TestFormatImportsKeepRSSFlat measure through it.
type importProcs struct {
	t     *testing.T
	base  string // the backend's /api
	token string
	be    *exec.Cmd
	wk    *exec.Cmd
	// baseRSS is each process's RSS once started: backend, worker.
	baseRSS [2]int64
}

// startImportProcs starts the backend and the worker on dsn and redis
// (their own task queue, named after name), logs the superadmin in, and
// resets both processes' peaks.
func startImportProcs(t *testing.T, bin, dsn, redis, dataDir, name string) *importProcs {
	t.Helper()
	env := []string{"DATABASE_URL=" + dsn, "REDIS_URL=" + redis,
		"TASK_QUEUE=" + name + "-" + uuid.NewString()[:8], "HOST=127.0.0.1", "JWT_SECRET=" + name + "-secret",
		"IBUTSU_SUPERADMIN_EMAIL=" + bigImportAdmin, "IBUTSU_SUPERADMIN_PASSWORD=" + bigImportPassword,
		"BCRYPT_LOG_ROUNDS=4", "IBUTSU_DATA_DIR=" + dataDir, "LOG_FORMAT=text"}
	port := FreePort(t)
	p := &importProcs{t: t, base: fmt.Sprintf("http://127.0.0.1:%d/api", port)}
	p.be = replicaStart(t, bin, "backend", "backend", append(env, "PORT="+strconv.Itoa(port))).cmd
	bigImportWaitUp(t, p.base+"/health", 2*time.Minute)
	p.wk = replicaStart(t, bin, "worker", "worker", append(env, "WORKER_HEALTH_PORT="+strconv.Itoa(FreePort(t)))).cmd
	p.token = bigImportLogin(t, p.base)
	// The peaks count from here: the start (migrations, caches, the
	// binary's own pages) is the baseline, not the import.
	p.baseRSS = [2]int64{bigImportResetPeak(t, p.be.Process.Pid), bigImportResetPeak(t, p.wk.Process.Pid)}
	return p
}

// peakRSS is each process's peak RSS so far: backend, worker.
func (p *importProcs) peakRSS() [2]int64 {
	return [2]int64{bigImportPeakRSS(p.t, p.be.Process.Pid), bigImportPeakRSS(p.t, p.wk.Process.Pid)}
}

// upload posts a multipart body to /import, which must answer 202, and
// returns the import's id.
func (p *importProcs) upload(body io.Reader, contentType string) string {
	p.t.Helper()
	status, raw := postImport(p.t, p.base+"/import", p.token, body, contentType)
	if status != http.StatusAccepted {
		p.t.Fatalf("upload: %d %s", status, raw)
	}
	var imp map[string]any
	if err := json.Unmarshal(raw, &imp); err != nil {
		p.t.Fatalf("upload answer %s: %v", raw, err)
	}
	id, _ := imp["id"].(string)
	return id
}

// importedTests waits until import id is done (by deadline), and returns
// how many tests the summary of the one run it made counts.
func (p *importProcs) importedTests(id string, deadline time.Time) float64 {
	p.t.Helper()
	var imp map[string]any
	for {
		imp = bigImportGet(p.t, p.base+"/import/"+id, p.token)
		if st := imp["status"]; st == "done" || st == "error" {
			break
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("import not done by the deadline: %v", imp)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if imp["status"] != "done" {
		p.t.Fatalf("import failed: %v", imp)
	}
	md, _ := imp["metadata"].(map[string]any)
	runIDs, _ := md["run_id"].([]any)
	if len(runIDs) != 1 {
		p.t.Fatalf("import metadata names no run: %v", imp)
	}
	run := bigImportGet(p.t, p.base+"/run/"+fmt.Sprint(runIDs[0]), p.token)
	summary, _ := run["summary"].(map[string]any)
	n, _ := summary["tests"].(float64)
	return n
}

// postImport posts body (a multipart form of contentType) to url with the
// token and returns the answer's status and bytes.
func postImport(t *testing.T, url, token string, body io.Reader, contentType string) (int, []byte) {
	t.Helper()
	return authDo(t, http.MethodPost, url, token, body, contentType)
}

// authDo sends one request with the token and returns the answer's status
// and bytes; a failed round trip fails the test.
func authDo(t *testing.T, method, url, token string, body io.Reader, contentType string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode, raw
}

// formStream is a multipart form streamForm writes while it is read.
type formStream struct {
	// sent is the file's size, once done is closed.
	sent int64
	// done is closed when the whole form is written (or failed).
	done chan struct{}
}

// streamForm streams a multipart form as the request reads it: the file
// importFile, named filename, whose bytes write generates (through a 64 KiB
// buffer), then the metadata field. The test never holds the file.
func streamForm(filename, metadata string, write func(w *bufio.Writer) error) (io.Reader, string, *formStream) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	form := &formStream{done: make(chan struct{})}
	go func() {
		defer close(form.done)
		pw.CloseWithError(func() error {
			fw, err := mw.CreateFormFile("importFile", filename)
			if err != nil {
				return err
			}
			c := &countWriter{w: fw}
			w := bufio.NewWriterSize(c, 64<<10)
			if err := write(w); err != nil {
				return err
			}
			if err := w.Flush(); err != nil {
				return err
			}
			form.sent = c.n
			if err := mw.WriteField("metadata", metadata); err != nil {
				return err
			}
			return mw.Close()
		}())
	}()
	return pr, mw.FormDataContentType(), form
}
