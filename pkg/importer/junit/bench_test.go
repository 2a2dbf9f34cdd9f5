package junit

import (
	"bytes"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/junitgen"
)

type nop struct{}

func (nop) Root(*Root) error { return nil }
func (nop) Case(*Case) error { return nil }

func BenchmarkParse10k(b *testing.B) {
	data := junitgen.Report(10000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(bytes.NewReader(data), nop{}); err != nil {
			b.Fatal(err)
		}
	}
}
