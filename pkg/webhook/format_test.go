package webhook

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"
)

// TestRenderCarriesStoredExtremes: a run whose stored duration is +Inf
// and whose start is beyond year 9999 (rows from before the API bounded
// them) is still announced in every format, its duration clamped and its
// start at the last time the API serves; before, rendering the body
// failed and the event was never queued.
func TestRenderCarriesStoredExtremes(t *testing.T) {
	e := &Envelope{ID: "run.finished:x", Type: EventRunFinished, Created: time.Now().UTC(),
		Run: &RunInfo{Name: "r", Duration: math.Inf(1), StartTime: time.Date(10000, 1, 1, 4, 0, 0, 0, time.UTC)}}
	for _, f := range Formats {
		b, err := render(f, e)
		if err != nil || !json.Valid(b) {
			t.Errorf("%s: %v %s", f, err, b)
		}
		if f == FormatJSON && (!strings.Contains(string(b), `"duration":1.7976931348623157e+308`) ||
			!strings.Contains(string(b), `"start_time":"9999-12-31T23:59:59.999999Z"`)) {
			t.Errorf("json body %s", b)
		}
	}
}
