// Package filterread is the reading side shared by the importers' bounding
// readers (jsonlimit for JSON, junit's limiter for XML): each reads its
// source a chunk at a time, runs a small lexer over the chunk that copies
// what may pass into an output buffer (cutting long strings or text runs),
// and hands that buffer out to the decoder. The chunking, the hand-out and
// the order of errors (the lexer's first, then the source's, each after
// the bytes before it) are the same for both, and are here once.
package filterread

import "io"

// Reader hands out what Filter makes of R, chunk by chunk.
type Reader struct {
	// R is the source.
	R io.Reader
	// Filter reads one chunk of R and appends what passes to Out; an error
	// stops the stream after what it appended.
	Filter func(in []byte) error
	// Out holds the filtered chunk being handed out.
	Out []byte
	in  []byte
	off int
	err error
}

// New reads r in chunks of size bytes through filter.
func New(r io.Reader, size int, filter func(in []byte) error) *Reader {
	return &Reader{R: r, Filter: filter, in: make([]byte, size)}
}

// Reset makes the reader read r from its start, keeping its buffers.
func (f *Reader) Reset(r io.Reader) {
	f.R, f.Out, f.off, f.err = r, f.Out[:0], 0, nil
}

func (f *Reader) Read(p []byte) (int, error) {
	for f.off == len(f.Out) {
		if f.err != nil {
			return 0, f.err
		}
		n, err := f.R.Read(f.in)
		f.Out, f.off = f.Out[:0], 0
		if e := f.Filter(f.in[:n]); e != nil {
			f.err = e
		} else if err != nil {
			f.err = err
		}
	}
	n := copy(p, f.Out[f.off:])
	f.off += n
	return n, nil
}
