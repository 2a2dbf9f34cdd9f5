// Package result owns test results: creation by clients such as
// pytest-ibutsu, updates (classification from the UI) and the filtered lists
// the UI and widgets read.
package result

import (
	"github.com/ibutsu-go/ibutsu/pkg/fingerprint"
	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// View is a result as the API shows it; `metadata` is the `data` column.
type View struct {
	ID        string         `json:"id"`
	TestID    *string        `json:"test_id"`
	Result    *string        `json:"result"`
	Duration  *float64       `json:"duration"`
	StartTime string         `json:"start_time"`
	Component *string        `json:"component"`
	Env       *string        `json:"env"`
	RunID     *string        `json:"run_id"`
	ProjectID *string        `json:"project_id"`
	Source    *string        `json:"source"`
	Metadata  map[string]any `json:"metadata"`
	Params    map[string]any `json:"params"`
	// Quarantined is our own marker: the result failed (or errored) and its
	// test is quarantined in its project now (docs/triage.md#quarantine).
	Quarantined bool `json:"quarantined"`
	// Flaky is our marker: true when the result's test (project, test id,
	// component, env) is currently flaky; absent otherwise.
	Flaky *bool `json:"flaky,omitempty"`

	// Ours (docs/triage.md), present only on fingerprinted failures: the
	// failure's cluster and what earlier classifications suggest.
	FailureCluster          *ClusterMark `json:"failure_cluster,omitempty"`
	SuggestedClassification *Suggestion  `json:"suggested_classification,omitempty"`
}

// ClusterMark names a failure's fingerprint and whether its project had it
// before the result's run ("known") or not ("new").
type ClusterMark struct {
	Fingerprint string `json:"fingerprint"`
	Status      string `json:"status"`
}

// Suggestion is the classification other results of the project with the
// same fingerprint carry most often, and how many carry it.
type Suggestion struct {
	Classification string `json:"classification"`
	Fingerprint    string `json:"fingerprint"`
	BasedOn        int    `json:"based_on"`
}

// annotate adds the triage marks of a to v.
func annotate(v *View, a *fingerprint.Annotation) {
	if a == nil {
		return
	}
	status := "new"
	if a.Known {
		status = "known"
	}
	v.FailureCluster = &ClusterMark{Fingerprint: a.Fingerprint, Status: status}
	// A classified result needs no suggestion.
	if a.Suggested != "" && fingerprint.Classification(v.Metadata) == "" {
		v.SuggestedClassification = &Suggestion{Classification: a.Suggested, Fingerprint: a.Fingerprint, BasedOn: a.BasedOn}
	}
}

// NewView renders r.
func NewView(r *model.Result) View {
	return View{
		ID: r.ID.String(), TestID: r.TestID, Result: r.Result, Duration: r.Duration,
		StartTime: model.FormatTime(r.StartTime), Component: r.Component, Env: r.Env,
		RunID: model.UUIDString(r.RunID), ProjectID: model.UUIDString(r.ProjectID), Source: r.Source,
		Metadata: r.Data.OrEmpty(), Params: r.Params,
	}
}

// Views renders a page of results.
func Views(rs []model.Result) []View { return model.Render(rs, NewView) }
