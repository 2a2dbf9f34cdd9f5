package bench

import (
	"slices"
	"testing"
)

// TestBest: each side's best round, whichever round it came from; the
// rounds' ratios listed in order.
func TestBest(t *testing.T) {
	rounds := []pair{{value: 90, limit: 100}, {value: 50, limit: 100}, {value: 100, limit: 96}, {value: 300, limit: 310}, {value: 100, limit: 40}}
	if got := best(rounds); got != (pair{value: 300, limit: 310}) {
		t.Fatalf("best %+v, want {300 310}", got)
	}
	if got := best(rounds[:3]); got != (pair{value: 100, limit: 100}) {
		t.Fatalf("best of the first three %+v, want {100 100} (from different rounds)", got)
	}
	if r := ratios(rounds); r != "0.90 0.50 1.04 0.97 2.50" {
		t.Fatalf("ratios %q", r)
	}
}

func TestRotate(t *testing.T) {
	kinds := []string{"a", "b", "c"}
	for r, want := range [][]string{{"a", "b", "c"}, {"b", "c", "a"}, {"c", "a", "b"}, {"a", "b", "c"}} {
		if got := rotate(kinds, r); !slices.Equal(got, want) {
			t.Errorf("round %d: %v, want %v", r, got, want)
		}
	}
	if !slices.Equal(kinds, []string{"a", "b", "c"}) {
		t.Fatal("rotate changed its argument")
	}
}
