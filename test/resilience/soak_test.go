package resilience

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

// SoakEnv sets the soak's length (a Go duration); the default suits CI.
const SoakEnv = "IBUTSU_SOAK_DURATION"

// soakDuration reads SoakEnv (default 30s; use 10m for a full soak).
func soakDuration(t *testing.T) time.Duration {
	t.Helper()
	v := os.Getenv(SoakEnv)
	if v == "" {
		return 30 * time.Second
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 10*time.Second {
		t.Fatalf("%s=%q: want a duration of at least 10s", SoakEnv, v)
	}
	return d
}

// TestSoak measures the peak ingest rate of a backend process for 5 s,
// then ingests at half that rate for IBUTSU_SOAK_DURATION with readers
// listing and fetching results in parallel, and checks: no errors, no
// acknowledged result lost, p99 latency of the last window not far above
// the first, resident memory after warm-up growing < 10%, and no goroutines
// leaked once the load has stopped. The backend is built without the race
// detector so its memory is production's.
func TestSoak(t *testing.T) {
	soak := soakDuration(t)
	window := max(5*time.Second, soak/10)
	dsn := testenv.NewPostgresDatabase(t)
	bin := BuildTestBinary(t)
	be := StartBackendBinary(t, bin, "DATABASE_URL="+dsn, "JWT_SECRET=soak-secret", "LOG_LEVEL=warn",
		"IBUTSU_SUPERADMIN_EMAIL=admin@example.com", "IBUTSU_SUPERADMIN_PASSWORD=admin-password")
	token := be.Login("admin@example.com", "admin-password")
	pid := createProject(t, be.URL, token, "p1")
	const clients, readers = 16, 4

	// Peak: as fast as the backend answers.
	peak := NewIngest(be.URL, token, "p1", clients)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	peakStart := time.Now()
	peak.Run(ctx, clients)
	cancel()
	peakRate := float64(len(peak.Accepted())) / time.Since(peakStart).Seconds()
	t.Logf("peak: %.0f results/s (%d requests, by status %v, p99 %s)", peakRate, len(peak.Outcomes()), Tally(peak.Outcomes()),
		Percentile(peak.Outcomes(), 99).Round(time.Microsecond))
	if peakRate < 10 {
		t.Fatalf("peak rate %.1f/s is too low to soak", peakRate)
	}
	peak.HTTP.CloseIdleConnections()
	restG := settledGoroutines(t, be)

	// Soak: half the peak, readers alongside.
	ctx, cancel = context.WithCancel(context.Background())
	gen := NewIngest(be.URL, token, "p1", clients)
	gen.Pace = Pace(ctx, peakRate/2)
	rd := &reader{base: be.URL, token: token, project: pid, http: &http.Client{Timeout: time.Minute}}
	var wg sync.WaitGroup
	wg.Add(1 + readers)
	go func() { defer wg.Done(); gen.Run(ctx, clients) }()
	for i := 0; i < readers; i++ {
		go func() { defer wg.Done(); rd.run(ctx, peak.Accepted()) }()
	}
	type sample struct {
		rss        int64
		goroutines float64
		wp99, rp99 time.Duration
		writes     int
		reads      int
	}
	var samples []sample
	start := time.Now()
	for w := 1; time.Since(start) < soak; w++ {
		time.Sleep(time.Until(start.Add(time.Duration(w) * window)))
		from := start.Add(time.Duration(w-1) * window)
		to := start.Add(time.Duration(w) * window)
		rss, err := be.RSS()
		if err != nil {
			t.Fatal(err)
		}
		g, _ := be.Metric("go_goroutines")
		ws, rs := Between(gen.Outcomes(), from, to), Between(rd.outcomes(), from, to)
		s := sample{rss: rss, goroutines: g, wp99: Percentile(ws, 99), rp99: Percentile(rs, 99), writes: len(ws), reads: len(rs)}
		samples = append(samples, s)
		t.Logf("window %2d (%s): %5d writes p99 %-10s %4d reads p99 %-10s RSS %6.1f MiB, %3.0f goroutines",
			w, to.Sub(start).Round(time.Second), s.writes, s.wp99.Round(time.Microsecond), s.reads, s.rp99.Round(time.Microsecond),
			float64(rss)/(1<<20), g)
	}
	cancel()
	wg.Wait()
	gen.HTTP.CloseIdleConnections()
	rd.http.CloseIdleConnections()
	endG := settledGoroutines(t, be)

	wouts, routs := gen.Outcomes(), rd.outcomes()
	errs := 0
	for _, o := range append(wouts, routs...) {
		if o.Status < 200 || o.Status >= 300 {
			errs++
		}
	}
	accepted := peak.Accepted()
	for id, s := range gen.Accepted() {
		accepted[id] = s
	}
	v := VerifyResults(t, dsn, accepted)
	first, last := samples[0], samples[len(samples)-1]
	if len(samples) > 1 {
		first = samples[1] // the first window is the warm-up
	}
	growth := float64(last.rss-first.rss) / float64(first.rss)
	t.Logf("soak %s paced at %.0f/s (achieved %.0f/s): %d writes (by status %v), %d reads (by status %v), %d errors; %d results stored, %d lost, %d broken",
		soak, peakRate/2, float64(len(gen.Accepted()))/soak.Seconds(), len(wouts), Tally(wouts), len(routs), Tally(routs), errs, v.Stored, v.Lost, len(v.Broken))
	t.Logf("write p99 first/last window %s / %s; read p99 %s / %s; RSS after warm-up %.1f MiB → %.1f MiB (%+.1f%%); goroutines at rest %d → %d",
		first.wp99.Round(time.Microsecond), last.wp99.Round(time.Microsecond), first.rp99.Round(time.Microsecond), last.rp99.Round(time.Microsecond),
		float64(first.rss)/(1<<20), float64(last.rss)/(1<<20), 100*growth, restG, endG)

	if errs != 0 {
		t.Errorf("%d requests failed during the soak", errs)
	}
	if v.Lost != 0 || len(v.Broken) != 0 {
		t.Errorf("lost %d acknowledged results; broken: %v", v.Lost, v.Broken)
	}
	if growth > 0.10 {
		t.Errorf("RSS grew %.1f%% after warm-up, want < 10%%", 100*growth)
	}
	if endG > restG+10 {
		t.Errorf("goroutines at rest grew from %d to %d", restG, endG)
	}
	// p99 is noisy on shared CI machines; flag only a clear trend.
	if last.wp99 > 3*first.wp99+100*time.Millisecond {
		t.Errorf("write p99 went from %s to %s", first.wp99, last.wp99)
	}
}

// settledGoroutines waits until the backend's goroutine count stops
// falling (idle connections closing, batches draining) and returns it.
func settledGoroutines(t *testing.T, be *Backend) int {
	t.Helper()
	prev := -1
	for i := 0; i < 50; i++ {
		g, err := be.Metric("go_goroutines")
		if err != nil {
			t.Fatal(err)
		}
		if int(g) == prev {
			return prev
		}
		prev = int(g)
		time.Sleep(200 * time.Millisecond)
	}
	return prev
}

// reader lists and fetches results the way the UI does while ingest runs.
type reader struct {
	base, token, project string
	http                 *http.Client
	mu                   sync.Mutex
	outs                 []Outcome
}

func (r *reader) run(ctx context.Context, known map[uuid.UUID]Sent) {
	ids := make([]string, 0, len(known))
	for id := range known {
		ids = append(ids, id.String())
	}
	paths := []func() string{
		func() string { return "/api/result?filter=project_id=" + r.project + "&pageSize=50" },
		func() string {
			return fmt.Sprintf("/api/result?filter=project_id=%s&filter=result=failed&filter=metadata.component=comp%d&pageSize=25", r.project, rand.IntN(5))
		},
		func() string { return "/api/run?filter=project_id=" + r.project + "&pageSize=10" },
		func() string { return "/api/result/" + ids[rand.IntN(len(ids))] },
	}
	for i := 0; ctx.Err() == nil; i++ {
		path := paths[i%len(paths)]()
		if len(ids) == 0 && i%len(paths) == 3 {
			continue
		}
		req, _ := http.NewRequest(http.MethodGet, r.base+path, nil)
		req.Header.Set("Authorization", "Bearer "+r.token)
		start := time.Now()
		resp, err := r.http.Do(req)
		o := Outcome{Latency: time.Since(start)}
		if err != nil {
			o.Err = err.Error()
		} else {
			o.Status = resp.StatusCode
			drain(resp)
		}
		o.End = time.Now()
		r.mu.Lock()
		r.outs = append(r.outs, o)
		r.mu.Unlock()
	}
}

func (r *reader) outcomes() []Outcome {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Outcome(nil), r.outs...)
}
