package resilience

import (
	"io"
	"sync/atomic"
)

// GenReader yields N bytes of a repeating pattern without ever holding them:
// a "1 GB upload" that costs the test nothing. Read counts what the
// consumer (the HTTP client, hence the server) actually took.
type GenReader struct {
	N    int64
	read atomic.Int64
}

// Read implements io.Reader.
func (g *GenReader) Read(p []byte) (int, error) {
	left := g.N - g.read.Load()
	if left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > left {
		p = p[:left]
	}
	for i := range p {
		p[i] = 'a' + byte(i%26)
	}
	g.read.Add(int64(len(p)))
	return len(p), nil
}

// Consumed is how many bytes have been read so far.
func (g *GenReader) Consumed() int64 { return g.read.Load() }
