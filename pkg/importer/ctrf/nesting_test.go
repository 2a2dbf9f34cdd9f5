package ctrf

import (
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/importer/ingest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/parsertest"
)

type discard struct{}

func (discard) Run(ingest.Run) error    { return nil }
func (discard) Case(*ingest.Case) error { return nil }

// 50 MiB of "[" under a key the parser skips grew json.Decoder's token
// stack by 8 bytes a byte: 2.2 GiB allocated, 800 MiB held. The parse now
// fails at jsonlimit.MaxDepth having allocated little.
func TestDeepNestingIsRefusedInBoundedMemory(t *testing.T) {
	var err error
	allocated := parsertest.Allocated(func() {
		err = Parse(parsertest.Repeated(`{"results":{"tool":{"name":"t"},"extra":`, "[", 50<<20), discard{}, ingest.Options{})
	})
	if err == nil || !strings.Contains(err.Error(), "nested deeper than 256 levels") {
		t.Fatalf("err = %v, want the nesting bound", err)
	}
	if grown := allocated >> 20; grown > 64 {
		t.Fatalf("parsing allocated %d MiB", grown)
	}
}
