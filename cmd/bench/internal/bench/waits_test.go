package bench

import "testing"

// TestWaitSummary: the top three states with their shares of all samples,
// ties in name order, and "PG idle" for none; StopInto's sums across the
// rounds of one load read the same way.
func TestWaitSummary(t *testing.T) {
	for _, c := range []struct {
		counts map[string]int
		want   string
	}{
		{nil, "PG idle"},
		{map[string]int{"CPU": 1}, "PG: CPU 100%"},
		{map[string]int{"WALSync": 50, "CPU": 25, "tuple": 15, "transactionid": 10}, "PG: WALSync 50%, CPU 25%, tuple 15%"},
		{map[string]int{"b": 1, "a": 1, "c": 1, "d": 1}, "PG: a 25%, b 25%, c 25%"},
	} {
		if got := waitSummary(c.counts); got != c.want {
			t.Errorf("waitSummary(%v) = %q, want %q", c.counts, got, c.want)
		}
	}
}
