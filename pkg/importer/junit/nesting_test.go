package junit

import (
	"io"
	"runtime"
	"strings"
	"testing"
)

// openTags streams head and then "<x>" n times, never closing them.
type openTags struct {
	head string
	n    int
}

func (r *openTags) Read(p []byte) (int, error) {
	if r.head != "" {
		k := copy(p, r.head)
		r.head = r.head[k:]
		return k, nil
	}
	k := 0
	for ; k+3 <= len(p) && r.n > 0; r.n-- {
		k += copy(p[k:], "<x>")
	}
	if k == 0 {
		return 0, io.EOF
	}
	return k, nil
}

type discard struct{}

func (discard) Root(*Root) error { return nil }
func (discard) Case(*Case) error { return nil }

// 30 MB of unclosed elements inside a test case were skipped one by one
// while the decoder's stack of open elements grew: about 600 MiB allocated
// and kept. The parse now fails at MaxNesting having allocated little.
func TestDeepNestingIsRefusedInBoundedMemory(t *testing.T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := ParseWith(&openTags{head: `<testsuite name="s"><testcase classname="a.B" name="t">`, n: 10_000_000},
		discard{}, Options{MaxText: 5 << 20, MaxMarkup: 1 << 20})
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "nested deeper than 1000 levels") {
		t.Fatalf("err = %v, want the nesting bound", err)
	}
	if grown := (after.TotalAlloc - before.TotalAlloc) >> 20; grown > 64 {
		t.Fatalf("parsing allocated %d MiB", grown)
	}
}
