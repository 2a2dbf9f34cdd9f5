package artifact

import (
	"bytes"
	"io"
	"sync"
)

// maxHead is how much of a body's start framing keeps to find where the
// file's bytes begin: the fields and part headers of the usual clients
// take a few hundred bytes.
const maxHead = 64 << 10

// framing passes the request body to the multipart reader and keeps its
// first bytes, so the size of a last file part follows from the request's
// Content-Length before the part's bytes arrive.
type framing struct {
	r        io.Reader
	length   int64 // the request's Content-Length; -1 when not sent
	boundary string
	head     []byte
	full     bool // more than maxHead read, or no more guesses
	// replay is read before r: bytes a direct read took from r and
	// handed back (unread).
	replay []byte
}

func (f *framing) Read(p []byte) (int, error) {
	if len(f.replay) > 0 {
		n := copy(p, f.replay)
		f.replay = f.replay[n:]
		return n, nil
	}
	n, err := f.r.Read(p)
	if !f.full {
		if len(f.head)+n > maxHead {
			f.full, f.head = true, nil
		} else {
			f.head = append(f.head, p[:n]...)
		}
	}
	return n, err
}

// lastPart is where the bytes of part k (from 0), whose headers the
// multipart reader has just read, start in the body, and how many there
// are if it is the last part and the body ends as Go, Python (requests,
// urllib3) and curl end it: "\r\n--boundary--\r\n". 0, 0 unless the body
// so far has the one shape in which the multipart reader is certain to
// have stopped exactly there: no preamble, every delimiter line
// "--boundary\r\n" after a CRLF that follows the part before, header lines
// ending in CRLF, no transfer encoding (the reader decodes
// quoted-printable). The size is a guess the caller checks against the
// bytes that arrive.
func (f *framing) lastPart(k int) (start, size int64) {
	if f.full || f.length <= 0 {
		return 0, 0
	}
	dash := []byte("--" + f.boundary)
	h := f.head
	if !bytes.HasPrefix(h, dash) {
		return 0, 0
	}
	at := 0 // the current delimiter
	for i := 0; ; i++ {
		line := at + len(dash)
		if !bytes.HasPrefix(h[line:], crlf) {
			return 0, 0
		}
		end := bytes.Index(h[line:], []byte("\r\n\r\n"))
		if end < 0 {
			return 0, 0
		}
		body := line + end + 4
		if !plainHeaders(h[line:body]) {
			return 0, 0
		}
		if i == k {
			size := f.length - int64(body) - int64(len(closeDelimiter(f.boundary)))
			if size <= 0 {
				return 0, 0
			}
			return int64(body), size
		}
		next := bytes.Index(h[body:], dash)
		if next < 2 || !bytes.Equal(h[body+next-2:body+next], crlf) {
			return 0, 0
		}
		at = body + next
	}
}

var crlf = []byte("\r\n")

// plainHeaders reports whether a part's header block has every line end in
// CRLF and no Content-Transfer-Encoding.
func plainHeaders(b []byte) bool {
	for i, c := range b {
		if c == '\n' && (i == 0 || b[i-1] != '\r') {
			return false
		}
	}
	return !bytes.Contains(bytes.ToLower(b), []byte("content-transfer-encoding"))
}

// unread makes the bytes of parts, read from r past the multipart
// reader, its next input, less the first held of them, which it holds
// already; and makes no more guesses.
func (f *framing) unread(held int, parts ...[]byte) {
	var all []byte
	for _, p := range parts {
		all = append(all, p...)
	}
	if len(all) > held {
		f.replay = all[held:]
	}
	f.full, f.head = true, nil
}

// buffers keeps file buffers of the upload cap between uploads: otherwise
// every large upload allocates, zeroes and faults in a fresh one. Uploads
// whose whole request is small get a buffer of their size instead.
type buffers struct{ pool sync.Pool }

// pooledFrom is the request size from which an upload's buffer comes from
// the pool.
const pooledFrom = 256 << 10

// get returns an empty buffer of capacity n for a request of length bytes
// and the function that gives it back.
func (b *buffers) get(n, length int64) ([]byte, func()) {
	if length >= 0 && length < pooledFrom {
		return make([]byte, 0, min(length, n)), func() {}
	}
	p, _ := b.pool.Get().(*[]byte)
	if p == nil || int64(cap(*p)) != n {
		s := make([]byte, 0, n)
		p = &s
	}
	done := false
	return (*p)[:0], func() {
		if !done {
			done = true
			b.pool.Put(p)
		}
	}
}
