package backend_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/backend"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// sse is one event read from a stream.
type sse struct {
	id   uint64
	typ  string
	data map[string]any
}

// openStream opens an event stream over real HTTP and returns its events;
// the stream closes with the test.
func openStream(t *testing.T, url string, header ...string) (int, <-chan sse) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	req.Header.Set("Accept", "text/event-stream")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	out := make(chan sse, 100)
	if resp.StatusCode != 200 {
		_ = resp.Body.Close()
		close(out)
		return resp.StatusCode, out
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("content type %q", ct)
	}
	go func() {
		defer close(out)
		defer func() { _ = resp.Body.Close() }()
		sc := bufio.NewScanner(resp.Body)
		var ev sse
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.typ != "" {
					out <- ev
				}
				ev = sse{}
			case strings.HasPrefix(line, "id: "):
				ev.id, _ = strconv.ParseUint(line[4:], 10, 64)
			case strings.HasPrefix(line, "event: "):
				ev.typ = line[7:]
			case strings.HasPrefix(line, "data: "):
				_ = json.Unmarshal([]byte(line[6:]), &ev.data)
			}
		}
	}()
	return resp.StatusCode, out
}

// await reads events until one of type typ arrives (the test's deadline
// bounds a failure).
func await(t *testing.T, c <-chan sse, typ string) sse {
	t.Helper()
	for ev := range c {
		if ev.typ == typ {
			return ev
		}
	}
	t.Fatalf("stream ended before a %s event", typ)
	return sse{}
}

// liveFixture is a project with a member, an outsider and a run.
type liveFixture struct {
	e                      *backendtest.Env
	member, outsider       string
	project, run, otherRun string
	memberID               uuid.UUID
}

func newLiveFixture(t *testing.T, e *backendtest.Env) *liveFixture {
	f := &liveFixture{e: e}
	m := e.CreateUser("member@example.com", "pw", false)
	o := e.CreateUser("outsider@example.com", "pw", false)
	f.member, f.outsider, f.memberID = e.TokenFor(m), e.TokenFor(o), m.ID
	f.project = mustOK(t, e.Do("POST", "/api/project", map[string]any{"name": "live", "title": "Live"}, f.member), "project")["id"].(string)
	f.run = mustOK(t, e.Do("POST", "/api/run", map[string]any{"metadata": map[string]any{"project": f.project}}, f.member), "run")["id"].(string)
	f.otherRun = mustOK(t, e.Do("POST", "/api/run", map[string]any{"metadata": map[string]any{"project": f.project}}, f.member), "run")["id"].(string)
	return f
}

func (f *liveFixture) ticket(t *testing.T, srv, kind, id, token string) string {
	t.Helper()
	req, _ := http.NewRequest("POST", srv+"/api/"+kind+"/"+id+"/events/ticket", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	code, body := send(t, req)
	if code != 201 {
		t.Fatalf("ticket for %s %s: %d %v", kind, id, code, body)
	}
	return body["ticket"].(string)
}

func post(t *testing.T, srv, path, token string, body any) map[string]any {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", srv+path, strings.NewReader(string(b)))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	code, out := send(t, req)
	if code >= 300 {
		t.Fatalf("POST %s: %d %v", path, code, out)
	}
	return out
}

// send sends req to a served backend and decodes its JSON answer (nil
// when the body is not a JSON object; callers check the status first).
func send(t *testing.T, req *http.Request) (int, map[string]any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// secondReplica starts another backend on e's database and serves both.
func secondReplica(t *testing.T, e *backendtest.Env) (srv1, srv2 string) {
	t.Helper()
	cfg := backendtest.Config(t, backendtest.Options{Configure: func(c *config.Config) { c.Database.URL = e.App.Config.Database.URL }})
	app2, err := backend.New(context.Background(), cfg, backendtest.Quiet(), backendtest.Quiet())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = app2.Close() })
	s1, s2 := httptest.NewServer(e.App.Router), httptest.NewServer(app2.Router)
	t.Cleanup(func() {
		e.App.Services.Events.CloseSubscribers()
		app2.Services.Events.CloseSubscribers()
		s1.Close()
		s2.Close()
	})
	return s1.URL, s2.URL
}

