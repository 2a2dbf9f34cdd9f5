package bench

import (
	"bytes"
	"fmt"
)

// junitReport builds a JUnit report of n test cases in suites of 100, one
// in ten failing with a traceback and captured output (the shape of a large
// pytest or Surefire run).
func junitReport(n int) []byte {
	var b bytes.Buffer
	b.Grow(n * 120)
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<testsuites>")
	for s := 0; s*100 < n; s++ {
		size := min(100, n-s*100)
		fmt.Fprintf(&b, `<testsuite name="suite%d" tests="%d" failures="%d" errors="0" skipped="0" time="%d" timestamp="2026-01-01T00:00:00"><properties><property key="component" value="comp%d"/></properties>`,
			s, size, (size+9)/10, size/10, s%5)
		for i := 0; i < size; i++ {
			if i%10 == 0 {
				fmt.Fprintf(&b, `<testcase classname="pkg.mod%d.TestX" name="test_%d" time="0.1"><failure message="assert 1 == 2">Traceback (most recent call last):
  File "pkg/mod%d.py", line %d, in test_%d
AssertionError: assert 1 == 2</failure><system-out>captured output %d</system-out></testcase>`, s, i, s, i+10, i, i)
				continue
			}
			fmt.Fprintf(&b, `<testcase classname="pkg.mod%d.TestX" name="test_%d" time="0.1"/>`, s, i)
		}
		b.WriteString("</testsuite>")
	}
	b.WriteString("</testsuites>\n")
	return b.Bytes()
}
