package bench

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
)

// pair is one round of a cost comparison: the measured case and its limit
// (the same work without the feature) run back to back, so load from
// elsewhere on a shared machine falls on both alike.
type pair struct{ value, limit float64 }

func (p pair) ratio() float64 { return p.value / p.limit }

// best returns the best rate each side reached over the rounds. Load from
// elsewhere on a shared machine only ever slows a round down, in bursts
// (a build, another suite) that last longer than a round: the best round of
// each side is the one least disturbed, an estimate of what the machine
// does unloaded, where a sum over the rounds, or one round's ratio, is
// decided by which side a burst happened to fall on (one run at load 11–15
// had single rounds' ratios from 0.53 to 3.48 at 32 clients).
//
// Its weakness, and why rows judge by pairedMedian instead: the two maxima
// usually come from different rounds, so the pairing is lost, and the
// maximum of a few noisy rates grows with their spread, so the side whose
// rates spread more (at few requests per round, the one with the rarer,
// slower requests) is favoured by chance; with 5 rounds of the same two
// builds it moved by about ±0.1 from run to run (issue #21). It stays in
// the rows' detail as the unloaded estimate it is.
func best(rounds []pair) pair {
	var b pair
	for _, p := range rounds {
		b.value, b.limit = max(b.value, p.value), max(b.limit, p.limit)
	}
	return b
}

// pairedMedian returns the round whose ratio is the median of the rounds'
// own ratios (for an even count the lower of the two middle ones), so a
// row's value and limit are rates measured back to back and its ratio is
// the median ratio.
//
// Why this statistic: each round's ratio compares the two sides under the
// same conditions (run back to back, the order rotating), so load that
// lasts longer than a round cancels out of it, and the median ignores the
// rounds in which a burst hit only one side, as long as they are fewer than
// half, whichever side it hit: a burst on the measured side pulls a ratio
// down, one on the limit pushes it up, and the median discards both alike.
// So it estimates the typical cost ratio, neither the best nor the worst
// case, and it does not grow or shrink with the number of rounds or with
// how much either side's rate spreads. It is not chosen for being higher:
// where bursts fall mostly on the limit it is lower than best's ratio.
// medianInterval says how far it can be trusted.
func pairedMedian(rounds []pair) pair {
	if len(rounds) == 0 {
		return pair{}
	}
	s := slices.Clone(rounds)
	sort.SliceStable(s, func(i, j int) bool { return s[i].ratio() < s[j].ratio() })
	return s[(len(s)-1)/2]
}

// medianInterval is a distribution-free confidence interval of the median
// ratio: the k-th smallest and k-th largest of the rounds' ratios, with k
// the largest for which the interval holds the true median with at least
// 90% probability (the count of rounds below the median is binomial with
// p = 1/2), or the smallest and largest when no k reaches 90% (3 rounds:
// 75%); coverage is that probability. Assumes the rounds independent,
// which interleaving and rotating the order makes closer to true.
func medianInterval(rounds []pair) (lo, hi, coverage float64) {
	n := len(rounds)
	if n == 0 {
		return 0, 0, 0
	}
	r := make([]float64, n)
	for i, p := range rounds {
		r[i] = p.ratio()
	}
	sort.Float64s(r)
	// below[j] = P(X ≤ j) for X ~ Binomial(n, 1/2).
	tail, c := 0.0, 1.0
	k, cov := 1, 1-2*math.Pow(0.5, float64(n))
	for j := 0; 2*(j+1) <= n; j++ {
		tail += c * math.Pow(0.5, float64(n))
		c = c * float64(n-j) / float64(j+1)
		// The interval (x(j+1), x(n-j)) misses when at most j rounds are
		// on one side of the median.
		if got := 1 - 2*tail; got >= 0.9 {
			k, cov = j+1, got
		}
	}
	return r[k-1], r[n-k], cov
}

// pairedSummary describes both statistics for a row's detail: the median
// of the rounds' ratios with its interval, best's ratio, and every round's
// ratio in round order.
func pairedSummary(rounds []pair) string {
	lo, hi, cov := medianInterval(rounds)
	return fmt.Sprintf("median of %d rounds' ratios %.2f (%.0f%% interval %.2f–%.2f), best of each side %.2f; rounds' ratios %s",
		len(rounds), pairedMedian(rounds).ratio(), 100*cov, lo, hi, best(rounds).ratio(), ratios(rounds))
}

// ratios lists the rounds' ratios, in round order, for a row's detail.
func ratios(rounds []pair) string {
	parts := make([]string, len(rounds))
	for i, p := range rounds {
		parts[i] = fmt.Sprintf("%.2f", p.ratio())
	}
	return strings.Join(parts, " ")
}

// rotate returns kinds started at round r's offset, so no kind always runs
// first (right after the settle) or last in its round.
func rotate(kinds []string, r int) []string {
	k := r % len(kinds)
	return append(slices.Clone(kinds[k:]), kinds[:k]...)
}
