package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ibutsu-go/ibutsu/pkg/importer/ingest"
	"github.com/ibutsu-go/ibutsu/pkg/importer/junit"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

// TestRunTiny runs every scenario at the tiny scale against the test
// services: it proves the benchmark works (no non-2xx, imports finish,
// counts match) and drops its database; it says nothing about speed.
func TestRunTiny(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a backend and seeds a database")
	}
	opts := Options{Scale: Scales["tiny"], AdminDSN: testenv.PostgresDSN(t), RedisURL: testenv.RedisURL(t), S3URL: testenv.S3URL(t),
		Log: slog.New(slog.NewTextHandler(testWriter{t}, nil))}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	rep, err := Run(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	var table bytes.Buffer
	if err := rep.WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + table.String())
	if len(rep.Errors) > 0 {
		t.Fatalf("scenarios failed: %s", strings.Join(rep.Errors, "; "))
	}
	seen := map[string]int{}
	for _, r := range rep.Rows {
		seen[r.Scenario]++
		if r.Value <= 0 {
			t.Errorf("%s / %s: value %v", r.Scenario, r.Case, r.Value)
		}
		// Each write row of the objstore scenario counts both sides' CPU
		// per object (objstore_cost.go); the bare proxy is one of them.
		if r.Scenario == "objstore" && strings.HasPrefix(r.Case, "POST") && !strings.Contains(r.Detail, "CPU per object bench") {
			t.Errorf("objstore / %s: no CPU per object in %q", r.Case, r.Detail)
		}
		if r.Scenario == "objstore" && strings.Contains(r.Case, "bare proxy") {
			seen["objstore proxy"]++
		}
	}
	if seen["objstore proxy"] == 0 {
		t.Errorf("no objstore row of the bare proxy")
	}
	for _, s := range []string{"ingest", "import", "query", "widgets", "memory", "triage", "live", "flaky", "objstore", "size", "seed"} {
		if seen[s] == 0 {
			t.Errorf("no %s rows", s)
		}
	}
	conn, err := pgx.Connect(ctx, opts.AdminDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(ctx) }()
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM pg_database WHERE datname = $1", rep.Database).Scan(&n); err != nil || n != 0 {
		t.Errorf("benchmark database %s not dropped (count %d, err %v)", rep.Database, n, err)
	}
}

// TestJUnitReport checks the generated report has exactly n cases.
func TestJUnitReport(t *testing.T) {
	for _, n := range []int{1, 100, 250} {
		var c counter
		if _, err := junit.Parse(bytes.NewReader(junitReport(n)), &c); err != nil {
			t.Fatal(err)
		}
		if int(c) != n {
			t.Errorf("junitReport(%d) has %d cases", n, c)
		}
	}
}

type counter int

func (*counter) Root(*junit.Root) error   { return nil }
func (c *counter) Case(*junit.Case) error { *c++; return nil }

// TestPlan checks the seeded data set's expected numbers add up.
func TestPlan(t *testing.T) {
	d := plan([16]byte{1}, 10_000, 400)
	sum := 0
	for _, r := range d.runs {
		sum += r.n
	}
	if sum != 10_000 || d.byComp["api"] != 2000 || d.buildsJob0 != 40 {
		t.Errorf("plan: %d results, api %d, builds %d", sum, d.byComp["api"], d.buildsJob0)
	}
	if pct(nil, 50) != 0 {
		t.Error("percentile of nothing")
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// TestImportFormatGenerators: each generated report parses to exactly n
// cases, one in ten failing.
func TestImportFormatGenerators(t *testing.T) {
	for _, f := range importFormats {
		c := &countSink{}
		if err := f.parse(bytes.NewReader(f.gen(250)), c, ingest.Options{}); err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		if c.cases != 250 || c.failed != 25 {
			t.Errorf("%s: %d cases, %d failed", f.name, c.cases, c.failed)
		}
	}
}

type countSink struct{ cases, failed int }

func (*countSink) Run(ingest.Run) error { return nil }
func (c *countSink) Case(k *ingest.Case) error {
	c.cases++
	if k.Outcome == ingest.Failed {
		c.failed++
	}
	return nil
}

// TestRefusalRowNeedsASlowLimit: a guard refusal becomes a row only when
// the raw limit itself takes longer than the guard's timeout; a refusal of
// what the raw SQL does in time stays an error. (The guard's own firing is
// pinned in pkg/platform/httpx; an end-to-end run with a tiny timeout
// raced the page query against it.)
func TestRefusalRowNeedsASlowLimit(t *testing.T) {
	ctx := context.Background()
	slow := func(context.Context) error { time.Sleep(20 * time.Millisecond); return nil }
	fast := func(context.Context) error { return nil }
	failing := func(context.Context) error { return errors.New("boom") }
	row, err := refusalRow(ctx, "regex, exact count", 5*time.Second, time.Millisecond, slow, "raw SQL page + count(*)")
	if err != nil {
		t.Fatalf("slow limit: %v", err)
	}
	if !strings.Contains(row.Detail, "refused (400) by the statement timeout guard after 5.000 s") || row.Unit != "s" ||
		row.Value != 5 || row.LimitValue < 0.02 || row.Case != "regex, exact count" {
		t.Errorf("slow limit: %+v", row)
	}
	if _, err := refusalRow(ctx, "regex, exact count", time.Second, time.Hour, fast, "raw"); err == nil ||
		!strings.Contains(err.Error(), "raw limit takes only") {
		t.Errorf("fast limit: err %v, want a refusal error", err)
	}
	if _, err := refusalRow(ctx, "regex", time.Second, time.Millisecond, failing, "raw"); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("failing limit: err %v", err)
	}
}

// TestGetPageRefusal: only the guard's 400 on a regex case is a refusal;
// the same 400 on another case, any other 400 or a 504 is an error.
func TestGetPageRefusal(t *testing.T) {
	guard, _ := json.Marshal(map[string]any{"title": "Bad Request", "status": 400, "detail": httpx.RegexTimeoutMessage})
	other, _ := json.Marshal(map[string]any{"title": "Bad Request", "status": 400, "detail": "Invalid filter"})
	regex := listCase{name: "regex", filters: []string{"project_id=x", "test_id~a.*"}}
	plain := listCase{name: "plain", filters: []string{"project_id=x"}}
	for _, tc := range []struct {
		c           listCase
		code        int
		body        []byte
		refused, ok bool
	}{
		{regex, 400, guard, true, true},
		{plain, 400, guard, false, false},
		{regex, 400, other, false, false},
		{regex, 504, guard, false, false},
		{regex, 200, []byte(`{"results":[],"pagination":{"totalItems":0}}`), false, true},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(tc.code)
			_, _ = w.Write(tc.body)
		}))
		e := &Env{HTTP: srv.Client(), Base: srv.URL}
		var p page
		refused, _, err := e.getPage(context.Background(), tc.c, "/api/result", &p)
		srv.Close()
		if refused != tc.refused || (err == nil) != tc.ok {
			t.Errorf("%s, %d %s: refused %v, err %v", tc.c.name, tc.code, tc.body, refused, err)
		}
	}
}
