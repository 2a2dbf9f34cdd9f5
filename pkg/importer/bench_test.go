package importer_test

import (
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/junitgen"
)

// BenchmarkImport10k measures a whole JUnit import (upload, task, one
// transaction of 10,000 results and 2,000 artifacts); compare it with
// junit.BenchmarkParse10k, the parse alone.
func BenchmarkImport10k(b *testing.B) {
	for _, sqlite := range []bool{false, true} {
		b.Run(map[bool]string{false: "postgres", true: "sqlite"}[sqlite], func(b *testing.B) {
			e := backendtest.New(b, backendtest.Options{SQLite: sqlite})
			data := junitgen.Report(10000)
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
