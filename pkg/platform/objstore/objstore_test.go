package objstore_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/platform/objstore"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

// TestStoreRoundTrip puts, reads (whole and from an offset), lists,
// presigns and deletes an object on the real test server.
func TestStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, err := objstore.New(testenv.S3Config(t))
	if err != nil {
		t.Fatal(err)
	}
	body := bytes.Repeat([]byte("0123456789"), 100_000)
	etag, err := s.Put(ctx, "artifacts/a/b", bytes.NewReader(body), int64(len(body)))
	if err != nil || etag == "" {
		t.Fatalf("put: %q %v", etag, err)
	}
	r, err := s.Get(ctx, "artifacts/a/b", 5)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	_ = r.Close()
	if err != nil || !bytes.Equal(got, body[5:]) {
		t.Fatalf("ranged get: %d bytes, %v", len(got), err)
	}
	var keys []string
	if err := s.List(ctx, "", func(o objstore.Object) error {
		keys = append(keys, o.Key)
		if o.Size != int64(len(body)) {
			t.Errorf("listed size %d", o.Size)
		}
		return nil
	}); err != nil || len(keys) != 1 || keys[0] != "artifacts/a/b" {
		t.Fatalf("list: %v %v", keys, err)
	}
	u, err := s.PresignGet(ctx, "artifacts/a/b", "log.txt", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(u) //nolint:noctx // a test of the presigned URL itself
	if err != nil {
		t.Fatal(err)
	}
	n, _ := io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK || n != int64(len(body)) {
		t.Fatalf("presigned get: %d, %d bytes", resp.StatusCode, n)
	}
	if err := s.Delete(ctx, "artifacts/a/b"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "artifacts/a/b"); err != nil {
		t.Fatalf("deleting a missing key: %v", err)
	}
	if _, err := s.Get(ctx, "artifacts/a/b", 0); !errors.Is(err, objstore.ErrNotFound) {
		t.Fatalf("get after delete: %v", err)
	}
	if _, err := s.Stat(ctx, "artifacts/a/b"); !errors.Is(err, objstore.ErrNotFound) {
		t.Fatalf("stat after delete: %v", err)
	}
}
