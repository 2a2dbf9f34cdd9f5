package importer_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/parsertest"
)

// fullSummary renders all ten summary keys, in a fixed order.
func fullSummary(s model.JSON) string {
	keys := []string{"tests", "failures", "errors", "skips", "xfailures", "xpasses", "passes", "pass_percent", "collected", "not_run"}
	out := ""
	for _, k := range keys {
		out += fmt.Sprintf("%s=%v ", k, s[k])
	}
	return out + fmt.Sprintf("(%d keys)", len(s))
}

// TestJUnitSummaryCountsCases: a file whose count attributes are missing
// or wrong gets the summary of the cases it holds, with passes and
// pass_percent, and a duration — read back from the database.
func TestJUnitSummaryCountsCases(t *testing.T) {
	tests := []struct {
		file, summary string
		duration      float64
	}{
		// No count or time attributes at all: upstream shows 0 tests, 0 ms.
		{"no-counts.xml", "tests=8 failures=2 errors=1 skips=1 xfailures=0 xpasses=0 passes=4 pass_percent=50 collected=8 not_run=0 (10 keys)", 4},
		// Attributes claim 10 tests, 0 failures, 5 skips; the file holds 4
		// cases with 1 failure and 1 skip. The time attribute is kept.
		{"counts-disagree.xml", "tests=4 failures=1 errors=0 skips=1 xfailures=0 xpasses=0 passes=2 pass_percent=50 collected=4 not_run=0 (10 keys)", 9.5},
	}
	dialects(t, backendtest.Options{}, func(t *testing.T, e *backendtest.Env) {
		for _, tt := range tests {
			t.Run(tt.file, func(t *testing.T) {
				imp := importFile(t, e, tt.file, parsertest.ReadFile(t, tt.file), nil)
				id := runOf(t, e, imp).ID
				// Read the stored row directly, not through the model's JSON type.
				var row struct {
					Summary  string
					Duration float64
				}
				if err := e.App.DB.Gorm.Raw("SELECT CAST(summary AS TEXT) AS summary, duration FROM runs WHERE id = ?", id).Scan(&row).Error; err != nil {
					t.Fatal(err)
				}
				var s model.JSON
				if err := json.Unmarshal([]byte(row.Summary), &s); err != nil {
					t.Fatalf("summary %q: %v", row.Summary, err)
				}
				if got := fullSummary(s); got != tt.summary {
					t.Errorf("summary\n got %s\nwant %s", got, tt.summary)
				}
				if fmt.Sprintf("%.3f", row.Duration) != fmt.Sprintf("%.3f", tt.duration) {
					t.Errorf("duration %v, want %v", row.Duration, tt.duration)
				}
			})
		}
	})
}

// TestJUnitFailureReason: a failure's message attribute, or without one
// its text, is the result's metadata.short_tb, so the UI shows why it
// failed without opening the traceback artifact.
func TestJUnitFailureReason(t *testing.T) {
	dialects(t, backendtest.Options{}, func(t *testing.T, e *backendtest.Env) {
		imp := importFile(t, e, "no-counts.xml", parsertest.ReadFile(t, "no-counts.xml"), nil)
		want := map[string][2]any{
			"T.bad1": {"expected 1, got 2", "AssertionError"},
			"T.bad2": {"panic: boom\n  at line 3", nil},
			"T.err":  {"setup failed", nil},
			"T.ok1":  {nil, nil},
		}
		for _, r := range resultsOf(t, e, runOf(t, e, imp).ID) {
			w, ok := want[str(r.TestID)]
			if !ok {
				continue
			}
			if r.Data["short_tb"] != w[0] || r.Data["exception_name"] != w[1] {
				t.Errorf("%s: short_tb %q exception_name %v, want %q %v", str(r.TestID), r.Data["short_tb"], r.Data["exception_name"], w[0], w[1])
			}
		}
	})
}
