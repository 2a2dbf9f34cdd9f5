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

// medianPair returns the round whose ratio is the median of the rounds'
// (the lower middle one for an even count), so a row's value, limit and
// ratio come from one round. A burst of load elsewhere slows one side of
// one round; the median drops that round where a sum or a best of each side
// would let it decide.
func medianPair(rounds []pair) pair {
	s := slices.Clone(rounds)
	slices.SortFunc(s, func(a, b pair) int {
		switch ra, rb := a.ratio(), b.ratio(); {
		case ra < rb:
			return -1
		case ra > rb:
			return 1
		}
		return 0
	})
	return s[(len(s)-1)/2]
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
