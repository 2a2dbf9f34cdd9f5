package ctrf

import (
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/importer/ingest"
)

// brackets streams head and then n bytes of "[".
type brackets struct {
	head string
	n    int
}

func (r *brackets) Read(p []byte) (int, error) {
	if r.head != "" {
		k := copy(p, r.head)
		r.head = r.head[k:]
		return k, nil
	}
	if r.n == 0 {
		return 0, io.EOF
	}
	k := min(len(p), r.n)
	for i := range k {
		p[i] = '['
	}
	r.n -= k
	return k, nil
}

type discard struct{}

func (discard) Run(ingest.Run) error    { return nil }
func (discard) Case(*ingest.Case) error { return nil }

// 50 MiB of "[" under a key the parser skips grew json.Decoder's token
// stack by 8 bytes a byte: 2.2 GiB allocated, 800 MiB held. The parse now
// fails at jsonlimit.MaxDepth having allocated little.
func TestDeepNestingIsRefusedInBoundedMemory(t *testing.T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	err := Parse(&brackets{head: `{"results":{"tool":{"name":"t"},"extra":`, n: 50 << 20}, discard{}, ingest.Options{})
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "nested deeper than 256 levels") {
		t.Fatalf("err = %v, want the nesting bound", err)
	}
	if grown := (after.TotalAlloc - before.TotalAlloc) >> 20; grown > 64 {
		t.Fatalf("parsing allocated %d MiB", grown)
	}
}
