package importer_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

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

// BenchmarkImport10k measures a whole JUnit import (upload, task, one
// transaction of 10,000 results and 2,000 artifacts); compare it with
// junit.BenchmarkParse10k, the parse alone.
func BenchmarkImport10k(b *testing.B) {
	for _, sqlite := range []bool{false, true} {
		b.Run(map[bool]string{false: "postgres", true: "sqlite"}[sqlite], func(b *testing.B) {
			e := backendtest.New(b, backendtest.Options{SQLite: sqlite})
			data := report(10000)
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				imp := importFile(b, e, "big.xml", data, nil)
				if imp["status"] != "done" {
					b.Fatal(imp)
				}
			}
		})
	}
}
