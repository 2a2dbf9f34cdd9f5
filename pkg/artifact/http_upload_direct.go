package artifact

import (
	"bytes"
	"errors"
	"io"
	"slices"
)

// A file that is the last part of a body framed as lastPart requires (what
// Go's multipart writer, Python's requests/urllib3 and curl send) is read
// straight from the body, not through the multipart reader: that reader
// hands a part out 4 KiB at a time, scanning each piece for the boundary
// and copying it twice, and those small reads were most of what an upload
// cost the backend beyond the store's own client
// (docs/performance.md#object-storage). The body is read in large pieces
// straight into the buffer kept for a fallback, and once the body has
// ended as expected the buffer goes to the store whole, as one signed
// payload (objstore.PutBytes). What the multipart reader would have
// decided is checked on the way: the file's bytes must hold no
// "\r\n--boundary" and be followed by exactly the closing delimiter and
// the body's end. Otherwise every byte read is handed back to the
// multipart reader, which then reads the part as if nothing had happened.

// errBoundary stops a direct read whose bytes the multipart reader could
// have taken for a delimiter.
var errBoundary = errors.New("boundary in the file part")

// sendDirect reads the size bytes of the last part, which start at offset
// start of the body, into w, and gives them to put once the body has
// ended with the closing delimiter after them. ok when put took them.
// Otherwise w is emptied, the bytes read are the multipart reader's next
// input, and err is the body's own read error, if any.
func sendDirect(head *framing, start, size int64, w *fill, put func([]byte) error) (ok bool, err error) {
	held := head.head[start:] // what the multipart reader took in already
	body := io.MultiReader(bytes.NewReader(held), head.r)
	scan := newBoundaryScan(head.boundary)
	err = readPart(io.LimitReader(body, size), scan, w)
	var trail []byte
	if err == nil && int64(len(w.b)) == size {
		trail, err = readAtMost(body, len(closeDelimiter(head.boundary))+1)
		if err == nil && scan.closedBy(trail, head.boundary) && put(w.b) == nil {
			return true, nil
		}
	}
	if errors.Is(err, errBoundary) {
		err = nil
	}
	if err != nil {
		return false, err
	}
	head.unread(len(held), w.b, trail)
	w.b = w.b[:0]
	return false, nil
}

// directRead is the most one read of a file read straight from the body
// takes. A read takes whatever the client's socket holds; reads of up to
// 1 MiB cost the backend's socket reads about a third less than reads of
// up to 256 KiB, and less than the 64 KiB of net/http's body reads, in
// profiles of the objstore bench (docs/performance.md#object-storage).
const directRead = 1 << 20

// readPart appends r's bytes to w in pieces of up to directRead bytes
// until r ends, checking each piece for the boundary as it arrives
// (errBoundary: the piece is in w, nothing after it is read).
func readPart(r io.Reader, scan *boundaryScan, w *fill) error {
	for {
		b := w.b
		if len(b) == cap(b) { // the pooled buffer holds the upload cap: only in tests
			b = slices.Grow(b, directRead)
		}
		n, err := r.Read(b[len(b):min(cap(b), len(b)+directRead)])
		w.b = b[:len(b)+n]
		switch {
		case scan.found(w.b[len(b):]):
			return errBoundary
		case errors.Is(err, io.EOF):
			return nil
		case err != nil:
			return err
		}
	}
}

// closeDelimiter is what ends a body after its last part.
func closeDelimiter(boundary string) string { return "\r\n--" + boundary + "--\r\n" }

