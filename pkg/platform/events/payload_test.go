package events_test

import (
	"math"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/platform/events"
)

// TestEventDataCarriesNonFinite: a result or summary holding a NaN or
// infinite duration (a row stored before the API bounded them) is sent
// with the duration as null; before, the whole event's data was null.
func TestEventDataCarriesNonFinite(t *testing.T) {
	inf := math.Inf(1)
	ev := events.New(events.ResultAdded, map[string]any{"id": "r", "duration": &inf, "sum": math.NaN()}, "run:x")
	if got, want := string(ev.Data), `{"duration":null,"id":"r","sum":null}`; got != want {
		t.Errorf("data %s, want %s", got, want)
	}
}