// TestLiveStreamsAcrossReplicas runs two backends on one PostgreSQL
// database: results posted to one reach the streams of the other, with
// the same ids, and a client that reconnects to either replica with
// Last-Event-ID gets what it missed.
func TestLiveStreamsAcrossReplicas(t *testing.T) {
	e := backendtest.New(t, backendtest.Options{})
	f := newLiveFixture(t, e)
	srv1, srv2 := secondReplica(t, e)

	// A browser on replica 2 with a ticket issued by replica 1.
	tk := f.ticket(t, srv1, "run", f.run, f.member)
	code, onTwo := openStream(t, srv2+"/api/run/"+f.run+"/events?ticket="+tk)
	if code != 200 {
		t.Fatalf("stream on replica 2: %d", code)
	}
	code, onOne := openStream(t, srv1+"/api/run/"+f.run+"/events", "Authorization", "Bearer "+f.member)
	if code != 200 {
		t.Fatalf("stream on replica 1: %d", code)
	}
	code, project := openStream(t, srv2+"/api/project/"+f.project+"/events?ticket="+f.ticket(t, srv2, "project", f.project, f.member))
	if code != 200 {
		t.Fatalf("project stream: %d", code)
	}

	res := post(t, srv1, "/api/result", f.member, map[string]any{"test_id": "t1", "result": "failed", "duration": 1.5,
		"metadata": map[string]any{"project": f.project, "run": f.run}})
	a, b := await(t, onTwo, "result.added"), await(t, onOne, "result.added")
	if a.data["id"] != res["id"] || a.data["result"] != "failed" || a.data["test_id"] != "t1" || a.id == 0 || a.id != b.id {
		t.Fatalf("result.added on the replicas: %+v / %+v", a, b)
	}

	// Client says the run is done, on replica 2: both streams hear it.
	fin := post(t, srv2, "/api/run/"+f.run+"/finish", f.member, nil)
	if fin["state"] != "finished" || fin["finished_by"] != "client" || fin["finished_at"] == nil {
		t.Fatalf("finish answered %v", fin)
	}
	done := await(t, onOne, "run.finished")
	if done.data["id"] != f.run || done.data["state"] != "finished" {
		t.Fatalf("run.finished %+v", done)
	}
	if pe := await(t, project, "run.finished"); pe.data["id"] != f.run || pe.data["project_id"] != f.project {
		t.Fatalf("project run.finished %+v", pe)
	}
	last := await(t, onTwo, "run.finished").id

	// Resume: events posted while the client was away come back, on
	// either replica, after the Last-Event-ID it saw.
	missed := post(t, srv2, "/api/result", f.member, map[string]any{"test_id": "t2", "result": "passed",
		"metadata": map[string]any{"project": f.project, "run": f.run}})
	await(t, onOne, "result.added") // it has been published and delivered
	for _, srv := range []string{srv1, srv2} {
		_, again := openStream(t, srv+"/api/run/"+f.run+"/events", "Authorization", "Bearer "+f.member, "Last-Event-ID", strconv.FormatUint(last, 10))
		ev := <-again
		if ev.typ != "result.added" || ev.data["id"] != missed["id"] || ev.id <= last {
			t.Fatalf("resumed on %s with %d: first event %+v", srv, last, ev)
		}
	}
	// A Last-Event-ID older than anything known is a reset.
	_, stale := openStream(t, srv1+"/api/run/"+f.run+"/events?last_event_id=1", "Authorization", "Bearer "+f.member)
	if ev := <-stale; ev.typ != "reset" {
		t.Fatalf("stale resume: %+v, want reset", ev)
	}
	// The run reads as finished on the API.
	if r := mustOK(t, e.Do("GET", "/api/run/"+f.run, nil, f.member), "run"); r["state"] != "finished" {
		t.Fatalf("run %v", r)
	}
}

// TestLiveAuthorisation: outsiders get 403 on both streams and no ticket;
// a ticket opens only its own stream, only until it expires, and cannot be
// forged; the long-lived token is never accepted in the URL.
func TestLiveAuthorisation(t *testing.T) {
	eachDB(t, func(t *testing.T, sqlite bool) {
		e := backendtest.New(t, backendtest.Options{SQLite: sqlite})
		f := newLiveFixture(t, e)
		srv := httptest.NewServer(e.App.Router)
		t.Cleanup(func() { e.App.Services.Events.CloseSubscribers(); srv.Close() })
		runURL, projURL := srv.URL+"/api/run/"+f.run+"/events", srv.URL+"/api/project/"+f.project+"/events"

		for _, u := range []string{runURL, projURL} {
			if code, _ := openStream(t, u, "Authorization", "Bearer "+f.outsider); code != 403 {
				t.Errorf("outsider on %s: %d, want 403", u, code)
			}
			if code, _ := openStream(t, u); code != 401 {
				t.Errorf("anonymous on %s: %d, want 401", u, code)
			}
			if code, _ := openStream(t, u+"?token="+f.member); code != 401 {
				t.Errorf("token in the URL of %s: %d, want 401", u, code)
			}
			if code, _ := openStream(t, u+"?api_key="+f.member); code != 401 {
				t.Errorf("api_key in the URL of %s: %d, want 401", u, code)
			}
		}
		for _, p := range []string{"/api/run/" + f.run, "/api/project/" + f.project} {
			if r := e.Do("POST", p+"/events/ticket", nil, f.outsider); r.Code != 403 {
				t.Errorf("outsider's ticket for %s: %d %s", p, r.Code, r.Body)
			}
		}
		if r := e.Do("GET", "/api/run/"+uuid.NewString()+"/events", nil, f.member); r.Code != 404 {
			t.Errorf("unknown run: %d", r.Code)
		}
		if r := e.Do("GET", "/api/run/nope/events", nil, f.member); r.Code != 400 {
			t.Errorf("bad id: %d", r.Code)
		}

		tk := f.ticket(t, srv.URL, "run", f.run, f.member)
		if code, _ := openStream(t, runURL+"?ticket="+tk); code != 200 {
			t.Errorf("own ticket: %d", code)
		}
		if code, _ := openStream(t, srv.URL+"/api/run/"+f.otherRun+"/events?ticket="+tk); code != 401 {
			t.Errorf("ticket of another run: %d, want 401", code)
		}
		if code, _ := openStream(t, projURL+"?ticket="+tk); code != 401 {
			t.Errorf("run ticket on the project stream: %d, want 401", code)
		}
		forged := tk[:len(tk)-2] + "AA"
		if forged == tk {
			forged = tk[:len(tk)-2] + "BB"
		}
		if code, _ := openStream(t, runURL+"?ticket="+forged); code != 401 {
			t.Errorf("forged ticket: %d, want 401", code)
		}
		other := auth.NewSigner("another-secret", "", time.Hour).SignTicket(f.memberID, "run:"+f.run, time.Now().Add(time.Minute))
		if code, _ := openStream(t, runURL+"?ticket="+other); code != 401 {
			t.Errorf("ticket signed with another secret: %d, want 401", code)
		}
		signer := auth.NewSigner(e.App.Config.JWT.Secret, "", time.Hour)
		expired := signer.SignTicket(f.memberID, "run:"+f.run, time.Now().Add(-time.Second))
		if code, _ := openStream(t, runURL+"?ticket="+expired); code != 401 {
			t.Errorf("expired ticket: %d, want 401", code)
		}
		// A ticket for a member who has since left checks access again.
		left := signer.SignTicket(uuid.New(), "run:"+f.run, time.Now().Add(time.Minute))
		if code, _ := openStream(t, runURL+"?ticket="+left); code != 401 {
			t.Errorf("ticket of an unknown user: %d, want 401", code)
		}
	})
}

