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
	full     bool // more than maxHead read
}

func (f *framing) Read(p []byte) (int, error) {
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

// lastPartSize is the byte count of part k (from 0), whose headers the
// multipart reader has just read, if it is the last part and the body ends
// as Go, Python (requests, urllib3) and curl end it: "\r\n--boundary--\r\n".
// 0 when it cannot tell. The count is a guess the caller checks against
// the bytes that arrive.
func (f *framing) lastPartSize(k int) int64 {
	if f.full || f.length <= 0 {
		return 0
	}
	delim := []byte("--" + f.boundary)
	at := 0
	for range k + 1 {
		i := bytes.Index(f.head[at:], delim)
		if i < 0 {
			return 0
		}
		at += i + len(delim)
	}
	i := bytes.Index(f.head[at:], []byte("\r\n\r\n"))
	if i < 0 {
		return 0
	}
	start := int64(at + i + 4)
	return max(f.length-start-int64(len("\r\n--"+f.boundary+"--\r\n")), 0)
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
