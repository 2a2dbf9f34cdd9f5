package formatgen_test

import (
	"bytes"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/importer"
	"github.com/ibutsu-go/ibutsu/pkg/importer/ingest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/formatgen"
)

type countSink struct{ cases, failed int }

func (*countSink) Run(ingest.Run) error { return nil }
func (c *countSink) Case(k *ingest.Case) error {
	c.cases++
	if k.Outcome == ingest.Failed {
		c.failed++
	}
	return nil
}

// TestReportsParse: every generated report, with and without padding,
// parses through its importer to exactly n cases, one in ten failing, and
// padding makes the file larger.
func TestReportsParse(t *testing.T) {
	for _, f := range formatgen.Formats() {
		var sizes []int
		for _, pad := range []int{0, 2000} {
			var b bytes.Buffer
			if err := formatgen.Write(&b, f, 250, formatgen.Options{Output: pad}); err != nil {
				t.Fatal(err)
			}
			c := &countSink{}
			if err := importer.ParseReport(f, b.Bytes(), c, ingest.Options{}); err != nil {
				t.Fatalf("%s (padding %d): %v", f, pad, err)
			}
			if c.cases != 250 || c.failed != 25 {
				t.Errorf("%s (padding %d): %d cases, %d failed", f, pad, c.cases, c.failed)
			}
			sizes = append(sizes, b.Len())
		}
		if sizes[1] < sizes[0]+200*2000 {
			t.Errorf("%s: padding grew the file from %d to only %d bytes", f, sizes[0], sizes[1])
		}
	}
}
