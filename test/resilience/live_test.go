package resilience

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

// TestLiveEventsAcrossBackendProcesses runs two backend processes on one
// PostgreSQL database: a result posted to one arrives on an event stream
// served by the other (opened with a ticket the first issued), with the same
// id on both, and SIGTERM to a backend with an open stream ends the stream
// and the process without waiting for the shutdown timeout.
func TestLiveEventsAcrossBackendProcesses(t *testing.T) {
	dsn := testenv.NewPostgresDatabase(t)
	env := []string{"DATABASE_URL=" + dsn, "JWT_SECRET=resilience-secret", "SHUTDOWN_TIMEOUT=30s",
		"IBUTSU_SUPERADMIN_EMAIL=admin@example.com", "IBUTSU_SUPERADMIN_PASSWORD=admin-password"}
	one := StartBackend(t, env...)
	two := StartBackend(t, env...)
	token := one.Login("admin@example.com", "admin-password")
	project := createProject(t, one.URL, token, "live")
	ctx := context.Background()
	code, raw := one.Call(ctx, "POST", "/api/run", token, map[string]any{"metadata": map[string]any{"project": project}})
	if code != 201 {
		t.Fatalf("create run: %d %s", code, raw)
	}
	var run struct{ ID string }
	_ = json.Unmarshal(raw, &run)
	code, raw = one.Call(ctx, "POST", "/api/run/"+run.ID+"/events/ticket", token, nil)
	if code != 201 {
		t.Fatalf("ticket: %d %s", code, raw)
	}
	var tk struct{ Ticket string }
	_ = json.Unmarshal(raw, &tk)

	onTwo := stream(t, two.URL+"/api/run/"+run.ID+"/events?ticket="+tk.Ticket, "")
	onOne := stream(t, one.URL+"/api/run/"+run.ID+"/events", token)
	code, raw = one.Call(ctx, "POST", "/api/result", token, map[string]any{"test_id": "t", "result": "failed",
		"metadata": map[string]any{"project": project, "run": run.ID}})
	if code != 201 {
		t.Fatalf("post result: %d %s", code, raw)
	}
	a, b := next(t, onTwo, "result.added"), next(t, onOne, "result.added")
	if a.id == "" || a.id != b.id || !strings.Contains(a.data, `"test_id":"t"`) {
		t.Fatalf("result.added on process two %+v, on one %+v", a, b)
	}

	// SIGTERM: the open stream ends and the process exits well before the
	// 30 s shutdown timeout would cut the stream off.
	term := time.Now()
	two.Signal(syscall.SIGTERM)
	for range onTwo {
	}
	<-two.Exited()
	t.Logf("process two exited %s after SIGTERM with a stream open (%v)", time.Since(term).Round(time.Millisecond), two.Err)
	if time.Since(term) > 20*time.Second {
		t.Fatalf("backend with an open stream took %s to stop", time.Since(term))
	}
}

type sseEvent struct{ id, typ, data string }

// stream opens an event stream and delivers its events until it ends.
func stream(t *testing.T, url, token string) <-chan sseEvent {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d", url, resp.StatusCode)
	}
	out := make(chan sseEvent, 16)
	go func() {
		defer close(out)
		defer func() { _ = resp.Body.Close() }()
		sc := bufio.NewScanner(resp.Body)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.typ != "" {
					out <- ev
				}
				ev = sseEvent{}
			case strings.HasPrefix(line, "id: "):
				ev.id = line[4:]
			case strings.HasPrefix(line, "event: "):
				ev.typ = line[7:]
			case strings.HasPrefix(line, "data: "):
				ev.data = line[6:]
			}
		}
	}()
	return out
}

func next(t *testing.T, c <-chan sseEvent, typ string) sseEvent {
	t.Helper()
	for ev := range c {
		if ev.typ == typ {
			return ev
		}
	}
	t.Fatalf("stream ended before a %s event", typ)
	return sseEvent{}
}
