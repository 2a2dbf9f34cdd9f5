package queue

import (
	"context"
	"errors"
	"testing"
)

// Report answers a disabled task without running it, and otherwise the
// run's report as JSON or its error.
func TestReport(t *testing.T) {
	ran := 0
	run := func(context.Context) (map[string]int, error) { ran++; return map[string]int{"seen": ran}, nil }
	if out, err := Report(false, run)(context.Background(), nil); err != nil || string(out) != `{"disabled":true}` || ran != 0 {
		t.Errorf("disabled: %s, %v, ran %d times", out, err, ran)
	}
	if out, err := Report(true, run)(context.Background(), nil); err != nil || string(out) != `{"seen":1}` {
		t.Errorf("enabled: %s, %v", out, err)
	}
	boom := errors.New("boom")
	fail := func(context.Context) (int, error) { return 0, boom }
	if out, err := Report(true, fail)(context.Background(), nil); !errors.Is(err, boom) || out != nil {
		t.Errorf("failing run: %s, %v", out, err)
	}
}
