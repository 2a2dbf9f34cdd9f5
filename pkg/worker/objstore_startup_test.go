package worker_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
	"github.com/ibutsu-go/ibutsu/pkg/worker"
)

// TestWorkerRefusesAMissingBucket: a worker whose OBJECT_STORE_BUCKET names
// a bucket the store does not have stops at start-up with an error naming
// the bucket, instead of running and failing every artifact it writes.
func TestWorkerRefusesAMissingBucket(t *testing.T) {
	cfg := migratedConfig(t)
	cfg.ObjectStore = testenv.S3Config(t)
	cfg.ObjectStore.Bucket = "t-missing-" + strings.ReplaceAll(uuid.NewString(), "-", "")[:16]
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	running := make(chan struct{})
	log := slog.New(&onMessage{msg: "worker running", seen: running})
	done := make(chan error, 1)
	go func() { done <- worker.Run(ctx, cfg, log) }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), cfg.ObjectStore.Bucket) || !strings.Contains(err.Error(), "does not exist") {
			t.Fatalf("worker start-up error: %v", err)
		}
	case <-running:
		cancel()
		t.Fatalf("the worker started with a missing bucket (then stopped: %v)", <-done)
	}
}

// onMessage is a log handler that closes seen at the first record whose
// message is msg, and drops every record.
type onMessage struct {
	msg  string
	seen chan struct{}
}

func (h *onMessage) Enabled(context.Context, slog.Level) bool { return true }

func (h *onMessage) Handle(_ context.Context, r slog.Record) error {
	if r.Message == h.msg {
		select {
		case <-h.seen:
		default:
			close(h.seen)
		}
	}
	return nil
}

func (h *onMessage) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *onMessage) WithGroup(string) slog.Handler      { return h }
