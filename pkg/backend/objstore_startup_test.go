package backend_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/backend"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/logbuf"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

// TestStartRefusesAMissingBucket: a backend whose OBJECT_STORE_BUCKET
// names a bucket the store does not have refuses to start, with one error
// naming the bucket, the endpoint and how to create it, instead of
// starting and failing the first artifact upload with a 500.
func TestStartRefusesAMissingBucket(t *testing.T) {
	store := testenv.S3Config(t)
	store.Bucket = "t-missing-" + strings.ReplaceAll(uuid.NewString(), "-", "")[:16]
	cfg := backendtest.Config(t, backendtest.Options{SQLite: true, Configure: func(c *config.Config) { c.ObjectStore = store }})
	a, err := backend.New(context.Background(), cfg, backendtest.Quiet(), backendtest.Quiet())
	if err == nil {
		_ = a.Close()
		t.Fatal("the backend started with a missing bucket")
	}
	msg := err.Error()
	for _, want := range []string{store.Bucket, store.Endpoint, "does not exist", "backend artifacts migrate"} {
		if !strings.Contains(msg, want) {
			t.Errorf("start-up error %q does not say %q", msg, want)
		}
	}
}

// TestStartWithTheStoreDown: a store that cannot be reached at start-up
// (nothing listens on its port) does not stop the backend, which logs a
// warning naming the endpoint instead (wiring.CheckObjectStore says why).
func TestStartWithTheStoreDown(t *testing.T) {
	store := testenv.S3Config(t)
	store.Endpoint = "http://127.0.0.1:1"
	cfg := backendtest.Config(t, backendtest.Options{SQLite: true, Configure: func(c *config.Config) { c.ObjectStore = store }})
	logs := &logbuf.Buffer{}
	a, err := backend.New(context.Background(), cfg, slog.New(slog.NewTextHandler(logs, nil)), backendtest.Quiet())
	if err != nil {
		t.Fatalf("the backend refused to start while the object store is down: %v", err)
	}
	_ = a.Close()
	if out := logs.String(); !strings.Contains(out, "object store not reachable at start-up") || !strings.Contains(out, store.Endpoint) {
		t.Errorf("no warning about the unreachable store in the log:\n%s", out)
	}
}
