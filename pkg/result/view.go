// Package result owns test results: creation by clients such as
// pytest-ibutsu, updates (classification from the UI) and the filtered lists
// the UI and widgets read.
package result

import "github.com/ibutsu-go/ibutsu/pkg/model"

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
