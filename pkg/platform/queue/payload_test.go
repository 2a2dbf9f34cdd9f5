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
	type payload struct {
		ID string `json:"id"`
	}
	idOf := func(p *payload) string { return p.ID }
	for _, bad := range []string{`{"id":`, `{"id":"run-1"}`, `{}`} {
		_, _, err := DecodeIDPayload("update_run", []byte(bad), idOf)
		if !errors.Is(err, ErrSkipRetry) || !strings.HasPrefix(err.Error(), "update_run payload: ") {
			t.Errorf("%s: %v, want an update_run payload error that skips retries", bad, err)
		}
	}
	want := uuid.New()
	if p, got, err := DecodeIDPayload("update_run", []byte(`{"id":"`+want.String()+`"}`), idOf); err != nil || got != want || p.ID != want.String() {
		t.Errorf("DecodeIDPayload = %+v, %v, %v; want %v", p, got, err, want)
	}
}
