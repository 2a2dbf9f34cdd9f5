package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/importer/ctrf"
	"github.com/ibutsu-go/ibutsu/pkg/importer/gotest"
	"github.com/ibutsu-go/ibutsu/pkg/importer/ingest"
	"github.com/ibutsu-go/ibutsu/pkg/importer/tap"
)

// importFormat is one format read through the neutral import path: a
// generator of an n-case report (one case in ten failing with a trace and
// captured output, like junitReport) and its parser.
type importFormat struct {
	name, file string
	gen        func(n int) []byte
	parse      func(r io.Reader, sink ingest.Sink, opt ingest.Options) error
}

var importFormats = []importFormat{
	{"go test -json", "bench-gotest.json", gotestReport, gotest.Parse},
	{"TAP", "bench.tap", tapReport, tap.Parse},
	{"CTRF", "bench-ctrf.json", ctrfReport, ctrf.Parse},
	{"NUnit 3", "bench-nunit.xml", nunitReport, viaImporter("nunit3")},
	{"xUnit.net v2", "bench-xunit.xml", xunitReport, viaImporter("xunit2")},
	{"TRX", "bench.trx", trxReport, viaImporter("trx")},
	{"Cucumber JSON", "bench-cucumber.json", cucumberReport, viaImporter("cucumber")},
	{"Playwright JSON", "bench-playwright.json", playwrightReport, viaImporter("playwright")},
	{"Allure results", "bench-allure.tar.gz", allureReport, viaImporter("allure")},
}

type nopSink struct{}

func (nopSink) Run(ingest.Run) error    { return nil }
func (nopSink) Case(*ingest.Case) error { return nil }

// importFormats uploads an n-case report of every neutral-path format
// and compares each import's rate with a raw COPY of the rows it wrote,
// as importJUnit does for JUnit.
func (e *Env) importFormats(ctx context.Context, rep *Report, n int) error {
	for _, f := range importFormats {
		if err := e.importOne(ctx, rep, f, n); err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
	}
	return nil
}

func (e *Env) importOne(ctx context.Context, rep *Report, f importFormat, n int) error {
	data := f.gen(n)
	parse := time.Duration(1 << 62)
	for range 2 {
		t0 := time.Now()
		if err := f.parse(bytes.NewReader(data), nopSink{}, ingest.Options{}); err != nil {
			return fmt.Errorf("parse generated report: %w", err)
		}
		parse = min(parse, time.Since(t0))
	}
	e.log.Info("import", "format", f.name, "cases", n, "bytes", len(data))
	settle()
	reset := resetPeak()
	s := startSampler()
	t0 := time.Now()
	runID, phases, err := e.upload(ctx, f.file, data)
	elapsed := time.Since(t0)
	peak := s.Stop(reset)
	if err != nil {
		return err
	}
	var results, artifacts int64
	if err := e.Raw.QueryRow(ctx, `SELECT (SELECT count(*) FROM results WHERE run_id = $1), (SELECT count(*) FROM artifacts WHERE result_id IN (SELECT id FROM results WHERE run_id = $1))`, runID).
		Scan(&results, &artifacts); err != nil {
		return fmt.Errorf("count imported rows: %w", err)
	}
	if results != int64(n) {
		return fmt.Errorf("import of %d cases stored %d results", n, results)
	}
	cp := 0.0
	for range 2 {
		rate, err := e.copySameRows(ctx, runID)
		if err != nil {
			return err
		}
		cp = max(cp, rate)
	}
	rate := float64(n) / elapsed.Seconds()
	name := fmt.Sprintf("%s %dk cases (%.1f MiB), upload → done", f.name, n/1000, float64(len(data))/(1<<20))
	detail := fmt.Sprintf("%.2f s (upload %.2f, queued %.2f, running %.2f); %d results + %d artifacts; parser alone %.0f cases/s", elapsed.Seconds(),
		phases[0].Seconds(), (phases[1] - phases[0]).Seconds(), (elapsed - phases[1]).Seconds(), results, artifacts, float64(n)/parse.Seconds())
	rep.add(Row{Scenario: "import", Case: name, Unit: "cases/s", Value: rate, Detail: detail,
		Limit: "raw pgx COPY of the same rows, 1 tx", LimitValue: cp, LimitUnit: "rows/s",
		Target: "≥ 0.50 of raw COPY", Met: met(rate/cp >= importTarget)})
	rep.add(Row{Scenario: "memory", Case: fmt.Sprintf("peak RSS during %s %dk import", f.name, n/1000), Unit: "MiB", Value: peak,
		Detail: "backend + worker + bench client in one process (VmHWM)"})
	return nil
}