// TestFinishRun: finishing is the run's write access; an outsider's call
// with a foreign run id changes nothing.
func TestFinishRun(t *testing.T) {
	eachDB(t, func(t *testing.T, sqlite bool) {
		e := backendtest.New(t, backendtest.Options{SQLite: sqlite})
		f := newLiveFixture(t, e)
		if r := mustOK(t, e.Do("GET", "/api/run/"+f.run, nil, f.member), "run"); r["state"] != "running" || r["finished_at"] != nil {
			t.Fatalf("new run: %v", r)
		}
		if r := e.Do("POST", "/api/run/"+f.run+"/finish", nil, f.outsider); r.Code != 403 {
			t.Fatalf("outsider finish: %d %s", r.Code, r.Body)
		}
		if r := mustOK(t, e.Do("GET", "/api/run/"+f.run, nil, f.member), "run"); r["state"] != "running" {
			t.Fatalf("after the outsider's finish: %v", r)
		}
		if r := e.Do("POST", "/api/run/"+uuid.NewString()+"/finish", nil, f.member); r.Code != 404 {
			t.Fatalf("unknown run: %d %s", r.Code, r.Body)
		}
		r := mustOK(t, e.Do("POST", "/api/run/"+f.run+"/finish", nil, f.member), "finish")
		if r["state"] != "finished" || r["finished_by"] != "client" {
			t.Fatalf("finish: %v", r)
		}
		again := mustOK(t, e.Do("POST", "/api/run/"+f.run+"/finish", nil, f.member), "finish again")
		if again["finished_at"] != r["finished_at"] {
			t.Fatalf("finishing twice moved finished_at: %v then %v", r["finished_at"], again["finished_at"])
		}
		list := mustOK(t, e.Do("GET", "/api/run?filter=project_id="+f.project, nil, f.member), "list")
		states := map[string]any{}
		for _, row := range list["runs"].([]any) {
			m := row.(map[string]any)
			states[m["id"].(string)] = m["state"]
		}
		if states[f.run] != "finished" || states[f.otherRun] != "running" {
			t.Fatalf("list states %v", states)
		}
	})
}

// TestStreamOutlivesServerTimeouts serves the backend with 1 s read and
// write timeouts: an event stream stays open past both (30 heartbeats of
// 100 ms), as browsers keep a run page open for hours.
func TestStreamOutlivesServerTimeouts(t *testing.T) {
	e := backendtest.New(t, backendtest.Options{SQLite: true, Configure: func(c *config.Config) {
		c.HTTP.ReadTimeout, c.HTTP.WriteTimeout, c.Live.Heartbeat = time.Second, time.Second, 100*time.Millisecond
	}})
	f := newLiveFixture(t, e)
	srv := e.Listen()
	req, _ := http.NewRequestWithContext(t.Context(), "GET", srv.URL+"/api/run/"+f.run+"/events", nil)
	req.Header.Set("Authorization", "Bearer "+f.member)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	sc := bufio.NewScanner(resp.Body)
	pings := 0
	for pings < 30 && sc.Scan() {
		if sc.Text() == ": ping" {
			pings++
		}
	}
	if pings < 30 {
		t.Fatalf("stream ended after %d heartbeats: %v", pings, sc.Err())
	}
}
