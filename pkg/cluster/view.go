package cluster

// View is GET /api/run/{id}/clusters: the run's failed and errored results
// grouped by fingerprint, largest cluster first (docs/triage.md).
type View struct {
	RunID string `json:"run_id"`
	// Failures counts the run's fingerprinted results, in every cluster.
	Failures int         `json:"failures"`
	Clusters []EntryView `json:"clusters"`
	// Truncated is true when the run has more than MaxClusters clusters.
	Truncated bool `json:"truncated"`
}

// EntryView is one cluster of a run (an entry of View.Clusters).
type EntryView struct {
	Fingerprint string      `json:"fingerprint"`
	Exception   string      `json:"exception"`
	Normalised  string      `json:"normalised"`
	Count       int         `json:"count"`
	Example     ExampleView `json:"example"`
	// TestIDs are the test ids of the cluster's results, at most
	// MaxTestIDs, in order.
	TestIDs []string `json:"test_ids"`
	// ResultIDs go with TestIDs, position for position.
	ResultIDs []string `json:"result_ids"`
	// Status is "new" (the project never had this fingerprint before the
	// run) or "known".
	Status string     `json:"status"`
	Known  *KnownView `json:"known"`
	// Classified counts the classifications this run's results of the
	// cluster carry, by name.
	Classified map[string]int `json:"classified"`
	// Suggested is the known classification when some of this run's
	// results of the cluster do not carry it yet (docs/triage.md).
	Suggested *string `json:"suggested_classification"`
}

// ExampleView is one result of a cluster.
type ExampleView struct {
	ID      string  `json:"id"`
	TestID  *string `json:"test_id"`
	Message *string `json:"message"`
}

// KnownView is what the project had seen of a known fingerprint before
// the run: when first and last, in how many runs, and the classification
// people gave those results most often (null if none was classified).
type KnownView struct {
	FirstSeen      string  `json:"first_seen"`
	LastSeen       string  `json:"last_seen"`
	Runs           int     `json:"runs"`
	Classification *string `json:"classification"`
	// Classifications counts every classification given, by name.
	Classifications map[string]int `json:"classifications"`
}
