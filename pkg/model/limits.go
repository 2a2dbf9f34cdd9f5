package model

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
