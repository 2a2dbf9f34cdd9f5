package bench

import (
	"context"
	"errors"
	"slices"
	"strings"
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

// TestPairedMedian: the round whose own ratio is the median, whatever
// side a burst hit; a burst on one side in fewer than half the rounds does
// not move it, where it moves best's ratio.
func TestPairedMedian(t *testing.T) {
	quiet := []pair{{95, 100}, {93, 100}, {96, 100}, {94, 100}, {92, 100}}
	if got := pairedMedian(quiet); got != (pair{94, 100}) {
		t.Fatalf("median %+v, want {94 100}", got)
	}
	// Two rounds with a burst on the limit side (ratios up), then the same
	// with the burst on the measured side (ratios down): median unchanged.
	up := slices.Clone(quiet)
	up[1], up[3] = pair{93, 40}, pair{94, 50}
	down := slices.Clone(quiet)
	down[1], down[3] = pair{30, 100}, pair{40, 100}
	for name, rs := range map[string][]pair{"limit side": up, "measured side": down} {
		if r := pairedMedian(rs).ratio(); r < 0.92 || r > 0.96 {
			t.Errorf("burst on the %s: median ratio %.2f, want within the quiet rounds' 0.92–0.96", name, r)
		}
	}
	// best pairs the maxima of different rounds: a quiet limit round and a
	// measured round that happened to be fast lift it.
	lucky := append(slices.Clone(quiet), pair{120, 80}, pair{60, 101})
	if b, m := best(lucky).ratio(), pairedMedian(lucky).ratio(); b < 1.18 || m > 0.96 {
		t.Errorf("best %.2f, median %.2f", b, m)
	}
	// An even count takes the lower middle round.
	if got := pairedMedian([]pair{{1, 1}, {3, 1}, {2, 1}, {4, 1}}); got != (pair{2, 1}) {
		t.Errorf("even count: %+v, want {2 1}", got)
	}
	if got := pairedMedian(nil); got != (pair{}) {
		t.Errorf("no rounds: %+v", got)
	}
}

// TestMedianInterval: the order statistics a distribution-free interval of
// the median takes, and their coverage.
func TestMedianInterval(t *testing.T) {
	mk := func(n int) []pair {
		rs := make([]pair, n)
		for i := range rs {
			rs[i] = pair{float64(n - i), 1} // descending: sorting matters
		}
		return rs
	}
	for _, c := range []struct {
		n      int
		lo, hi float64
		cov    float64
	}{
		{3, 1, 3, 0.75},           // no k reaches 90%: the extremes
		{5, 1, 5, 0.9375},         // x(1)…x(5)
		{9, 2, 8, 1 - 20.0/512},   // x(2)…x(8): 96.1%
		{15, 4, 12, 1 - 2*0.0176}, // x(4)…x(12)
	} {
		lo, hi, cov := medianInterval(mk(c.n))
		if lo != c.lo || hi != c.hi || cov < c.cov-0.001 || cov > c.cov+0.001 {
			t.Errorf("%d rounds: %.0f–%.0f at %.4f, want %.0f–%.0f at %.4f", c.n, lo, hi, cov, c.lo, c.hi, c.cov)
		}
	}
	if s := pairedSummary(mk(3)); !strings.Contains(s, "median of 3 rounds' ratios 2.00 (75% interval 1.00–3.00), best of each side 3.00; rounds' ratios 3.00 2.00 1.00") {
		t.Errorf("summary %q", s)
	}
}

// TestSamplePairErr: samplePair's error is the first side's failure, else
// the second's, whether it came in the warm-up or in the timed calls; nil
// when both ran clean.
func TestSamplePairErr(t *testing.T) {
	ok := func(context.Context) error { return nil }
	boom := func(context.Context) error { return errors.New("boom") }
	if a, b, err := samplePair(context.Background(), 3, 1, ok, ok); err != nil || a.N != 3 || b.N != 3 {
		t.Fatalf("clean: %v, N %d and %d, want nil, 3 and 3", err, a.N, b.N)
	}
	if _, _, err := samplePair(context.Background(), 3, 1, ok, boom); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("failing warm-up: %v, want boom", err)
	}
	calls := 0
	late := func(context.Context) error {
		if calls++; calls == 4 { // the warm-up call, then the third timed one
			return errors.New("late")
		}
		return nil
	}
	if _, _, err := samplePair(context.Background(), 3, 1, late, ok); err == nil || !strings.Contains(err.Error(), "1 of 3 operations failed") {
		t.Fatalf("failing timed call: %v, want 1 of 3 failed", err)
	}
}
