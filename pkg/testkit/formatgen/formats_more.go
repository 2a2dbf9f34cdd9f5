package formatgen

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"fmt"
	"strings"
)

// nunitReport is an NUnit 3 result file; padding goes into every passing
// case's <output>.
func nunitReport(b *bufio.Writer, n int, pad string) {
	_, _ = fmt.Fprintf(b, `<?xml version="1.0" encoding="utf-8"?>`+"\n"+`<test-run id="0" testcasecount="%d" result="Failed" total="%d" start-time="2026-01-01 00:00:00Z" end-time="2026-01-01 00:10:00Z" duration="600">`+"\n", n, n)
	_, _ = b.WriteString(`<test-suite type="Assembly" id="1" name="Bench.Tests.dll" fullname="/src/Bench.Tests.dll">` + "\n")
	for i := 0; i < n; i++ {
		if i%100 == 0 {
			if i > 0 {
				_, _ = b.WriteString("</test-suite>\n")
			}
			_, _ = fmt.Fprintf(b, `<test-suite type="TestFixture" id="f%d" name="Fixture%d" fullname="Bench.Tests.Fixture%d" classname="Bench.Tests.Fixture%d">`+"\n", i/100, i/100, i/100, i/100)
		}
		c := i / 100
		if i%10 == 0 {
			_, _ = fmt.Fprintf(b, `<test-case id="c%d" name="Test%d" fullname="Bench.Tests.Fixture%d.Test%d" methodname="Test%d" classname="Bench.Tests.Fixture%d" result="Failed" start-time="2026-01-01T00:00:01Z" duration="0.1"><failure><message><![CDATA[Expected: 2 But was: 1]]></message><stack-trace><![CDATA[at Bench.Tests.Fixture%d.Test%d() in /src/F.cs:line %d]]></stack-trace></failure><output><![CDATA[captured output %d]]></output></test-case>`+"\n", i, i, c, i, i, c, c, i, i, i)
			continue
		}
		if pad != "" {
			_, _ = fmt.Fprintf(b, `<test-case id="c%d" name="Test%d" fullname="Bench.Tests.Fixture%d.Test%d" methodname="Test%d" classname="Bench.Tests.Fixture%d" result="Passed" start-time="2026-01-01T00:00:01Z" duration="0.1"><output><![CDATA[%s]]></output></test-case>`+"\n", i, i, c, i, i, c, pad)
			continue
		}
		_, _ = fmt.Fprintf(b, `<test-case id="c%d" name="Test%d" fullname="Bench.Tests.Fixture%d.Test%d" methodname="Test%d" classname="Bench.Tests.Fixture%d" result="Passed" start-time="2026-01-01T00:00:01Z" duration="0.1"/>`+"\n", i, i, c, i, i, c)
	}
	_, _ = b.WriteString("</test-suite>\n</test-suite>\n</test-run>\n")
}

// xunitReport is an xUnit.net v2 result file; padding goes into every
// passing test's <output>.
func xunitReport(b *bufio.Writer, n int, pad string) {
	_, _ = b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n" + `<assemblies timestamp="01/01/2026 00:00:00"><assembly name="/src/Bench.Tests.dll" test-framework="xUnit.net 2.9.3" run-date="2026-01-01" run-time="00:00:00">` + "\n")
	for i := 0; i < n; i++ {
		if i%100 == 0 {
			if i > 0 {
				_, _ = b.WriteString("</collection>\n")
			}
			_, _ = fmt.Fprintf(b, `<collection name="Test collection for Bench.C%d">`+"\n", i/100)
		}
		c := i / 100
		if i%10 == 0 {
			_, _ = fmt.Fprintf(b, `<test name="Bench.C%d.T%d" type="Bench.C%d" method="T%d" time="0.1" result="Fail"><failure exception-type="Xunit.Sdk.EqualException"><message>Assert.Equal() Failure: 1 != 2</message><stack-trace>at Bench.C%d.T%d() in /src/C.cs:line %d</stack-trace></failure><output>captured output %d</output></test>`+"\n", c, i, c, i, c, i, i, i)
			continue
		}
		if pad != "" {
			_, _ = fmt.Fprintf(b, `<test name="Bench.C%d.T%d" type="Bench.C%d" method="T%d" time="0.1" result="Pass"><output>%s</output></test>`+"\n", c, i, c, i, pad)
			continue
		}
		_, _ = fmt.Fprintf(b, `<test name="Bench.C%d.T%d" type="Bench.C%d" method="T%d" time="0.1" result="Pass"/>`+"\n", c, i, c, i)
	}
	_, _ = b.WriteString("</collection>\n</assembly></assemblies>\n")
}

