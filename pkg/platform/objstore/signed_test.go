package objstore_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/platform/objstore"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

// flipper changes one byte of every body it passes on once its tamper
// flag is set.
type flipper struct {
	r    io.ReadCloser
	done bool
}

func (f *flipper) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if n > 0 && !f.done {
		p[n/2] ^= 0x20
		f.done = true
	}
	return n, err
}

func (f *flipper) Close() error { return f.r.Close() }

// TestPutBytesSignsThePayload: PutBytes sends the payload's SHA-256 in
// its signature, never UNSIGNED-PAYLOAD, and the store refuses a body
// changed on the way (a proxy flips a byte), as it does for the SDK's
// streaming signature; the same proxy passing the bytes unchanged stores
// them exactly.
func TestPutBytesSignsThePayload(t *testing.T) {
	ctx := context.Background()
	cfg := testenv.S3Config(t)
	target, err := url.Parse(cfg.Endpoint)
	if err != nil {
		t.Fatal(err)
	}
	var tamper atomic.Bool
	var sent atomic.Value // the last request's X-Amz-Content-Sha256
	proxy := httptest.NewServer(&httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(target)
		r.Out.Host = r.In.Host // signed by the client
		if r.In.Method == http.MethodPut {
			sent.Store(r.In.Header.Get("X-Amz-Content-Sha256"))
			if tamper.Load() {
				r.Out.Body = &flipper{r: r.Out.Body}
			}
		}
	}})
	defer proxy.Close()
	cfg.Endpoint = proxy.URL
	s, err := objstore.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	body := bytes.Repeat([]byte("0123456789abcdef"), 40_000) // 640 KiB
	sum := sha256.Sum256(body)
	if _, err := s.PutBytes(ctx, "signed/ok", body); err != nil {
		t.Fatal(err)
	}
	if got := sent.Load(); got != hex.EncodeToString(sum[:]) {
		t.Fatalf("X-Amz-Content-Sha256 %q, want the payload's SHA-256", got)
	}
	r, err := s.Get(ctx, "signed/ok", 0)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	_ = r.Close()
	if err != nil || !bytes.Equal(got, body) {
		t.Fatalf("stored %d bytes, %v", len(got), err)
	}
	tamper.Store(true)
	for name, put := range map[string]func(key string) error{
		"PutBytes": func(key string) error { _, err := s.PutBytes(ctx, key, body); return err },
		"Put":      func(key string) error { _, err := s.Put(ctx, key, bytes.NewReader(body), int64(len(body))); return err },
	} {
		if err := put("signed/" + name); err == nil {
			t.Errorf("%s: a changed body was stored", name)
		}
		if _, err := s.Stat(ctx, "signed/"+name); !errors.Is(err, objstore.ErrNotFound) {
			t.Errorf("%s: stat of the refused object: %v", name, err)
		}
	}
}
