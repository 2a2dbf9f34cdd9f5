package queue

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// A payload that does not decode, or whose id is not a UUID, fails the
// task without retries and names the task; a good one decodes.
func TestPayloadHelpers(t *testing.T) {
	var p struct {
		ID string `json:"id"`
	}
	err := DecodePayload("update_run", []byte(`{"id":`), &p)
	if !errors.Is(err, ErrSkipRetry) || !strings.HasPrefix(err.Error(), "update_run payload: ") {
		t.Errorf("bad JSON: %v, want an update_run payload error that skips retries", err)
	}
	if _, err := PayloadID("update_run", "run-1"); !errors.Is(err, ErrSkipRetry) || !strings.HasPrefix(err.Error(), "update_run payload: ") {
		t.Errorf("bad id: %v, want an update_run payload error that skips retries", err)
	}
	want := uuid.New()
	if err := DecodePayload("update_run", []byte(`{"id":"`+want.String()+`"}`), &p); err != nil {
		t.Fatal(err)
	}
	if got, err := PayloadID("update_run", p.ID); err != nil || got != want {
		t.Errorf("PayloadID = %v, %v; want %v", got, err, want)
	}
}
