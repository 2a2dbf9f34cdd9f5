package resilience

import (
	"context"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

// TestBackendSIGTERMDuringIngest sends SIGTERM to a backend process while
// 32 clients post results, and checks the graceful shutdown: the process
// exits cleanly, every result acknowledged with a 2xx is in the database,
// and no row is half-written (requests cut off by the shutdown were either
// committed whole or not at all).
//
// The worker's side — SIGKILL in the middle of an import — is
// TestImportSurvivesKilledWorker in pkg/worker/kill_test.go.
func TestBackendSIGTERMDuringIngest(t *testing.T) {
	dsn := testenv.NewPostgresDatabase(t)
	be := StartBackend(t, "DATABASE_URL="+dsn, "JWT_SECRET=resilience-secret", "SHUTDOWN_TIMEOUT=20s",
		"IBUTSU_SUPERADMIN_EMAIL=admin@example.com", "IBUTSU_SUPERADMIN_PASSWORD=admin-password")
	token := be.Login("admin@example.com", "admin-password")
	createProject(t, be.URL, token, "p1")

	const clients = 32
	gen := NewIngest(be.URL, token, "p1", clients)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { gen.Run(ctx, clients); close(done) }()
	time.Sleep(2 * time.Second)
	termAt := time.Now()
	before := len(gen.Accepted())
	be.Signal(syscall.SIGTERM)
	select {
	case <-be.Exited():
	case <-time.After(60 * time.Second):
		t.Fatal("backend did not exit within 60s of SIGTERM")
	}
	exitAfter := time.Since(termAt)
	cancel()
	<-done

	outs := gen.Outcomes()
	t.Logf("requests %d (by status %v); accepted %d before SIGTERM, %d in all; exit %s after SIGTERM (%v)",
		len(outs), Tally(outs), before, len(gen.Accepted()), exitAfter.Round(time.Millisecond), be.Err)
	// No answer: refused once the listener is closed (expected), or a
	// keep-alive connection closed as the client reused it (the usual HTTP
	// race, which a client retries).
	kinds := map[string]int{}
	for _, o := range outs {
		if o.Status == 0 {
			switch {
			case strings.Contains(o.Err, "connection refused"):
				kinds["refused"]++
			case strings.Contains(o.Err, "reset"), strings.Contains(o.Err, "EOF"), strings.Contains(o.Err, "closed"):
				kinds["closed while reused"]++
			default:
				kinds[tail(o.Err, 80)]++
			}
		}
	}
	t.Logf("requests without an answer: %v", kinds)
	if be.Err != nil {
		t.Errorf("backend exited with %v", be.Err)
	}
	for _, o := range outs {
		if o.Status >= 500 {
			t.Errorf("a request got %d during the shutdown: %s", o.Status, o.Err)
			break
		}
	}
	if log := be.Log(); strings.Contains(log, `"level":"ERROR"`) {
		t.Errorf("errors logged during shutdown:\n%s", tail(log, 4000))
	}
	v := VerifyResults(t, dsn, gen.Accepted())
	t.Logf("accepted %d, stored %d (committed but unanswered: %d), lost %d, broken %d",
		v.Accepted, v.Stored, v.Stored-v.Accepted+v.Lost, v.Lost, len(v.Broken))
	if v.Lost != 0 || len(v.Broken) != 0 {
		t.Errorf("lost %d acknowledged results; broken rows: %v", v.Lost, v.Broken)
	}
}
