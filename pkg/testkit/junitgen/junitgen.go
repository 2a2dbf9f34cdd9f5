// Package junitgen generates JUnit XML reports of a chosen size for import
// tests and benchmarks. It imports nothing of this module, so the junit
// parser's own tests can use it too.
package junitgen

import (
	"bytes"
	"fmt"
)

// Report builds a report of n test cases (n/100 suites of 100, each with a
// property): one in ten failing with a two-line traceback and captured
// output, like a large CI run.
func Report(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><testsuites>`)
	for s := 0; s < n/100; s++ {
		fmt.Fprintf(&b, `<testsuite name="suite%d" tests="100" time="10"><properties><property key="k" value="v"/></properties>`, s)
		for i := 0; i < 100; i++ {
			if i%10 == 0 {
				fmt.Fprintf(&b, `<testcase classname="pkg.mod%d.TestX" name="test_%d" time="0.1"><failure message="m">Traceback line 1
line 2</failure><system-out>out %d</system-out></testcase>`, s, i, i)
				continue
			}
			fmt.Fprintf(&b, `<testcase classname="pkg.mod%d.TestX" name="test_%d" time="0.1"/>`, s, i)
		}
		b.WriteString(`</testsuite>`)
	}
	b.WriteString(`</testsuites>`)
	return b.Bytes()
}
