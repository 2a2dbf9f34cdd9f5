package resilience

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/google/uuid"
)

// Sent is what one client posted: the fields a test later finds (or not) in
// the database. Client and Seq are also stored in the result's metadata.
type Sent struct {
	TestID   string
	Result   string
	Duration float64
	Client   int
	Seq      int
}

// expected is the result client posts as its seq-th request.
func expected(client, seq int) Sent {
	return Sent{TestID: fmt.Sprintf("test_c%d_s%d", client, seq), Result: []string{"passed", "failed", "skipped", "error"}[seq%4],
		Duration: float64(seq%1000) / 7, Client: client, Seq: seq}
}

// Outcome is one request's fate: Status 0 means no HTTP answer at all
// (connection refused or reset).
type Outcome struct {
	End     time.Time
	Latency time.Duration
	Status  int
	Err     string
}

// Ingest posts results from concurrent clients, as pytest-ibutsu does (one
// POST /api/result per test), with ids chosen by the client, and remembers
// every result acknowledged with a 2xx.
type Ingest struct {
	BaseURL string
	Token   string
	Project string
	HTTP    *http.Client
	// Pace, when set, hands out one token per request (rate limiting);
	// without it every client posts as fast as it is answered.
	Pace <-chan time.Time

	mu       sync.Mutex
	accepted map[uuid.UUID]Sent
	outcomes []Outcome
}

// NewIngest prepares a generator for the backend at baseURL.
func NewIngest(baseURL, token, project string, clients int) *Ingest {
	return &Ingest{
		BaseURL: baseURL, Token: token, Project: project,
		HTTP: &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{
			MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients, DisableCompression: true,
		}},
		accepted: map[uuid.UUID]Sent{},
	}
}

// Run posts from clients goroutines until ctx ends.
func (g *Ingest) Run(ctx context.Context, clients int) {
	var wg sync.WaitGroup
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for seq := 0; ; seq++ {
				if g.Pace != nil {
					select {
					case <-g.Pace:
					case <-ctx.Done():
						return
					}
				}
				if ctx.Err() != nil {
					return
				}
				g.post(ctx, c, seq)
			}
		}(c)
	}
	wg.Wait()
}

// post sends one result. A request cut short by ctx is not counted.
func (g *Ingest) post(ctx context.Context, client, seq int) {
	id := uuid.New()
	s := expected(client, seq)
	body, _ := json.Marshal(map[string]any{
		"id": id, "test_id": s.TestID, "result": s.Result, "duration": s.Duration,
		"params":   map[string]any{"seq": seq},
		"metadata": map[string]any{"project": g.Project, "client": client, "seq": seq, "env": "resilience", "component": fmt.Sprintf("comp%d", seq%5)},
	})
	start := time.Now()
	status, err := g.do(ctx, http.MethodPost, "/api/result", body)
	if ctx.Err() != nil && status == 0 {
		return
	}
	o := Outcome{End: time.Now(), Latency: time.Since(start), Status: status}
	if err != nil {
		o.Err = err.Error()
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.outcomes = append(g.outcomes, o)
	if status >= 200 && status < 300 {
		g.accepted[id] = s
	}
}

// do sends one request and drains the answer.
func (g *Ingest) do(ctx context.Context, method, path string, body []byte) (int, error) {
	req, err := http.NewRequestWithContext(context.WithoutCancel(ctx), method, g.BaseURL+path, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+g.Token)
	resp, err := g.HTTP.Do(req)
	if err != nil {
		return 0, err
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return resp.StatusCode, fmt.Errorf("%s", bytes.TrimSpace(b))
	}
	return resp.StatusCode, nil
}

// Accepted returns a copy of the results acknowledged with a 2xx.
func (g *Ingest) Accepted() map[uuid.UUID]Sent {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make(map[uuid.UUID]Sent, len(g.accepted))
	for k, v := range g.accepted {
		out[k] = v
	}
	return out
}

// Outcomes returns a copy of every recorded outcome, in completion order.
func (g *Ingest) Outcomes() []Outcome {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]Outcome(nil), g.outcomes...)
}

// Tally counts outcomes by status (0: no answer).
func Tally(os []Outcome) map[int]int {
	m := map[int]int{}
	for _, o := range os {
		m[o.Status]++
	}
	return m
}

// drain reads and closes a response body so its connection is reused.
func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
}