// trxReport writes the results before the definitions, as dotnet test
// does (the importer's two-pass case); padding goes into every passing
// result's <StdOut>.
func trxReport(b *bufio.Writer, n int, pad string) {
	_, _ = b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n" + `<TestRun id="r" name="bench" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010"><Times start="2026-01-01T00:00:00.0000000+00:00"/><Results>` + "\n")
	for i := 0; i < n; i++ {
		if i%10 == 0 {
			_, _ = fmt.Fprintf(b, `<UnitTestResult executionId="e%d" testId="t%d" testName="T%d" duration="00:00:00.1000000" startTime="2026-01-01T00:00:01.0000000+00:00" outcome="Failed"><Output><StdOut>captured output %d</StdOut><ErrorInfo><Message>Assert.AreEqual failed. Expected:&lt;2&gt;. Actual:&lt;1&gt;.</Message><StackTrace>at Bench.C%d.T%d() in /src/C.cs:line %d</StackTrace></ErrorInfo></Output></UnitTestResult>`+"\n", i, i, i, i, i/100, i, i)
			continue
		}
		if pad != "" {
			_, _ = fmt.Fprintf(b, `<UnitTestResult executionId="e%d" testId="t%d" testName="T%d" duration="00:00:00.1000000" startTime="2026-01-01T00:00:01.0000000+00:00" outcome="Passed"><Output><StdOut>%s</StdOut></Output></UnitTestResult>`+"\n", i, i, i, pad)
			continue
		}
		_, _ = fmt.Fprintf(b, `<UnitTestResult executionId="e%d" testId="t%d" testName="T%d" duration="00:00:00.1000000" startTime="2026-01-01T00:00:01.0000000+00:00" outcome="Passed"/>`+"\n", i, i, i)
	}
	_, _ = b.WriteString("</Results><TestDefinitions>\n")
	for i := 0; i < n; i++ {
		_, _ = fmt.Fprintf(b, `<UnitTest name="T%d" storage="/src/bench.tests.dll" id="t%d"><Execution id="e%d"/><TestMethod codeBase="/src/Bench.Tests.dll" className="Bench.C%d" name="T%d"/></UnitTest>`+"\n", i, i, i, i/100, i)
	}
	_, _ = b.WriteString("</TestDefinitions><ResultSummary outcome=\"Failed\"/></TestRun>\n")
}

// cucumberReport writes cucumber-js's key order (scenarios before the
// feature's name: the two-pass case); padding is a plain-text log
// embedding on every passing step "Then".
func cucumberReport(b *bufio.Writer, n int, pad string) {
	emb := ""
	if pad != "" {
		emb = `,"embeddings":[{"data":"` + jsonEsc(pad) + `","mime_type":"text/plain"}]`
	}
	_, _ = b.WriteString("[")
	for f := 0; f*100 < n; f++ {
		if f > 0 {
			_ = b.WriteByte(',')
		}
		_, _ = b.WriteString(`{"description":"","elements":[`)
		for i := f * 100; i < min(n, (f+1)*100); i++ {
			if i > f*100 {
				_ = b.WriteByte(',')
			}
			then := `{"arguments":[],"keyword":"Then ","line":5,"name":"it works","match":{"location":"steps.js:9"},"result":{"status":"passed","duration":1000000}` + emb + `}`
			if i%10 == 0 {
				then = fmt.Sprintf(`{"arguments":[],"keyword":"Then ","line":5,"name":"it works","match":{"location":"steps.js:9"},"result":{"status":"failed","duration":1000000,"error_message":"AssertionError [ERR_ASSERTION]: 1 !== 2\n    at World.<anonymous> (steps.js:%d:10)"},"embeddings":[{"data":"Y2FwdHVyZWQgb3V0cHV0","mime_type":"text/x.cucumber.log+plain"}]}`, i)
			}
			_, _ = fmt.Fprintf(b, `{"description":"","id":"feature-%d;scenario-%d","keyword":"Scenario","line":3,"name":"scenario %d","steps":[{"arguments":[],"keyword":"Given ","line":4,"name":"a thing","match":{"location":"steps.js:5"},"result":{"status":"passed","duration":1000000}},%s],"tags":[],"type":"scenario"}`, f, i, i, then)
		}
		_, _ = fmt.Fprintf(b, `],"id":"feature-%d","line":1,"keyword":"Feature","name":"Feature %d","tags":[],"uri":"features/f%d.feature"}`, f, f, f)
	}
	_, _ = b.WriteString("]")
}

// playwrightReport is Playwright's JSON reporter output; padding is the
// stdout of every passing result.
func playwrightReport(b *bufio.Writer, n int, pad string) {
	stdout := `[]`
	if pad != "" {
		stdout = `[{"text":"` + jsonEsc(pad) + `"}]`
	}
	_, _ = b.WriteString(`{"config":{"version":"1.65.2","metadata":{}},"suites":[`)
	for f := 0; f*100 < n; f++ {
		if f > 0 {
			_ = b.WriteByte(',')
		}
		_, _ = fmt.Fprintf(b, `{"title":"f%d.spec.ts","file":"f%d.spec.ts","column":0,"line":0,"specs":[`, f, f)
		for i := f * 100; i < min(n, (f+1)*100); i++ {
			if i > f*100 {
				_ = b.WriteByte(',')
			}
			res := `{"workerIndex":0,"status":"passed","duration":100,"errors":[],"stdout":` + stdout + `,"stderr":[],"retry":0,"startTime":"2026-01-01T00:00:01.000Z","attachments":[]}`
			status, ok := "expected", "true"
			if i%10 == 0 {
				status, ok = "unexpected", "false"
				res = fmt.Sprintf(`{"workerIndex":0,"status":"failed","duration":100,"error":{"message":"Error: expect(received).toBe(expected)","stack":"Error: expect(received).toBe(expected)\n    at f.spec.ts:%d:3"},"errors":[],"stdout":[{"text":"captured output %d\n"}],"stderr":[],"retry":0,"startTime":"2026-01-01T00:00:01.000Z","attachments":[]}`, i, i)
			}
			_, _ = fmt.Fprintf(b, `{"title":"test %d","ok":%s,"tags":[],"tests":[{"timeout":30000,"annotations":[],"expectedStatus":"passed","projectId":"unit","projectName":"unit","results":[%s],"status":"%s"}],"id":"s%d","file":"f%d.spec.ts","line":%d,"column":1}`, i, ok, res, status, i, f, i%100+1)
		}
		_, _ = b.WriteString(`]}`)
	}
	_, _ = b.WriteString(`],"errors":[],"stats":{"startTime":"2026-01-01T00:00:00.000Z","duration":600000,"expected":0,"skipped":0,"unexpected":0,"flaky":0}}`)
}

// allureReport is an allure-results archive (.tar.gz): one result file
// per case; padding is a text attachment (its own member) of every case.
// A padded archive is stored without compression, so that its size on the
// wire is its content's (the repeated padding would otherwise shrink to
// almost nothing).
func allureReport(b *bufio.Writer, n int, pad string) {
	level := gzip.DefaultCompression
	if pad != "" {
		level = gzip.NoCompression
	}
	zw, _ := gzip.NewWriterLevel(b, level)
	tw := tar.NewWriter(zw)
	var s strings.Builder
	for i := 0; i < n; i++ {
		s.Reset()
		status, details := "passed", "{}"
		if i%10 == 0 {
			status = "failed"
			details = fmt.Sprintf(`{"message":"expected 2, got 1","trace":"AssertionError: expected 2, got 1\n    at t.spec.js:%d:3"}`, i)
		}
		att := ""
		if pad != "" {
			att = fmt.Sprintf(`{"name":"log","source":"a%d-attachment.txt","type":"text/plain"}`, i)
		}
		_, _ = fmt.Fprintf(&s, `{"uuid":"u%d","historyId":"h%d","name":"test %d","fullName":"suite%d: test %d","status":"%s","statusDetails":%s,"stage":"finished","steps":[],"attachments":[%s],"parameters":[],"labels":[{"name":"suite","value":"suite%d"},{"name":"framework","value":"mocha"}],"links":[],"start":1767225601000,"stop":1767225601100}`,
			i, i, i, i/100, i, status, details, att, i/100)
		_ = tw.WriteHeader(&tar.Header{Name: fmt.Sprintf("allure-results/u%d-result.json", i), Mode: 0o644, Size: int64(s.Len()), Typeflag: tar.TypeReg})
		_, _ = tw.Write([]byte(s.String()))
		if pad != "" {
			_ = tw.WriteHeader(&tar.Header{Name: fmt.Sprintf("allure-results/a%d-attachment.txt", i), Mode: 0o644, Size: int64(len(pad)), Typeflag: tar.TypeReg})
			_, _ = tw.Write([]byte(pad))
		}
	}
	_ = tw.Close()
	_ = zw.Close()
}