// readAtMost reads up to n bytes from r, fewer when r ends first.
func readAtMost(r io.Reader, n int) ([]byte, error) {
	b := make([]byte, 0, n)
	for len(b) < n {
		m, err := r.Read(b[len(b):n])
		b = b[:len(b)+m]
		if errors.Is(err, io.EOF) {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
	return b, nil
}

// boundaryScan looks through a part's bytes, piece by piece, for the
// first "\r\n--boundary", counting the CRLF that ends the part's headers
// before them (a delimiter may follow the headers at once): where the
// multipart reader would have ended the part, or looked at what follows
// to decide.
//
// Within a piece it looks only at the bytes at offsets len(pattern)-1,
// 2*len(pattern)-1, ...: an occurrence spans len(pattern) bytes in a row,
// so exactly one of them, and can start only where the pattern laid over
// that byte holds it (a few places; none for a byte not in the pattern).
// Binary files, the large ones, are mostly bytes that are not in the
// pattern, and most looks end there. Unlike Horspool's search (used
// before), whose next look waited for the byte just read to know where
// it was, these looks do not depend on one another and the processor
// makes many at once: the same number of looks takes a quarter of the
// time in the cache, under half from the L3 cache
// (docs/performance.md#object-storage). A piece that makes the
// search compare the pattern often (text much like the boundary) is
// searched again with bytes.Index, so the search stays linear in any
// file.
type boundaryScan struct {
	pat []byte
	// last is, for each byte, the last offset at which the pattern holds
	// it (-1: none), and before[k] the offset before k that holds the
	// same byte as k.
	last   [256]int32
	before []int32
	tail   []byte // the last len(pat)-1 bytes passed (at first the headers' CRLF)
	seam   []byte // scratch for a pattern across two pieces
	// looked bounds the bytes the search compared (for the tests).
	looked int
}

func newBoundaryScan(boundary string) *boundaryScan {
	pat := []byte("\r\n--" + boundary)
	s := &boundaryScan{pat: pat, tail: []byte("\r\n"), seam: make([]byte, 0, 2*len(pat))}
	s.before = make([]int32, len(pat))
	for c := range s.last {
		s.last[c] = -1
	}
	for k, c := range pat {
		s.before[k], s.last[c] = s.last[c], int32(k)
	}
	return s
}

// found reports whether the pattern ends in b, the next piece.
func (s *boundaryScan) found(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	keep := len(s.pat) - 1
	s.seam = append(append(s.seam[:0], s.tail...), b[:min(len(b), keep)]...)
	if bytes.Contains(s.seam, s.pat) || s.in(b) {
		return true
	}
	if len(b) >= keep {
		s.tail = append(s.tail[:0], b[len(b)-keep:]...)
	} else {
		s.tail = append(s.tail, b...)
		s.tail = s.tail[:copy(s.tail, s.tail[max(len(s.tail)-keep, 0):])]
	}
	return false
}

// in reports whether the pattern occurs in b.
func (s *boundaryScan) in(b []byte) bool {
	pat := s.pat
	m := len(pat)
	first, end := pat[0], pat[m-1]
	steps, compares := 0, 0
	defer func() { s.looked += steps + compares*m }()
	for j := m - 1; j < len(b); j += m {
		steps++
		for k := s.last[b[j]]; k >= 0; k = s.before[k] {
			steps++
			i := j - int(k)
			if i+m > len(b) || b[i] != first || b[i+m-1] != end {
				continue
			}
			if bytes.Equal(b[i:i+m], pat) {
				return true
			}
			if compares++; compares > 16+len(b)/m {
				// As many compares as looks the search makes in a
				// binary file: text much like the pattern. bytes.Index
				// is linear in any text.
				steps += len(b)
				return bytes.Contains(b, pat)
			}
		}
	}
	return false
}

// closedBy reports whether trail, the bytes after the part, is the closing
// delimiter and the multipart reader would take it as the part's end: the
// first "\r\n--boundary" in the part's last bytes and trail starts trail.
func (s *boundaryScan) closedBy(trail []byte, boundary string) bool {
	if string(trail) != closeDelimiter(boundary) {
		return false
	}
	joined := append(append([]byte{}, s.tail...), trail...)
	return bytes.Index(joined, s.pat) == len(s.tail)
}
