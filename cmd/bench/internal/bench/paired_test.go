package bench

import (
	"slices"
	"testing"
)

// TestMedianPair: the reported round is the one with the median ratio, its
// value and limit kept together, whatever the rounds' order; one round
// slowed on one side does not move it.
func TestMedianPair(t *testing.T) {
	rounds := []pair{{value: 90, limit: 100}, {value: 50, limit: 100}, {value: 100, limit: 96}, {value: 300, limit: 310}, {value: 100, limit: 40}}
	got := medianPair(rounds)
	if got != (pair{value: 300, limit: 310}) {
		t.Fatalf("median pair %+v, want {300 310} (ratio 0.97)", got)
	}
	if r := ratios(rounds); r != "0.90 0.50 1.04 0.97 2.50" {
		t.Fatalf("ratios %q", r)
	}
	if got := medianPair(rounds[:2]); got != (pair{value: 50, limit: 100}) {
		t.Fatalf("median of two %+v, want the lower", got)
	}
	if rounds[1] != (pair{value: 50, limit: 100}) {
		t.Fatal("medianPair reordered its argument")
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
