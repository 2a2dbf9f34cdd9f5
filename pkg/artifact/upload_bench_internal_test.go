package artifact

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"io"
	"mime/multipart"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/cpuclock"
)

// uploadBody is a body as Go's multipart writer frames an upload of a
// file of size random bytes: a field, then the file as the last part.
func uploadBody(tb testing.TB, size int) (body []byte, boundary string) {
	tb.Helper()
	buf := &bytes.Buffer{}
	w := multipart.NewWriter(buf)
	_ = w.WriteField("runId", "4f1d3c1e-5a4e-4bd8-9a51-0c0f0e0d0c0b")
	fw, _ := w.CreateFormFile("file", "f.bin")
	file := make([]byte, size)
	_, _ = rand.Read(file)
	_, _ = fw.Write(file)
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes(), w.Boundary()
}

// cappedReader returns at most most bytes a read, as a socket hands out
// what has arrived.
type cappedReader struct {
	r    io.Reader
	most int
}

func (c *cappedReader) Read(p []byte) (int, error) { return c.r.Read(p[:min(len(p), c.most)]) }

// BenchmarkSendDirect: a 4 MiB random file, the last part of a body
// framed as Go's writer does, through the handler's path (the framing, the
// multipart reader up to the file part, lastPart, sendDirect with the
// pooled buffer) to a put that takes the bytes (copy: as the SDK's
// streaming signer would, 64 KiB chunks copied into one buffer; sign: the
// SHA-256 that objstore.PutBytes signs, over the whole file). The body is
// read from memory whole (reads of up to directRead) or in reads of at
// most 224 KiB, about what the backend's socket reads averaged in the
// objstore bench (docs/performance.md#object-storage).
func BenchmarkSendDirect(b *testing.B) {
	const size = 4 << 20
	body, boundary := uploadBody(b, size)
	kept := make([]byte, 0, 5<<20+1) // the pool's buffer, reused
	chunk := make([]byte, 64<<10)
	for _, bc := range []struct {
		name string
		most int
		sign bool
	}{
		{"reads=1MiB/put=copy", directRead, false},
		{"reads=224KiB/put=copy", 224 << 10, false},
		{"reads=1MiB/put=sign", directRead, true},
		{"reads=224KiB/put=sign", 224 << 10, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			put := func(p []byte) error {
				if len(p) != size {
					return io.ErrUnexpectedEOF
				}
				if bc.sign {
					sha256.Sum256(p)
					return nil
				}
				for ; len(p) > 0; p = p[min(len(p), len(chunk)):] {
					copy(chunk, p)
				}
				return nil
			}
			b.SetBytes(size)
			b.ReportAllocs()
			cpu0 := cpuclock.Used(b)
			for b.Loop() {
				src := &cappedReader{r: bytes.NewReader(body), most: bc.most}
				head := &framing{r: bufio.NewReaderSize(src, bodyBuffer), length: int64(len(body)), boundary: boundary}
				mr := multipart.NewReader(head, boundary)
				for k := 0; ; k++ {
					p, err := mr.NextPart()
					if err != nil {
						b.Fatal(err)
					}
					if p.FormName() != "file" {
						_, _ = io.Copy(io.Discard, p)
						continue
					}
					start, n := head.lastPart(k)
					if n != size {
						b.Fatalf("lastPart: %d bytes, want %d", n, size)
					}
					w := &fill{b: kept[:0]}
					if ok, err := sendDirect(head, start, n, w, put); !ok || err != nil {
						b.Fatalf("sendDirect: %v %v", ok, err)
					}
					break
				}
			}
			b.ReportMetric(float64(cpuclock.Used(b)-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}

// BenchmarkBoundaryScan: the boundary check alone over a random file with
// a boundary as Go's writer makes them (a 64-byte pattern), in steps of
// 64 KiB: over one step again and again (in the L1 and L2 caches)
// and over the steps of a 4 MiB file in turn (from the L3 cache).
func BenchmarkBoundaryScan(b *testing.B) {
	file := make([]byte, 4<<20)
	_, _ = rand.Read(file)
	boundary := "5e7d1c0b9a8f6e5d4c3b2a190817263544536271809a8b7c6d5e4f3a2b1c0d"[:60]
	if bytes.Contains(file, []byte("\r\n--"+boundary)) {
		b.Skip("random bytes held the boundary")
	}
	for _, bc := range []struct {
		name string
		span int
	}{{"hot", 64 << 10}, {"file", 4 << 20}} {
		b.Run(bc.name, func(b *testing.B) {
			s := newBoundaryScan(boundary)
			b.SetBytes(64 << 10)
			cpu0, at := cpuclock.Used(b), 0
			for b.Loop() {
				if s.found(file[at : at+64<<10]) {
					b.Fatal("found")
				}
				at = (at + 64<<10) % bc.span
			}
			b.ReportMetric(float64(cpuclock.Used(b)-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}
