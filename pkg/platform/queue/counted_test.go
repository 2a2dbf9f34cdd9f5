package queue

import (
	"context"
	"errors"
	"testing"
)

// TestCounted keeps the task result the housekeeping tasks report,
// {"<key>": n}, and that a failure of the work is the task's failure.
func TestCounted(t *testing.T) {
	got, err := Counted("finished", func(context.Context) (int, error) { return 3, nil })(context.Background(), nil)
	if err != nil || string(got) != `{"finished":3}` {
		t.Fatalf("Counted = %s, %v; want {\"finished\":3}, nil", got, err)
	}
	cause := errors.New("database down")
	got, err = Counted("finished", func(context.Context) (int, error) { return 0, cause })(context.Background(), nil)
	if !errors.Is(err, cause) || got != nil {
		t.Fatalf("Counted of a failure = %s, %v; want nil, %v", got, err, cause)
	}
}