// gotestReport is test2json output of n tests in packages of 100.
func gotestReport(n int) []byte {
	var b bytes.Buffer
	b.Grow(n * 400)
	ts := "2026-01-01T00:00:00.000000Z"
	for p := 0; p*100 < n; p++ {
		pkg := fmt.Sprintf("example.com/mod/pkg%d", p)
		fmt.Fprintf(&b, `{"Time":"%s","Action":"start","Package":"%s"}`+"\n", ts, pkg)
		for i := 0; i < min(100, n-p*100); i++ {
			fmt.Fprintf(&b, `{"Time":"%s","Action":"run","Package":"%s","Test":"TestX%d"}`+"\n", ts, pkg, i)
			fmt.Fprintf(&b, `{"Time":"%s","Action":"output","Package":"%s","Test":"TestX%d","Output":"=== RUN   TestX%d\n"}`+"\n", ts, pkg, i, i)
			action := "pass"
			if i%10 == 0 {
				action = "fail"
				fmt.Fprintf(&b, `{"Time":"%s","Action":"output","Package":"%s","Test":"TestX%d","Output":"    x_test.go:%d: got 1, want 2\n"}`+"\n", ts, pkg, i, i+10)
			}
			fmt.Fprintf(&b, `{"Time":"%s","Action":"%s","Package":"%s","Test":"TestX%d","Elapsed":0.1}`+"\n", ts, action, pkg, i)
		}
		fmt.Fprintf(&b, `{"Time":"%s","Action":"fail","Package":"%s","Elapsed":1}`+"\n", ts, pkg)
	}
	return b.Bytes()
}

// tapReport is TAP 13 with a YAML block per failing test.
func tapReport(n int) []byte {
	var b bytes.Buffer
	b.Grow(n * 100)
	fmt.Fprintf(&b, "TAP version 13\n1..%d\n", n)
	for i := 1; i <= n; i++ {
		if i%10 == 1 {
			fmt.Fprintf(&b, "not ok %d - test %d\n  ---\n  duration_ms: 100\n  error: 'got 1, want 2'\n  name: 'AssertionError'\n  stack: |-\n    at test (t.js:%d:3)\n  ...\n", i, i, i)
			continue
		}
		fmt.Fprintf(&b, "ok %d - test %d\n", i, i)
	}
	return b.Bytes()
}

// ctrfReport is a CTRF report as the jest reporter writes it.
func ctrfReport(n int) []byte {
	var b bytes.Buffer
	b.Grow(n * 200)
	b.WriteString(`{"reportFormat":"CTRF","specVersion":"0.0.0","results":{"tool":{"name":"jest"},"summary":{"start":1767225600000,"stop":1767225700000},"tests":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		if i%10 == 0 {
			fmt.Fprintf(&b, `{"name":"suite%d test %d","status":"failed","duration":100,"message":"Error: got 1, want 2","trace":"at test (t.js:%d:3)","stdout":["captured output %d"],"suite":"suite%d","filePath":"t%d.js"}`, i/100, i, i, i, i/100, i/100)
			continue
		}
		fmt.Fprintf(&b, `{"name":"suite%d test %d","status":"passed","duration":100,"suite":"suite%d","filePath":"t%d.js"}`, i/100, i, i/100, i/100)
	}
	b.WriteString(`]}}`)
	return b.Bytes()
}
