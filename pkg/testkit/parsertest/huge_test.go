package parsertest

import (
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// Repeated reads as head followed by n units, whatever the size of the
// reads (one byte at a time splits every unit), and allocates nothing per
// unit: 10 million units stream in well under a MiB.
func TestRepeated(t *testing.T) {
	for _, c := range []struct {
		head, unit string
		n          int
	}{{"<a>", "<x>", 4}, {"", "[", 3}, {"{", "ab", 0}, {"", "", 5}} {
		want := c.head + strings.Repeat(c.unit, c.n)
		if err := iotest.TestReader(Repeated(c.head, c.unit, c.n), []byte(want)); err != nil {
			t.Errorf("%+v: %v", c, err)
		}
		got, err := io.ReadAll(iotest.OneByteReader(Repeated(c.head, c.unit, c.n)))
		if err != nil || string(got) != want {
			t.Errorf("%+v one byte at a time: %q, %v; want %q", c, got, err, want)
		}
	}
	var n int64
	if got := Allocated(func() { n, _ = io.Copy(io.Discard, Repeated("<r>", "<x>", 10_000_000)) }); got > 1<<20 || n != 30_000_003 {
		t.Errorf("10 million units: %d bytes read, %d bytes allocated", n, got)
	}
}
