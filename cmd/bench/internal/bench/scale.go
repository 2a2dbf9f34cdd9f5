package bench

import (
	"fmt"
	"strconv"
	"strings"
)

// Scale sizes every scenario. The named scales are small (CI smoke test,
// about a minute), medium (the documented run: 1M results, under 10
// minutes on two cores) and large (10M results).
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
	// (an eighth of it for exact counts, which scan every matching row,
	// unless ExactSamples is set).
	Samples, ExactSamples int
	// Streams is the number of event streams the live scenario opens.
	Streams int
	// SeedFirst seeds the query/widget data set before ingest and import,
	// so that they write into a table that already holds Results rows.
	SeedFirst bool
	// BulkSeed builds the secondary indexes of results after the seed's
	// COPY instead of maintaining them row by row (see seed).
	BulkSeed bool
	// FingerprintRounds is how many rounds the fingerprinting ingest loads
	// alternate in per level (0: fingerprintRounds). Each round costs a
	// CHECKPOINT, a settle and a WAL read per load whatever its size, about
	// 0.4 s on the development machine: tiny keeps 5, so the package's
	// own test does not get longer for rounds it only needs to exist.
	FingerprintRounds int
}

// fingerprintRoundsOf is s's FingerprintRounds, or the default.
func (s Scale) fingerprintRoundsOf() int {
	if s.FingerprintRounds > 0 {
		return s.FingerprintRounds
	}
	return fingerprintRounds
}

// WithResults returns s seeding n results (and at least one run per 500
// results, so a larger data set gets proportionally more runs).
func (s Scale) WithResults(n int) Scale {
	if n > 0 {
		s.Results = n
		s.Runs = max(s.Runs, n/500)
	}
	return s
}

// WithIngest returns s with the ingest concurrency levels in clients (a
// comma-separated list; "" keeps the scale's) and n requests per level (0
// keeps the scale's): one level of a scale can then be looked at alone.
func (s Scale) WithIngest(clients string, n int) (Scale, error) {
	if n < 0 {
		return s, fmt.Errorf("requests per level: %d is negative", n)
	}
	if n > 0 {
		s.Ingest = n
	}
	if clients == "" {
		return s, nil
	}
	var cs []int
	for _, f := range strings.Split(clients, ",") {
		c, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || c < 1 {
			return s, fmt.Errorf("clients: %q is not a positive number", f)
		}
		cs = append(cs, c)
	}
	s.Clients = cs
	return s, nil
}

// Scales are the named sizes; Tiny is what the package's own test runs.
// small writes into a nearly empty table (a smoke test); medium and large
// seed first (--seed-first does it at any scale).
var Scales = map[string]Scale{
	// tiny takes large's paths (seed first, indexes rebuilt after the COPY)
	// so that go test covers them; small, in make test, covers medium's.
	"tiny": {Name: "tiny", Ingest: 200, Clients: []int{1, 8}, Imports: []int{1000}, Results: 10_000, Runs: 400, Samples: 5, Streams: 50,
		SeedFirst: true, BulkSeed: true, FingerprintRounds: 5},
	"small": {Name: "small", Ingest: 1000, Clients: []int{1, 8, 32, 128}, Imports: []int{10_000}, Results: 50_000, Runs: 400, Samples: 30, Streams: 1000},
	// medium seeds first as large does, so that its ingest and import
	// figures are those of a 1M-row table (issue #24's "as at 1M"); before,
	// they wrote into a nearly empty one and the seed came after them.
	"medium": {Name: "medium", Ingest: 10_000, Clients: []int{1, 8, 32, 128}, Imports: []int{10_000, 100_000}, Results: 1_000_000, Runs: 2000, Samples: 100, Streams: 1000,
		SeedFirst: true},
	// large is issue #24's 10M results in 20,000 runs (500 per run, as at
	// medium), seeded first so that ingest and import write into the
	// 10M-row table. Ingest, imports and streams as at medium; fewer
	// samples, because each raw limit over 10M rows (a GROUP BY, a
	// count(*) under a regex) takes seconds. Never run by make test.
	"large": {Name: "large", Ingest: 10_000, Clients: []int{1, 8, 32, 128}, Imports: []int{10_000, 100_000}, Results: 10_000_000, Runs: 20_000,
		Samples: 30, ExactSamples: 3, Streams: 1000, SeedFirst: true, BulkSeed: true},
}

// ScaleByName looks a scale up (case-insensitive).
func ScaleByName(name string) (Scale, error) {
	s, ok := Scales[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		return Scale{}, fmt.Errorf("unknown scale %q (want small, medium or large)", name)
	}
	return s, nil
}
