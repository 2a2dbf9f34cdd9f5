package junit

import (
	"bytes"
	"fmt"
	"testing"
)

// Report10k builds a report of n test cases: one in ten failing with a
// traceback and output, like a large CI run.
func report(n int) []byte {
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

type nop struct{}

func (nop) Root(*Root) error { return nil }
func (nop) Case(*Case) error { return nil }

func BenchmarkParse10k(b *testing.B) {
	data := report(10000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(bytes.NewReader(data), nop{}); err != nil {
			b.Fatal(err)
		}
	}
}
