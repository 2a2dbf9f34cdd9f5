package classify

// SettingsRequest is the body of PUT /api/project/{id}/triage-settings.
type SettingsRequest struct {
	AutoClassify *bool `json:"auto_classify"`
}
