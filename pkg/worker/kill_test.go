package worker_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"mime/multipart"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/worker"
)

// Environment of the helper process TestWorkerHelperProcess.
const (
	helperEnv      = "IBUTSU_WORKER_HELPER"
	helperDSNEnv   = "IBUTSU_WORKER_HELPER_DSN"
	helperRedisEnv = "IBUTSU_WORKER_HELPER_REDIS"
	helperQueueEnv = "IBUTSU_WORKER_HELPER_QUEUE"
)

// TestWorkerHelperProcess is not a test: TestImportSurvivesKilledWorker
// re-executes the test binary with helperEnv set to run a real worker
// (worker.Run, as cmd/worker does) in a process it can SIGKILL.
func TestWorkerHelperProcess(t *testing.T) {
	if os.Getenv(helperEnv) != "1" {
		return
	}
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Database.URL = os.Getenv(helperDSNEnv)
	cfg.Redis.URL = os.Getenv(helperRedisEnv)
	cfg.Tasks.Queue = os.Getenv(helperQueueEnv)
	cfg.WorkerHealthPort = 0
	cfg.HTTP.Host = "127.0.0.1"
	cfg.HTTP.ShutdownTimeout = 5 * time.Second
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if err := worker.Run(ctx, cfg, log); err != nil {
		t.Fatal(err)
	}
}

// junitReport builds a JUnit file of n testcases (n a multiple of 100).
func junitReport(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><testsuites>`)
	for s := 0; s < n/100; s++ {
		fmt.Fprintf(&b, `<testsuite name="suite%d" tests="100" time="10">`, s)
		for i := 0; i < 100; i++ {
			if i%10 == 0 {
				fmt.Fprintf(&b, `<testcase classname="pkg.mod%d.TestX" name="test_%d_%d" time="0.1"><failure message="m">trace</failure></testcase>`, s, s, i)
				continue
			}
			fmt.Fprintf(&b, `<testcase classname="pkg.mod%d.TestX" name="test_%d_%d" time="0.1"/>`, s, s, i)
		}
		b.WriteString(`</testsuite>`)
	}
	b.WriteString(`</testsuites>`)
	return b.Bytes()
}

// TestImportSurvivesKilledWorker kills (SIGKILL) the worker process in the
// middle of a large JUnit import and checks that the killed attempt left
// nothing behind and that another worker, once asynq's recoverer hands it
// the task (the lease of a dead worker expires after 30 s and the
// recoverer takes tasks whose lease expired 30 s ago, checking every
// minute), completes the import exactly once.
func TestImportSurvivesKilledWorker(t *testing.T) {
	if testing.Short() {
		t.Skip("waits about a minute for asynq to recover the killed worker's task")
	}
	// Large enough that the attempt is still writing when it is killed,
	// small enough that the re-run stays quick under -race.
	const n = 30000
	e := backendtest.New(t, backendtest.Options{Redis: true, Configure: func(c *config.Config) {
		c.Tasks.Queue = "kill-" + uuid.NewString()[:8]
		c.Limits.ImportMaxBytes = 64 << 20
	}})
	cfg := e.App.Config
	logs := t.TempDir()
	children := 0
	startWorker := func() *exec.Cmd {
		t.Helper()
		children++
		logPath := filepath.Join(logs, fmt.Sprintf("worker%d.log", children))
		out, err := os.Create(logPath)
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestWorkerHelperProcess$", "-test.timeout=10m")
		cmd.Env = append(os.Environ(), helperEnv+"=1", helperDSNEnv+"="+cfg.Database.URL,
			helperRedisEnv+"="+cfg.Redis.URL, helperQueueEnv+"="+cfg.Tasks.Queue)
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if cmd.ProcessState == nil {
				_ = cmd.Process.Signal(syscall.SIGTERM)
				_ = cmd.Wait()
			}
			_ = out.Close()
			if t.Failed() {
				b, _ := os.ReadFile(logPath)
				t.Logf("%s:\n%s", filepath.Base(logPath), b)
			}
		})
		return cmd
	}
	status := func(id uuid.UUID) *model.Import {
		t.Helper()
		var imp model.Import
		if err := e.App.DB.Gorm.Where("id = ?", id).Take(&imp).Error; err != nil {
			t.Fatal(err)
		}
		return &imp
	}
	count := func(table string) int64 {
		t.Helper()
		var c int64
		if err := e.App.DB.Gorm.Table(table).Count(&c).Error; err != nil {
			t.Fatal(err)
		}
		return c
	}
	waitStatus := func(id uuid.UUID, want string, within time.Duration) *model.Import {
		t.Helper()
		deadline := time.Now().Add(within)
		for {
			imp := status(id)
			st := ""
			if imp.Status != nil {
				st = *imp.Status
			}
			if st == want {
				return imp
			}
			if st == "error" || time.Now().After(deadline) {
				t.Fatalf("import status %q after %s, want %q (data %v)", st, within, want, imp.Data)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}

	first := startWorker()

	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("importFile", "big.xml")
	_, _ = fw.Write(junitReport(n))
	_ = mw.Close()
	req := httptest.NewRequest("POST", "/api/import", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+e.AdminToken)
	r := e.Serve(req)
	if r.Code != 202 {
		t.Fatalf("upload: %d %s", r.Code, r.Body)
	}
	id := uuid.MustParse(r.Map()["id"].(string))

	waitStatus(id, "running", 30*time.Second)
	// Kill it mid-write: once the import's transaction has written rows
	// (PostgreSQL assigned it a transaction id).
	deadline := time.Now().Add(30 * time.Second)
	for {
		var writing int64
		if err := e.App.DB.Gorm.Raw(`SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()`).Row().Scan(&writing); err != nil {
			t.Fatal(err)
		}
		if writing > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the import never started writing")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := first.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()
	killedAt := time.Now()
	// The killed attempt wrote in one uncommitted transaction: nothing of it
	// may be visible, and the import is still marked running.
	for _, table := range []string{"runs", "results", "artifacts"} {
		if c := count(table); c != 0 {
			t.Fatalf("killed attempt left %d rows in %s", c, table)
		}
	}
	if st := status(id).Status; st == nil || *st != "running" {
		t.Fatalf("after the kill: status %v", st)
	}

	startWorker()
	imp := waitStatus(id, "done", 150*time.Second)
	t.Logf("import done %s after the kill", time.Since(killedAt).Round(time.Second))

	ids, _ := imp.Data["run_id"].([]any)
	if len(ids) != 1 {
		t.Fatalf("run_id %v", imp.Data["run_id"])
	}
	if c := count("runs"); c != 1 {
		t.Fatalf("%d runs", c)
	}
	var total, distinct int64
	if err := e.App.DB.Gorm.Raw("SELECT count(*), count(DISTINCT test_id) FROM results WHERE run_id = ?", ids[0]).Row().Scan(&total, &distinct); err != nil {
		t.Fatal(err)
	}
	if total != n || distinct != n || count("results") != n {
		t.Fatalf("results: %d in the run (%d distinct), %d in all; want %d", total, distinct, count("results"), n)
	}
}
