package objstore_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/platform/objstore"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

// readerKind is a writer that records what its ReadFrom was handed.
type readerKind struct {
	bytes.Buffer
	fromSocket bool
}

func (w *readerKind) ReadFrom(r io.Reader) (int64, error) {
	if lr, ok := r.(*io.LimitedReader); ok {
		_, w.fromSocket = lr.R.(*net.TCPConn)
	}
	return w.Buffer.ReadFrom(r)
}

// TestStream reads an object over a connection of its own: its bytes in
// full both by Read and by WriteTo, and WriteTo hands a ReadFrom writer
// the socket itself (a length-limited *net.TCPConn, which net's ReadFrom
// splices); a missing key is ErrNotFound; an HTTPS endpoint falls back to
// Get (ok false).
func TestStream(t *testing.T) {
	ctx := context.Background()
	cfg := testenv.S3Config(t)
	s, err := objstore.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	body := bytes.Repeat([]byte("0123456789abcdef"), 200_000) // 3.2 MB, more than a read ahead
	if _, err := s.Put(ctx, "artifacts/big", bytes.NewReader(body), int64(len(body))); err != nil {
		t.Fatal(err)
	}

	st, ok, err := s.Stream(ctx, "artifacts/big")
	if err != nil || !ok {
		t.Fatalf("stream: ok %v, %v", ok, err)
	}
	got, err := io.ReadAll(st)
	_ = st.Close()
	if err != nil || !bytes.Equal(got, body) || st.Size != int64(len(body)) {
		t.Fatalf("read: %d bytes of %d, size %d, %v", len(got), len(body), st.Size, err)
	}

	st, _, err = s.Stream(ctx, "artifacts/big")
	if err != nil {
		t.Fatal(err)
	}
	var w readerKind
	n, err := st.WriteTo(&w)
	_ = st.Close()
	if err != nil || n != int64(len(body)) || !bytes.Equal(w.Bytes(), body) {
		t.Fatalf("write to: %d bytes, %v", n, err)
	}
	if !w.fromSocket {
		t.Error("WriteTo handed ReadFrom something other than the connection: no splice")
	}

	if _, _, err := s.Stream(ctx, "artifacts/missing"); !errors.Is(err, objstore.ErrNotFound) {
		t.Errorf("missing key: %v, want ErrNotFound", err)
	}

	cfg.Endpoint = "https://" + cfg.Endpoint[len("http://"):]
	tls, err := objstore.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if st, ok, err := tls.Stream(ctx, "artifacts/big"); ok || err != nil || st != nil {
		t.Errorf("https endpoint: ok %v, %v; want a fallback to Get", ok, err)
	}
}
