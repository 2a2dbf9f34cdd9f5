package bench

import (
	"fmt"
	"strings"
)

// Scale sizes every scenario. The named scales are small (CI smoke test,
// about a minute), medium (the documented run, under 10 minutes on two
// cores) and large.
type Scale struct {
	Name string
	// Ingest is the number of POST /api/result requests per concurrency level.
	Ingest int
	// Clients are the ingest concurrency levels.
	Clients []int
	// Imports are the JUnit report sizes (test cases) to import.
	Imports []int
	// Results and Runs are the seeded query/widget data set.
	Results, Runs int
	// Samples is the number of timed requests per query or widget case
	// (an eighth of it for exact counts, which scan every matching row).
	Samples int
	// Streams is the number of event streams the live scenario opens.
	Streams int
}

// WithResults returns s seeding n results (and proportionally more runs
// above 1M, 500 results per run).
func (s Scale) WithResults(n int) Scale {
	if n > 0 {
		s.Results = n
		s.Runs = max(s.Runs, n/500)
	}
	return s
}

// Scales are the named sizes; Tiny is what the package's own test runs.
var Scales = map[string]Scale{
	"tiny":   {Name: "tiny", Ingest: 200, Clients: []int{1, 8}, Imports: []int{1000}, Results: 10_000, Runs: 400, Samples: 5, Streams: 50},
	"small":  {Name: "small", Ingest: 1000, Clients: []int{1, 8, 32, 128}, Imports: []int{10_000}, Results: 50_000, Runs: 400, Samples: 30, Streams: 1000},
	"medium": {Name: "medium", Ingest: 10_000, Clients: []int{1, 8, 32, 128}, Imports: []int{10_000, 100_000}, Results: 1_000_000, Runs: 2000, Samples: 100, Streams: 1000},
	// large runs longer at the same 1M rows; add BENCH_RESULTS=10000000
	// (--results) for the optional 10M data set (seeding alone then takes
	// about ten minutes on two cores).
	"large": {Name: "large", Ingest: 30_000, Clients: []int{1, 8, 32, 128}, Imports: []int{10_000, 100_000}, Results: 1_000_000, Runs: 2000, Samples: 300, Streams: 1000},
}

// ScaleByName looks a scale up (case-insensitive).
func ScaleByName(name string) (Scale, error) {
	s, ok := Scales[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		return Scale{}, fmt.Errorf("unknown scale %q (want small, medium or large)", name)
	}
	return s, nil
}
