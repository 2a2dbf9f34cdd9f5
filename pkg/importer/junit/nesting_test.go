package junit

import (
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/parsertest"
)

type discard struct{}

func (discard) Root(*Root) error { return nil }
func (discard) Case(*Case) error { return nil }

// 30 MB of unclosed elements inside a test case were skipped one by one
// while the decoder's stack of open elements grew: about 600 MiB allocated
// and kept. The parse now fails at MaxNesting having allocated little.
func TestDeepNestingIsRefusedInBoundedMemory(t *testing.T) {
	var err error
	allocated := parsertest.Allocated(func() {
		_, err = ParseWith(parsertest.Repeated(`<testsuite name="s"><testcase classname="a.B" name="t">`, "<x>", 10_000_000),
			discard{}, Options{MaxText: 5 << 20, MaxMarkup: 1 << 20})
	})
	if err == nil || !strings.Contains(err.Error(), "nested deeper than 1000 levels") {
		t.Fatalf("err = %v, want the nesting bound", err)
	}
	if grown := allocated >> 20; grown > 64 {
		t.Fatalf("parsing allocated %d MiB", grown)
	}
}
