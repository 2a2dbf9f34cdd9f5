package backend_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// benchServer runs a real backend on loopback (PostgreSQL, in-process tasks)
// with one project, so benchmarks measure the whole HTTP path.
type benchServer struct {
	*backendtest.Env
	base, project, token string
	client               *http.Client
}

func newBenchServer(b *testing.B) *benchServer {
	b.Helper()
	e := backendtest.New(b, backendtest.Options{})
	s := &benchServer{Env: e, base: e.Listen().URL, token: e.UserToken,
		client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256}}}
	r := e.Do("POST", "/api/project", map[string]any{"name": "bench"}, e.UserToken)
	if r.Code != 201 {
		b.Fatalf("create project: %d %s", r.Code, r.Body)
	}
	s.project = r.Map()["id"].(string)
	return s
}

func (s *benchServer) do(method, path string, body []byte) (int, error) {
	req, _ := http.NewRequest(method, s.base+path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+s.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode, nil
}

// hammer runs n requests from `clients` goroutines and returns requests/s.
func hammer(b *testing.B, clients, n int, req func(i int) (int, error), want int) float64 {
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Int64
	start := time.Now()
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				if code, err := req(i); err != nil || code != want {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if f := failed.Load(); f > 0 {
		b.Fatalf("%d of %d requests failed", f, n)
	}
	return float64(n) / time.Since(start).Seconds()
}

// BenchmarkIngest measures POST /api/result with 32 concurrent clients next
// to the same server's GET /api/health rate (the HTTP+auth floor).
// Run: go test ./pkg/backend -run '^$' -bench Ingest -benchtime 1x
func BenchmarkIngest(b *testing.B) {
	s := newBenchServer(b)
	runID := uuid.NewString()
	if _, err := s.do("POST", "/api/run", []byte(fmt.Sprintf(`{"id":%q,"metadata":{"project":%q}}`, runID, s.project))); err != nil {
		b.Fatal(err)
	}
	const clients, n = 32, 20000
	health := hammer(b, clients, n, func(int) (int, error) { return s.do("GET", "/api/health", nil) }, 200)
	body := func(i int) []byte {
		return []byte(fmt.Sprintf(`{"test_id":"tests/test_mod.py::test_%d","result":"passed","duration":0.5,"metadata":{"project":%q,"run":%q,"env":"ci","component":"api","jenkins":{"job_name":"nightly","build_number":"7"}}}`, i, s.project, runID))
	}
	ingest := hammer(b, clients, n, func(i int) (int, error) { return s.do("POST", "/api/result", body(i)) }, 201)
	// The physical limit: the same rows inserted one per statement straight
	// through the pool, 32 at a time, no HTTP, no JSON, no auth.
	pid, rid := uuid.MustParse(s.project), uuid.MustParse(runID)
	md := fmt.Sprintf(`{"project":%q,"run":%q,"env":"ci","component":"api","jenkins":{"job_name":"nightly","build_number":"7"}}`, s.project, runID)
	raw := hammer(b, clients, n, func(i int) (int, error) {
		err := s.App.DB.Gorm.Exec(`INSERT INTO results (id, project_id, run_id, test_id, result, data, params, duration, start_time, env, component)
			VALUES (?, ?, ?, ?, 'passed', ?, '{}', 0.5, ?, 'ci', 'api')`, uuid.New(), pid, rid, fmt.Sprintf("raw_%d", i), md, time.Now().UTC()).Error
		if err != nil {
			return 0, err
		}
		return 201, nil
	}, 201)
	b.ReportMetric(ingest, "results/s")
	b.ReportMetric(raw, "raw-insert-rows/s")
	b.ReportMetric(health, "health-req/s")
	b.ReportMetric(ingest/raw, "ratio-vs-raw")
	b.Logf("POST /api/result x32 clients: %.0f results/s; raw single-row INSERT x32: %.0f rows/s (ratio %.2f); GET /api/health x32: %.0f req/s",
		ingest, raw, ingest/raw, health)
}

// BenchmarkResultPage measures a filtered 25-row result page on a table of
// BENCH_RESULTS (default 1,000,000) generated results, through the API and
// as the raw SQL behind it, and reports p50/p95 of each.
// Run: go test ./pkg/backend -run '^$' -bench ResultPage -benchtime 1x -timeout 30m
func BenchmarkResultPage(b *testing.B) {
	s := newBenchServer(b)
	rows := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("BENCH_RESULTS")); err == nil && v > 0 {
		rows = v
	}
	seedResults(b, s.App.DB, s.project, rows)
	path := "/api/result?filter=project_id=" + s.project + "&filter=metadata.component=api&filter=result=failed&estimate=true&pageSize=25&page=3"
	api := latencies(b, 300, func() error {
		code, err := s.do("GET", path, nil)
		if err == nil && code != 200 {
			err = fmt.Errorf("status %d", code)
		}
		return err
	})
	raw := latencies(b, 300, func() error {
		var out []map[string]any
		return s.App.DB.Gorm.Raw(`SELECT * FROM results WHERE project_id = ? AND data->>'component' = ? AND result = ? ORDER BY start_time DESC LIMIT 25 OFFSET 50`,
			s.project, "api", "failed").Scan(&out).Error
	})
	deep := latencies(b, 100, func() error {
		code, err := s.do("GET", "/api/result?filter=project_id="+s.project+"&estimate=true&pageSize=25&page=2000", nil)
		if err == nil && code != 200 {
			err = fmt.Errorf("status %d", code)
		}
		return err
	})
	b.ReportMetric(ms(deep[1]), "deep-page-p95-ms")
	b.Logf("project page 2000 (offset 49,975) p50 %.2f ms p95 %.2f ms", ms(deep[0]), ms(deep[1]))
	b.ReportMetric(ms(api[0]), "api-p50-ms")
	b.ReportMetric(ms(api[1]), "api-p95-ms")
	b.ReportMetric(ms(raw[0]), "sql-p50-ms")
	b.ReportMetric(ms(raw[1]), "sql-p95-ms")
	b.Logf("filtered 25-row page on %d results: API p50 %.2f ms p95 %.2f ms; raw SQL p50 %.2f ms p95 %.2f ms; p95 ratio %.2f",
		rows, ms(api[0]), ms(api[1]), ms(raw[0]), ms(raw[1]), float64(api[1])/float64(raw[1]))
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// latencies runs fn n times and returns p50 and p95.
func latencies(b *testing.B, n int, fn func() error) [2]time.Duration {
	ds := make([]time.Duration, 0, n)
	for i := 0; i < n; i++ {
		t0 := time.Now()
		if err := fn(); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(t0))
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return [2]time.Duration{ds[n/2], ds[n*95/100]}
}

// seedResults COPYs generated results (1 in 7 failed, 5 components) into the
// benchmark database and analyses the table.
func seedResults(b *testing.B, d *db.DB, project string, n int) {
	b.Helper()
	ctx := context.Background()
	conn, err := d.SQL.Conn(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = conn.Close() }()
	pid := uuid.MustParse(project)
	components := []string{"api", "ui", "db", "auth", "cli"}
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	err = conn.Raw(func(dc any) error {
		pc := dc.(interface{ Conn() *pgx.Conn }).Conn()
		if _, err := pc.Exec(ctx, "SET statement_timeout = 0"); err != nil {
			return err
		}
		_, err := pc.CopyFrom(ctx, pgx.Identifier{"results"},
			[]string{"id", "project_id", "test_id", "result", "data", "params", "duration", "start_time", "component", "env"},
			pgx.CopyFromFunc(func() func() ([]any, error) {
				i := 0
				return func() ([]any, error) {
					if i >= n {
						return nil, nil
					}
					comp := components[i%len(components)]
					res := "passed"
					if i%7 == 3 { // spread failures over every component
						res = "failed"
					}
					md, _ := json.Marshal(map[string]any{"project": project, "component": comp, "env": "ci", "jenkins": map[string]any{"job_name": "nightly", "build_number": strconv.Itoa(i / 1000)}})
					row := []any{uuid.New(), pid, fmt.Sprintf("tests/test_%d.py::test_%d", i%500, i), res, string(md), "{}", 0.25, base.Add(time.Duration(i) * time.Second), comp, "ci"}
					i++
					return row, nil
				}
			}()))
		return err
	})
	if err != nil {
		b.Fatalf("seed: %v", err)
	}
	if err := d.Gorm.Exec("ANALYZE results").Error; err != nil {
		b.Fatal(err)
	}
}
