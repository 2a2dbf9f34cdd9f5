// Package formatgen writes generated test reports of every format POST
// /api/import reads besides JUnit (see junitgen), for the bench and the
// resilience suite. Every generator streams to an io.Writer, so a caller
// can send a report of any size without holding it. It imports nothing of
// this module.
package formatgen

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Options shape a generated report.
type Options struct {
	// Output is the number of bytes of captured output every case carries
	// on top of the usual "captured output N" of a failing case (0: none).
	// It makes the file large without making it hold many cases.
	Output int
}

type gen func(b *bufio.Writer, n int, pad string)

// generators maps the importer's format name (pkg/importer's registry) to
// its generator.
var generators = map[string]gen{
	"gotest":     gotestReport,
	"tap":        tapReport,
	"ctrf":       ctrfReport,
	"nunit3":     nunitReport,
	"xunit2":     xunitReport,
	"trx":        trxReport,
	"cucumber":   cucumberReport,
	"playwright": playwrightReport,
	"allure":     allureReport,
}

// Formats lists the format names Write knows, sorted.
func Formats() []string {
	names := make([]string, 0, len(generators))
	for k := range generators {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// Write writes an n-case report of format to w: one case in ten failing
// with a message, a trace and captured output, in groups (packages,
// suites, fixtures, features) of 100.
func Write(w io.Writer, format string, n int, opt Options) error {
	g, ok := generators[format]
	if !ok {
		return fmt.Errorf("formatgen: unknown format %q", format)
	}
	b := bufio.NewWriterSize(w, 64<<10)
	g(b, n, padding(opt.Output))
	return b.Flush()
}

// padding is about size bytes of log lines (plain ASCII, no character any
// format must escape).
func padding(size int) string {
	if size <= 0 {
		return ""
	}
	const line = "log line of a chatty test, with a timestamp 2026-11-29T07:00:00Z and some detail\n"
	return strings.Repeat(line, (size+len(line)-1)/len(line))
}

// lines is the padding as a list of its lines (without the newlines).
func lines(pad string) []string {
	if pad == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(pad, "\n"), "\n")
}

// jsonEsc is pad as the inside of a JSON string.
func jsonEsc(pad string) string { return strings.ReplaceAll(pad, "\n", `\n`) }

// gotestReport is test2json output of n tests in packages of 100.
func gotestReport(b *bufio.Writer, n int, pad string) {
	ts := "2026-01-01T00:00:00.000000Z"
	extra := lines(pad)
	for p := 0; p*100 < n; p++ {
		pkg := fmt.Sprintf("example.com/mod/pkg%d", p)
		_, _ = fmt.Fprintf(b, `{"Time":"%s","Action":"start","Package":"%s"}`+"\n", ts, pkg)
		for i := 0; i < min(100, n-p*100); i++ {
			_, _ = fmt.Fprintf(b, `{"Time":"%s","Action":"run","Package":"%s","Test":"TestX%d"}`+"\n", ts, pkg, i)
			_, _ = fmt.Fprintf(b, `{"Time":"%s","Action":"output","Package":"%s","Test":"TestX%d","Output":"=== RUN   TestX%d\n"}`+"\n", ts, pkg, i, i)
			for _, l := range extra {
				_, _ = fmt.Fprintf(b, `{"Time":"%s","Action":"output","Package":"%s","Test":"TestX%d","Output":"    %s\n"}`+"\n", ts, pkg, i, l)
			}
			action := "pass"
			if i%10 == 0 {
				action = "fail"
				_, _ = fmt.Fprintf(b, `{"Time":"%s","Action":"output","Package":"%s","Test":"TestX%d","Output":"    x_test.go:%d: got 1, want 2\n"}`+"\n", ts, pkg, i, i+10)
			}
			_, _ = fmt.Fprintf(b, `{"Time":"%s","Action":"%s","Package":"%s","Test":"TestX%d","Elapsed":0.1}`+"\n", ts, action, pkg, i)
		}
		_, _ = fmt.Fprintf(b, `{"Time":"%s","Action":"fail","Package":"%s","Elapsed":1}`+"\n", ts, pkg)
	}
}

// tapReport is TAP 13 with a YAML block per failing test; the padding is
// `#` diagnostics after every point.
func tapReport(b *bufio.Writer, n int, pad string) {
	extra := lines(pad)
	_, _ = fmt.Fprintf(b, "TAP version 13\n1..%d\n", n)
	for i := 1; i <= n; i++ {
		if i%10 == 1 {
			_, _ = fmt.Fprintf(b, "not ok %d - test %d\n  ---\n  duration_ms: 100\n  error: 'got 1, want 2'\n  name: 'AssertionError'\n  stack: |-\n    at test (t.js:%d:3)\n  ...\n", i, i, i)
		} else {
			_, _ = fmt.Fprintf(b, "ok %d - test %d\n", i, i)
		}
		for _, l := range extra {
			_, _ = b.WriteString("# " + l + "\n")
		}
	}
}

// ctrfReport is a CTRF report as the jest reporter writes it.
func ctrfReport(b *bufio.Writer, n int, pad string) {
	out := ""
	if pad != "" {
		out = `,"stdout":["` + jsonEsc(pad) + `"]`
	}
	_, _ = b.WriteString(`{"reportFormat":"CTRF","specVersion":"0.0.0","results":{"tool":{"name":"jest"},"summary":{"start":1767225600000,"stop":1767225700000},"tests":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			_ = b.WriteByte(',')
		}
		if i%10 == 0 {
			_, _ = fmt.Fprintf(b, `{"name":"suite%d test %d","status":"failed","duration":100,"message":"Error: got 1, want 2","trace":"at test (t.js:%d:3)","stdout":["captured output %d"],"suite":"suite%d","filePath":"t%d.js"}`, i/100, i, i, i, i/100, i/100)
			continue
		}
		_, _ = fmt.Fprintf(b, `{"name":"suite%d test %d","status":"passed","duration":100,"suite":"suite%d","filePath":"t%d.js"%s}`, i/100, i, i/100, i/100, out)
	}
	_, _ = b.WriteString(`]}}`)
}
