package objstore

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/minio/minio-go/v7"
)

// ErrNotFound is an object the store does not have.
var ErrNotFound = errors.New("object not found")

// ErrUnavailable is in the error of an operation the store could not
// serve: it is down or unreachable, refused the request, or the bucket is
// gone. Callers answer it as a dependency failure (503), not as a missing
// object (ErrNotFound) nor as a bug.
var ErrUnavailable = errors.New("object store unavailable")

// ErrNoBucket is the store saying the configured bucket does not exist;
// it is an ErrUnavailable too.
var ErrNoBucket = fmt.Errorf("%w: the bucket does not exist", ErrUnavailable)

// wrap names op and key in err and classifies it: ErrNoBucket, ErrNotFound
// (a missing key), the caller's own cancellation as it is, or else
// ErrUnavailable.
func wrap(op, key string, err error) error {
	switch {
	case isNoBucket(err):
		return fmt.Errorf("%s %s: %w: %w", op, key, ErrNoBucket, err)
	case isNotFound(err):
		return fmt.Errorf("%s %s: %w", op, key, ErrNotFound)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%s %s: %w", op, key, err)
	}
	return fmt.Errorf("%s %s: %w: %w", op, key, ErrUnavailable, err)
}

// isNoBucket must be asked before isNotFound: S3 answers a missing bucket
// with a 404 too.
func isNoBucket(err error) bool { return minio.ToErrorResponse(err).Code == "NoSuchBucket" }

func isNotFound(err error) bool {
	code := minio.ToErrorResponse(err).Code
	return code == "NoSuchKey" || code == "NotFound" || minio.ToErrorResponse(err).StatusCode == http.StatusNotFound
}

// wrapMissing is wrap for the answer to a HEAD request (a stat, and the
// first request of a Get), whose 404 has no body to tell a missing key
// from a missing bucket: on a 404 it asks the store about the bucket (one
// more request, on a path that is an error already), so a bucket removed
// behind the server's back is ErrNoBucket rather than every object in it
// being ErrNotFound.
func (s *Store) wrapMissing(ctx context.Context, op, key string, err error) error {
	if isNotFound(err) && !isNoBucket(err) {
		if ok, berr := s.c.BucketExists(ctx, s.bucket); berr == nil && !ok {
			return fmt.Errorf("%s %s: %w: bucket %s", op, key, ErrNoBucket, s.bucket)
		}
	}
	return wrap(op, key, err)
}
