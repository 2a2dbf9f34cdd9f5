package wiring

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/platform/objstore"
)

// bucketCheckTimeout bounds the start-up question to the object store, so
// a store that does not answer delays a start by moments, not minutes.
const bucketCheckTimeout = 5 * time.Second

// CheckObjectStore is the start-up check of the backend and the worker
// (not the scheduler, which needs no credentials): with an object store
// configured, its bucket must exist.
//
// A bucket the store says does not exist is a misconfiguration that no
// waiting repairs, so the process refuses to start with an error naming
// the bucket, the endpoint and the fix; otherwise every artifact upload
// would fail later with an opaque error. A store that cannot be asked
// (down, unreachable, refusing the credentials) only logs a warning: it
// may be briefly down while the database works, and a backend that
// crash-looped on it would take the whole API down with it; artifact
// uploads and views of stored artifacts answer 503 until it is back.
func CheckObjectStore(ctx context.Context, s *Services) error {
	if s.Objects == nil {
		return nil
	}
	store := s.Objects.Store()
	ctx, cancel := context.WithTimeout(ctx, bucketCheckTimeout)
	defer cancel()
	err := store.CheckBucket(ctx)
	switch {
	case errors.Is(err, objstore.ErrNoBucket):
		return fmt.Errorf("object store bucket %q does not exist at %s: create it (`backend artifacts migrate` with this configuration creates it, or use your S3 tools) or set OBJECT_STORE_BUCKET to an existing bucket",
			store.Name(), store.Endpoint())
	case err != nil:
		s.Log.Warn("object store not reachable at start-up; artifact uploads and views of stored artifacts answer 503 until it is",
			"bucket", store.Name(), "endpoint", store.Endpoint(), "error", err)
	}
	return nil
}
