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
	"github.com/ibutsu-go/ibutsu/pkg/testkit/formatgen"
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
	{"go test -json", "bench-gotest.json", report("gotest"), gotest.Parse},
	{"TAP", "bench.tap", report("tap"), tap.Parse},
	{"CTRF", "bench-ctrf.json", report("ctrf"), ctrf.Parse},
	{"NUnit 3", "bench-nunit.xml", report("nunit3"), viaImporter("nunit3")},
	{"xUnit.net v2", "bench-xunit.xml", report("xunit2"), viaImporter("xunit2")},
	{"TRX", "bench.trx", report("trx"), viaImporter("trx")},
	{"Cucumber JSON", "bench-cucumber.json", report("cucumber"), viaImporter("cucumber")},
	{"Playwright JSON", "bench-playwright.json", report("playwright"), viaImporter("playwright")},
	{"Allure results", "bench-allure.tar.gz", report("allure"), viaImporter("allure")},
}

// report generates an n-case report of a format (pkg/testkit/formatgen,
// shared with the resilience suite's memory test).
func report(format string) func(n int) []byte {
	return func(n int) []byte {
		var b bytes.Buffer
		if err := formatgen.Write(&b, format, n, formatgen.Options{}); err != nil {
			panic(err)
		}
		return b.Bytes()
	}
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
