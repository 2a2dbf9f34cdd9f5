package queue

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

// attempts records LastAttempt at every attempt of an always-failing task.
type attempts struct {
	mu   sync.Mutex
	last []bool
	done chan struct{}
}

func (a *attempts) registry(maxRetry int) *Registry {
	r := NewRegistry()
	r.Register("test.fail", func(ctx context.Context, _ []byte) ([]byte, error) {
		a.mu.Lock()
		defer a.mu.Unlock()
		a.last = append(a.last, LastAttempt(ctx))
		if len(a.last) == maxRetry+1 {
			close(a.done)
		}
		return nil, errors.New("transient")
	}, MaxRetry(maxRetry), Retention(time.Hour))
	return r
}

func (a *attempts) wait(t *testing.T) []bool {
	t.Helper()
	select {
	case <-a.done:
	case <-time.After(30 * time.Second):
		t.Fatal("the task did not run every attempt")
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]bool(nil), a.last...)
}

// TestLastAttemptIsTold checks that a handler learns which attempt is the
// last one, in the in-process pool and under asynq alike (it settles
// records such as an import's status there), and that a direct call
// counts as last.
func TestLastAttemptIsTold(t *testing.T) {
	if !LastAttempt(context.Background()) {
		t.Fatal("outside a queue LastAttempt must be true")
	}
	want := "[false true]"
	t.Run("local", func(t *testing.T) {
		a := &attempts{done: make(chan struct{})}
		q := NewLocalQueue(a.registry(1), 1, discard())
		defer func() { _ = q.Close() }()
		if _, err := q.Enqueue(context.Background(), "test.fail", nil); err != nil {
			t.Fatal(err)
		}
		if got := a.wait(t); fmt.Sprint(got) != want {
			t.Fatalf("LastAttempt per attempt %v, want %s", got, want)
		}
	})
	t.Run("redis", func(t *testing.T) {
		opt, err := RedisConnOpt(testenv.RedisURL(t))
		if err != nil {
			t.Fatal(err)
		}
		a := &attempts{done: make(chan struct{})}
		reg := a.registry(1)
		queueName := "test-" + uuid.NewString()[:8]
		q := NewRedisQueue(opt, reg, queueName)
		defer func() { _ = q.Close() }()
		srv, mux := NewServer(opt, reg, queueName, 1, 5*time.Second, discard())
		if err := srv.Start(mux); err != nil {
			t.Fatal(err)
		}
		defer srv.Shutdown()
		if _, err := q.Enqueue(context.Background(), "test.fail", nil); err != nil {
			t.Fatal(err)
		}
		if got := a.wait(t); fmt.Sprint(got) != want {
			t.Fatalf("LastAttempt per attempt %v, want %s", got, want)
		}
	})
}
