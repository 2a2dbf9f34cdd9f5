package flaky

// SettingsRequest is PUT /api/project/{id}/flaky-settings's body: absent
// fields keep their value.
type SettingsRequest struct {
	MinFlips   *int `json:"min_flips"`
	LastRuns   *int `json:"last_runs"`
	WindowDays *int `json:"window_days"`
}
