package parsertest

import (
	"io"
	"runtime"
)

// Repeated streams head and then unit n times, made as it is read: a
// document as large or as deeply nested as a test wants (50 MiB of "[",
// ten million unclosed "<x>") that holds no memory of its own.
func Repeated(head, unit string, n int) io.Reader {
	return &repeated{next: head, unit: unit, n: n}
}

type repeated struct {
	next, unit string // next: what is left of head or of the current unit
	n          int    // units not started yet
}

func (r *repeated) Read(p []byte) (int, error) {
	k := 0
	for k < len(p) {
		if r.next == "" {
			if r.n == 0 {
				break
			}
			r.next, r.n = r.unit, r.n-1
		}
		c := copy(p[k:], r.next)
		r.next = r.next[c:]
		k += c
	}
	if k == 0 && len(p) > 0 {
		return 0, io.EOF
	}
	return k, nil
}

// Allocated runs fn after a garbage collection and returns how many bytes
// the process allocated meanwhile: what a bounded-memory test of a parser
// holds below its bound.
func Allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
