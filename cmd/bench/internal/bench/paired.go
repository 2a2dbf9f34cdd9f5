package bench

import (
	"fmt"
	"slices"
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
func best(rounds []pair) pair {
	var b pair
	for _, p := range rounds {
		b.value, b.limit = max(b.value, p.value), max(b.limit, p.limit)
	}
	return b
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
