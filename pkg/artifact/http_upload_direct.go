package artifact

import (
	"bytes"
	"errors"
	"io"
)

// A file that is the last part of a body framed as lastPart requires (what
// Go's multipart writer, Python's requests/urllib3 and curl send) is read
// straight from the body's 64 KiB buffer, not through the multipart
// reader: that reader hands a part out 4 KiB at a time, scanning each
// piece for the boundary and copying it twice, and those small reads were
// most of what an upload cost the backend beyond the store's own client
// (docs/performance.md#object-storage). What the multipart reader would
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
	scan := newBoundaryScan(io.LimitReader(body, size), head.boundary)
	src := &gate{r: scan, w: w}
	perr := put(src)
	// The HTTP client may still hold the reader after put returns.
	err = src.close()
	var trail []byte
	if perr == nil && err == nil && int64(len(w.b)) == size {
		trail, err = readAtMost(body, len(closeDelimiter(head.boundary))+1)
		if err == nil && scan.closedBy(trail, head.boundary) {
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

// boundaryScan passes a part's bytes and fails with errBoundary at the
// first "\r\n--boundary" among them, counting the CRLF that ends the
// part's headers before them (a delimiter may follow the headers at
// once): where the multipart reader would have ended the part, or looked
// at what follows to decide.
type boundaryScan struct {
	r    io.Reader
	pat  []byte
	tail []byte // the last len(pat)-1 bytes passed (at first the headers' CRLF)
	seam []byte // scratch for a pattern across two reads
}

func newBoundaryScan(r io.Reader, boundary string) *boundaryScan {
	pat := []byte("\r\n--" + boundary)
	return &boundaryScan{r: r, pat: pat, tail: []byte("\r\n"), seam: make([]byte, 0, 2*len(pat))}
}

func (s *boundaryScan) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if n == 0 {
		return n, err
	}
	b := p[:n]
	keep := len(s.pat) - 1
	s.seam = append(append(s.seam[:0], s.tail...), b[:min(len(b), keep)]...)
	if bytes.Contains(s.seam, s.pat) || bytes.Contains(b, s.pat) {
		return n, errBoundary
	}
	if len(b) >= keep {
		s.tail = append(s.tail[:0], b[len(b)-keep:]...)
	} else {
		s.tail = append(s.tail, b...)
		s.tail = s.tail[:copy(s.tail, s.tail[max(len(s.tail)-keep, 0):])]
	}
	return n, err
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
