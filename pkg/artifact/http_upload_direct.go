package artifact

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"sync"
)

// A file that is the last part of a body framed as lastPart requires (what
// Go's multipart writer, Python's requests/urllib3 and curl send) is read
// straight from the body, not through the multipart reader: that reader
// hands a part out 4 KiB at a time, scanning each piece for the boundary
// and copying it twice, and those small reads were most of what an upload
// cost the backend beyond the store's own client
// (docs/performance.md#object-storage). The body is read in large pieces
// straight into the copy kept for a fallback, and the store's client is
// served from there (gate). What the multipart reader would
// have decided is checked on the way: the file's bytes must hold no
// "\r\n--boundary" and be followed by exactly the closing delimiter and
// the body's end. Otherwise every byte read is handed back to the
// multipart reader, which then reads the part as if nothing had happened.

// errBoundary stops a direct read whose bytes the multipart reader could
// have taken for a delimiter.
var errBoundary = errors.New("boundary in the file part")

// sendDirect gives put the size bytes of the last part, which start at
// offset start of the body, keeping a copy in w. ok when put took exactly
// them and the body then ended with the closing delimiter. Otherwise w is
// emptied, the bytes read are the multipart reader's next input, and err
// is the body's own read error, if any.
func sendDirect(head *framing, start, size int64, w *fill, put func(io.Reader) error) (ok bool, err error) {
	held := head.head[start:] // what the multipart reader took in already
	body := io.MultiReader(bytes.NewReader(held), head.r)
	src := &gate{r: io.LimitReader(body, size), scan: newBoundaryScan(head.boundary), w: w}
	perr := put(src)
	// The HTTP client may still hold the reader after put returns.
	err = src.close()
	var trail []byte
	if perr == nil && err == nil && int64(src.out) == size {
		trail, err = readAtMost(body, len(closeDelimiter(head.boundary))+1)
		if err == nil && src.scan.closedBy(trail, head.boundary) {
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

// directRead is the most one read of a file sent straight on takes from
// the body. The store's client asks for 64 KiB at a time (its signing
// chunk): a socket read per 64 KiB, and one more copy through the body's
// bufio buffer for each read that came short, was part of what the hop
// from the client cost the backend. A read takes whatever the client's
// socket holds, and while the store's client signs and sends a piece the
// next one gathers there. Reads of up to 1 MiB cost the backend's socket reads
// about a third less than reads of up to 256 KiB in profiles of the
// objstore bench (docs/performance.md#object-storage).
const directRead = 1 << 20

// gate is the reader the object store's client reads a file sent
// straight on from: it reads the body in pieces of up to directRead bytes
// straight into w, the copy kept for a fallback, checks each piece for
// the boundary as it arrives and hands the bytes out from w. Once closed
// it passes nothing more, so the handler may read on after a failed
// upload; w then holds every byte taken from the body.
type gate struct {
	mu     sync.Mutex
	r      io.Reader // the body from the file's first byte, limited to its size
	scan   *boundaryScan
	w      *fill
	out    int // bytes of w.b handed out
	closed bool
	end    error // what ends the reads: io.EOF, errBoundary or the body's error
}

func (g *gate) Read(p []byte) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return 0, errAbandoned
	}
	if g.out == len(g.w.b) && g.end == nil {
		g.take()
	}
	// Nothing of a piece that holds the boundary is passed: the put
	// fails whether or not the store's client would read on.
	if g.out == len(g.w.b) || errors.Is(g.end, errBoundary) {
		return 0, g.end
	}
	n := copy(p, g.w.b[g.out:])
	g.out += n
	return n, nil
}

// take reads the next piece of the body into w.
func (g *gate) take() {
	b := g.w.b
	if len(b) == cap(b) { // the pooled buffer holds the upload cap: only in tests
		b = slices.Grow(b, directRead)
	}
	n, err := g.r.Read(b[len(b):min(cap(b), len(b)+directRead)])
	g.w.b = b[:len(b)+n]
	switch {
	case g.scan.found(g.w.b[len(b):]):
		g.end = errBoundary
	case err != nil:
		g.end = err
	}
}

// errAbandoned ends the store's read of a file the handler took back.
var errAbandoned = errors.New("upload abandoned")

// close stops further reads and returns the body's read error or
// errBoundary, if any.
func (g *gate) close() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.closed = true
	if errors.Is(g.end, io.EOF) {
		return nil
	}
	return g.end
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
