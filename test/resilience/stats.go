package resilience

import (
	"sort"
	"time"
)

// Percentile returns the p-th percentile (0 < p ≤ 100) of the latencies of
// outs, or 0 for none.
func Percentile(outs []Outcome, p float64) time.Duration {
	if len(outs) == 0 {
		return 0
	}
	l := make([]time.Duration, len(outs))
	for i, o := range outs {
		l[i] = o.Latency
	}
	sort.Slice(l, func(i, j int) bool { return l[i] < l[j] })
	i := int(float64(len(l))*p/100+0.5) - 1
	return l[min(max(i, 0), len(l)-1)]
}

// Between returns the outcomes that ended in [from, to).
func Between(outs []Outcome, from, to time.Time) []Outcome {
	var w []Outcome
	for _, o := range outs {
		if !o.End.Before(from) && o.End.Before(to) {
			w = append(w, o)
		}
	}
	return w
}
