package model

import "math"

// Maximum lengths, in bytes, of text the schema keeps in btree-indexed
// columns (directly or through an expression index). PostgreSQL refuses an
// index entry over about 2,700 bytes (a third of a page) with an error, so a
// longer value would be a 500 at insert time; these limits keep every entry,
// including the multi-column ones (component+env, run_id+test_id,
// SatelliteVersion+SnapVersion, jenkins job_name+build_number), well below
// it. They are facts of the schema: the API (platform/httpx) enforces them
// on request bodies, the importer on imported files. docs/security.md
// ("Input limits") lists them.
const (
	MaxTestIDBytes    = 2048 // results.test_id, (run_id, test_id)
	MaxNameBytes      = 255  // project/group names, titles, widget types, emails
	MaxLabelBytes     = 512  // component, env: (component, env, project_id, start_time)
	MaxSourceBytes    = 1024 // source of results, runs and imports
	MaxFilenameBytes  = 1024 // artifact and import filenames
	MaxIndexedMDBytes = 1024 // metadata values behind an expression index
)

// MaxDurationSeconds bounds a result's or a run's duration, in seconds and of
// either sign (about 31.7 million years). A run's duration is the sum of its
// results' durations, and widgets sum runs' durations: with every term within
// this bound no such sum leaves float64's range (about 1.8e308), whereas two
// results of 1e308 seconds made their run's duration +Inf, which no JSON
// answer can carry (GET /api/run answered 200 with an empty body). The API
// refuses a body beyond it (platform/httpx), the importers clamp what a
// report says (ClampDuration).
const MaxDurationSeconds = 1e15

// ClampDuration is d within ±MaxDurationSeconds, and 0 for NaN: a report
// may give a time of "Infinity" or "NaN", which strconv.ParseFloat reads.
func ClampDuration(d float64) float64 {
	switch {
	case math.IsNaN(d):
		return 0
	case d > MaxDurationSeconds:
		return MaxDurationSeconds
	case d < -MaxDurationSeconds:
		return -MaxDurationSeconds
	}
	return d
}
