package bench

import (
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/importer"
	"github.com/ibutsu-go/ibutsu/pkg/importer/ingest"
)

type tallySink struct{ cases, failed int }

func (*tallySink) Run(ingest.Run) error { return nil }
func (s *tallySink) Case(c *ingest.Case) error {
	s.cases++
	if c.Outcome == ingest.Failed {
		s.failed++
	}
	return nil
}

// TestMoreImportGenerators: each generated report parses to exactly n
// cases, one in ten failing.
func TestMoreImportGenerators(t *testing.T) {
	for _, f := range moreImportFormats {
		s := &tallySink{}
		if err := importer.ParseReport(f.format, f.gen(250), s, ingest.Options{}); err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		if s.cases != 250 || s.failed != 25 {
			t.Errorf("%s: %d cases, %d failed", f.name, s.cases, s.failed)
		}
	}
}
