package backend_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/backend"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// heldStream is an open event stream the test closes itself.
type heldStream struct {
	code  int
	body  map[string]any
	retry string
	close func()
}

// holdStream opens a stream with a bearer token and keeps it open until
// close is called (a refusal's body is read and the stream closed at once).
func holdStream(t *testing.T, url, token string) heldStream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	h := heldStream{code: resp.StatusCode, retry: resp.Header.Get("Retry-After"), close: cancel}
	if resp.StatusCode != 200 {
		raw, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err := json.Unmarshal(raw, &h.body); err != nil {
			t.Fatalf("%d body %q is not a JSON object", resp.StatusCode, raw)
		}
		cancel()
	}
	return h
}

// waitOpen waits until the app counts streams open streams held by users
// users (a closed stream's handler returns asynchronously).
func waitOpen(t *testing.T, a *backend.App, streams, users int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s, u := a.Streams.Open()
		if s == streams && u == users {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("open streams %d of %d users, want %d of %d", s, u, streams, users)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestLiveStreamCaps: a user may hold LIVE_STREAMS_PER_USER streams open
// and the process LIVE_STREAMS_TOTAL; the next is a 429 with a JSON body
// naming the cap and a Retry-After, another user is not held to the first
// one's cap, a closed stream frees its slot at once, and every slot is
// back when all streams are closed.
func TestLiveStreamCaps(t *testing.T) {
	eachDB(t, func(t *testing.T, sqlite bool) {
		e := backendtest.New(t, backendtest.Options{SQLite: sqlite, Configure: func(c *config.Config) {
			c.Live.StreamsPerUser, c.Live.StreamsTotal = 2, 3
		}})
		f := newLiveFixture(t, e)
		admin := e.TokenFor(e.CreateUser("root@example.com", "pw", true))
		srv := httptest.NewServer(e.App.Router)
		t.Cleanup(func() { e.App.Services.Events.CloseSubscribers(); srv.Close() })
		runURL, projURL := srv.URL+"/api/run/"+f.run+"/events", srv.URL+"/api/project/"+f.project+"/events"

		// The member's cap counts both kinds of stream together.
		m1, m2 := holdStream(t, runURL, f.member), holdStream(t, projURL, f.member)
		if m1.code != 200 || m2.code != 200 {
			t.Fatalf("member's first streams: %d %d", m1.code, m2.code)
		}
		waitOpen(t, e.App, 2, 1)
		over := holdStream(t, runURL, f.member)
		if over.code != 429 || over.body["cap"] != "per_user" || over.body["limit"] != 2.0 || over.body["detail"] == nil || over.retry == "" {
			t.Fatalf("member beyond the cap: %d %v Retry-After %q", over.code, over.body, over.retry)
		}

		// Another user is not held to the member's cap, only to the total.
		a1 := holdStream(t, runURL, admin)
		if a1.code != 200 {
			t.Fatalf("other user's stream: %d %v", a1.code, a1.body)
		}
		waitOpen(t, e.App, 3, 2)
		if a2 := holdStream(t, projURL, admin); a2.code != 429 || a2.body["cap"] != "total" || a2.body["limit"] != 3.0 || a2.retry == "" {
			t.Fatalf("beyond the total: %d %v Retry-After %q", a2.code, a2.body, a2.retry)
		}

		// A closed stream (the client goes away) frees its slot.
		m1.close()
		waitOpen(t, e.App, 2, 2)
		m3 := holdStream(t, runURL, f.member)
		if m3.code != 200 {
			t.Fatalf("member after closing one: %d %v", m3.code, m3.body)
		}

		// Refusals hold nothing, and every slot comes back.
		m2.close()
		m3.close()
		a1.close()
		waitOpen(t, e.App, 0, 0)
	})
}
