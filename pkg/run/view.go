// Package run owns test runs: creation and updates by clients, bulk
// metadata updates, and the run summary kept in step with the run's results.
package run

import "github.com/ibutsu-go/ibutsu/pkg/model"

// View is a run as the API shows it.
type View struct {
	ID        string         `json:"id"`
	Created   string         `json:"created"`
	StartTime string         `json:"start_time"`
	Duration  *float64       `json:"duration"`
	Source    *string        `json:"source"`
	Component *string        `json:"component"`
	Env       *string        `json:"env"`
	ProjectID *string        `json:"project_id"`
	Metadata  map[string]any `json:"metadata"`
	Summary   map[string]any `json:"summary"`
	// Quarantined is our own count: the run's failed and errored results
	// whose tests are quarantined in its project now. `summary` keeps
	// upstream's keys and meaning (docs/triage.md#quarantine).
	Quarantined int `json:"quarantined"`
	// LiveState adds state, finished_at and finished_by (ours; absent
	// where the state was not loaded).
	*LiveState
	// Flaky is our marker: present when results of this run are evidence
	// of flaky tests.
	Flaky *FlakyMark `json:"flaky,omitempty"`
}

// NewView renders r.
func NewView(r *model.Run) View {
	return View{ID: r.ID.String(), Created: model.FormatTime(r.Created), StartTime: model.FormatTime(r.StartTime),
		Duration: r.Duration, Source: r.Source, Component: r.Component, Env: r.Env,
		ProjectID: model.UUIDString(r.ProjectID), Metadata: r.Data.OrEmpty(), Summary: r.Summary}
}

// Views renders a page of runs.
func Views(rs []model.Run) []View { return model.Render(rs, NewView) }
