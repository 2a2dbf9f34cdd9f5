package objstore_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/platform/objstore"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

// TestMissingBucketIsNotAMissingObject: S3 answers a missing bucket with a
// 404 as it does a missing key (and a HEAD's 404 has no body to tell them
// apart). Every operation on a bucket that is gone reports ErrNoBucket,
// an ErrUnavailable, never ErrNotFound; a missing key in an existing
// bucket stays ErrNotFound.
func TestMissingBucketIsNotAMissingObject(t *testing.T) {
	ctx := t.Context()
	s, err := objstore.New(testenv.S3Config(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CheckBucket(ctx); err != nil {
		t.Fatalf("check of an existing bucket: %v", err)
	}
	if _, err := s.Stat(ctx, "artifacts/none"); !errors.Is(err, objstore.ErrNotFound) || errors.Is(err, objstore.ErrUnavailable) {
		t.Fatalf("stat of a missing key: %v", err)
	}
	gone := s.Bucket(s.Name()+"-gone", s.Prefix())
	if err := gone.CheckBucket(ctx); !errors.Is(err, objstore.ErrNoBucket) {
		t.Errorf("check: %v", err)
	}
	_, err = gone.Put(ctx, "artifacts/a", bytes.NewReader([]byte("x")), 1)
	missingBucket(t, "put", err)
	_, err = gone.Get(ctx, "artifacts/a", 0)
	missingBucket(t, "get", err)
	_, err = gone.Get(ctx, "artifacts/a", 1)
	missingBucket(t, "ranged get", err)
	_, err = gone.Stat(ctx, "artifacts/a")
	missingBucket(t, "stat", err)
	_, _, err = gone.Stream(ctx, "artifacts/a")
	missingBucket(t, "stream", err)
	missingBucket(t, "delete", gone.Delete(ctx, "artifacts/a"))
}

func missingBucket(t *testing.T, op string, err error) {
	t.Helper()
	if !errors.Is(err, objstore.ErrNoBucket) || !errors.Is(err, objstore.ErrUnavailable) || errors.Is(err, objstore.ErrNotFound) {
		t.Errorf("%s in a missing bucket: %v", op, err)
	}
}
