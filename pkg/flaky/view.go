package flaky

import "github.com/ibutsu-go/ibutsu/pkg/model"

// View is one flaky test as GET /api/flaky and the widget show it.
type View struct {
	ID         string         `json:"id"`
	ProjectID  string         `json:"project_id"`
	TestID     string         `json:"test_id"`
	Component  *string        `json:"component"`
	Env        *string        `json:"env"`
	Job        *string        `json:"job"`
	Score      float64        `json:"score"`
	FlipRate   float64        `json:"flip_rate"`
	Flips      int            `json:"flips"`
	Retries    int            `json:"retries"`
	Runs       int            `json:"runs"`
	FirstFlake string         `json:"first_flake"`
	LastFlake  string         `json:"last_flake"`
	DetectedAt string         `json:"detected_at"`
	Evidence   []EvidenceView `json:"evidence"`
}

// EvidenceView is one result that made a test flaky.
type EvidenceView struct {
	Kind      string  `json:"kind"`
	ResultID  string  `json:"result_id"`
	RunID     *string `json:"run_id"`
	Result    string  `json:"result"`
	Build     *string `json:"build"`
	StartTime string  `json:"start_time"`
}

// NewView renders one entry.
func NewView(e *Entry) View {
	v := View{ID: e.ID.String(), ProjectID: e.ProjectID.String(), TestID: e.TestID, Component: orNull(e.Component),
		Env: orNull(e.Env), Job: orNull(e.Job), Score: e.Score, FlipRate: e.FlipRate, Flips: e.Flips, Retries: e.Retries,
		Runs: e.Runs, FirstFlake: model.FormatTime(e.FirstFlake), LastFlake: model.FormatTime(e.LastFlake),
		DetectedAt: model.FormatTime(e.DetectedAt), Evidence: make([]EvidenceView, len(e.Evidence))}
	for i, x := range e.Evidence {
		v.Evidence[i] = EvidenceView{Kind: x.Kind, ResultID: x.ResultID.String(), RunID: model.UUIDString(x.RunID),
			Result: x.Outcome, Build: orNull(x.Build), StartTime: model.FormatTime(x.StartTime)}
	}
	return v
}

// orNull is nil for "" (absent component, env, job or build).
func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
